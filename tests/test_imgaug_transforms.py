"""ImgAugNested (nested imgaug from config, per-process seeding) and SeqCLRAugment (the
paper's App. B pipeline, which must keep the left-to-right order of the text)."""

import functools
import textwrap

import imgaug.augmenters as iaa
import imgaug.parameters as iap
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import worker_init_fn as mmengine_worker_init_fn
from mmocr.registry import TRANSFORMS

from seqclr_mmocr.datasets.transforms.imgaug_transforms import (
    ImgAugNested,
    SeqCLRAugment,
    build_imgaug_augmenter,
)
from seqclr_mmocr.models.utils.batch_augments import BatchSeqCLRAugment
from seqclr_mmocr.models.utils.batch_augments.seqclr_op_set import SeqCLRRanges

HEIGHT, WIDTH, NUM_BANDS = 32, 100, 8
BAND_WIDTH = WIDTH / NUM_BANDS  # 12.5 px


def band_image():
    """HxW uint8 image of NUM_BANDS vertical bands of increasing gray level 16, 48, ..., 240,
    and the bands' original horizontal centres."""
    band_of_column = np.minimum((np.arange(WIDTH) // BAND_WIDTH).astype(int), NUM_BANDS - 1)
    levels = 16 + 32 * np.arange(NUM_BANDS)
    img = np.repeat(levels[band_of_column][None, :], HEIGHT, axis=0).astype(np.uint8)
    centres = (np.arange(NUM_BANDS) + 0.5) * BAND_WIDTH
    return img, centres


LEVEL_MISFIT_LIMIT = 0.3


def kmeans_1d(values, centres, iterations=30):
    for _ in range(iterations):
        labels = np.abs(values[:, None] - centres[None, :]).argmin(axis=1)
        centres = np.array(
            [
                values[labels == k].mean() if np.any(labels == k) else centres[k]
                for k in range(len(centres))
            ]
        )
    return centres, labels


def band_centroids(img):
    """Horizontal centroid (median column) of each band of an augmented band image, and how
    badly the image's gray levels fit NUM_BANDS bands.

    The photometric ops (linear contrast, sharpen; blur inside a band) map gray levels by one
    increasing, affine function per image, so the bands keep their brightness ranks but not
    their levels: pixels are grouped by a 1-D k-means into NUM_BANDS levels and the k-th
    darkest group is band k. The median column is robust to the few blurred or sharpened edge
    pixels that land in a neighbour's group. If a band left the image (e.g. after a shift),
    k-means still finds NUM_BANDS groups, but their levels are no longer an affine image of
    the original evenly spaced levels: the misfit (largest deviation from the best affine fit,
    in units of the fitted level spacing) tells. It stays below 0.13 over 600 SeqCLR draws
    and is above 0.45 once a band is pushed out by a 15% shift."""
    values = img.astype(np.float64).ravel()
    # Two starts, keeping the tighter grouping: equal-count groups (right when the bands keep
    # equal widths) and evenly spaced levels (right when they do not).
    starts = [
        np.quantile(values, (np.arange(NUM_BANDS) + 0.5) / NUM_BANDS),
        np.linspace(*np.percentile(values, [1, 99]), NUM_BANDS),
    ]
    centres, labels = min(
        (kmeans_1d(values, start) for start in starts),
        key=lambda fit: ((values - fit[0][fit[1]]) ** 2).sum(),
    )
    rank = np.argsort(np.argsort(centres))
    labels = rank[labels].reshape(img.shape)
    columns = np.broadcast_to(np.arange(img.shape[1])[None, :], img.shape)
    centroids = np.array(
        [
            np.median(columns[labels == k]) if np.any(labels == k) else np.nan
            for k in range(NUM_BANDS)
        ]
    )
    original_levels = np.arange(NUM_BANDS, dtype=np.float64)
    slope, offset = np.polyfit(original_levels, np.sort(centres), 1)
    misfit = np.abs(np.sort(centres) - (slope * original_levels + offset)).max() / slope
    return centroids, misfit


# Tolerance on a band centroid's horizontal shift, from the ranges SeqCLRAugment allows
# (W = 100 px):
# - horizontal crop: left l and right r in [0, 2%] of W, resized back: x -> (x - lW)/(1-l-r),
#   which moves any column by at most 0.02/0.96 W = 2.1 px (vertical crop moves no column);
# - piecewise affine: each point of the control grid (2 to 4 rows and columns, imgaug's
#   defaults) moves by N(0, s W) horizontally, s <= 0.03, and
#   the warp at any pixel is a convex combination of its cell's grid shifts; a band's
#   centroid averages the warp over the band's rows, so its shift has a std of at most
#   0.03 W = 3 px;
# - perspective: each corner moves inwards by |N(0, s W)|, s <= 0.02, and the warp is
#   interpolated from the corners, so a centroid's shift has an RMS of at most 0.02 W = 2 px.
# Allowing 2.5 times the RMS of the two Gaussian shifts combined, sqrt(3^2 + 2^2) * 2.5 = 9.0 px,
# plus the 2.1 px crop bound and 0.5 px for measuring on whole columns gives 11.6 px: less than
# one band (12.5 px), so a band never takes its neighbour's place; the strict order is
# checked as well. (Over 1000 draws the largest shift seen was 6.75 px.)
CROP_SHIFT = 0.02 / 0.96 * WIDTH
GAUSSIAN_SHIFT_STD = np.hypot(0.03 * WIDTH, 0.02 * WIDTH)
COLUMN_QUANTISATION = 0.5
CENTROID_TOLERANCE = CROP_SHIFT + 2.5 * GAUSSIAN_SHIFT_STD + COLUMN_QUANTISATION


def order_violations(transform, num_draws=50):
    """Run ``transform`` ``num_draws`` times on the band image; describe every draw where a
    band is lost, the bands are out of left-to-right order, or a band moved too far."""
    img, original = band_image()
    problems = []
    for draw in range(num_draws):
        out = transform(dict(img=img.copy()))['img']
        assert out.shape == img.shape
        found, misfit = band_centroids(out)
        if np.isnan(found).any() or misfit > LEVEL_MISFIT_LIMIT:
            problems.append(f'draw {draw}: a band vanished (level misfit {misfit:.2f}): {found}')
        elif not np.all(np.diff(found) > 0):
            problems.append(f'draw {draw}: bands out of order: {found}')
        elif np.abs(found - original).max() > CENTROID_TOLERANCE:
            problems.append(
                f'draw {draw}: a band moved by {np.abs(found - original).max():.1f} px: {found}'
            )
    return problems


def test_band_centroids_of_unaugmented_image_are_the_band_centres():
    img, original = band_image()
    centroids, misfit = band_centroids(img)
    np.testing.assert_allclose(centroids, original, atol=0.5)
    assert misfit < 1e-6


def test_seqclr_augment_keeps_bands_in_order_and_near_their_place():
    assert order_violations(SeqCLRAugment(seed=0)) == []


def test_order_check_detects_a_horizontal_flip():
    spec = SeqCLRAugment.build_spec()
    spec['children'].append(dict(cls='Fliplr', p=1.0))
    problems = order_violations(ImgAugNested(spec, seed=0), num_draws=20)
    assert any('out of order' in p for p in problems)


def test_order_check_detects_a_horizontal_shift():
    problems = order_violations(
        ImgAugNested(
            dict(cls='Affine', translate_percent=dict(x=(0.15, 0.2)), mode='edge'), seed=0
        ),
        num_draws=5,
    )
    assert len(problems) == 5


def test_order_check_detects_a_horizontal_squeeze():
    # All bands stay, in order, but the inner ones move by more than the tolerance.
    problems = order_violations(
        ImgAugNested(dict(cls='Affine', scale=dict(x=0.6, y=1.0), mode='edge'), seed=0), num_draws=1
    )
    assert len(problems) == 1 and 'moved by' in problems[0]


@pytest.mark.parametrize('via_json', [False, True])
def test_nested_spec_from_mmengine_config_gets_ranges_not_choices(tmp_path, via_json):
    # Some ranges are written as lists on purpose; the others are tuples, which survive a
    # Python config but become lists once the config is dumped to JSON (or YAML).
    cfg_file = tmp_path / 'aug_cfg.py'
    cfg_file.write_text(
        textwrap.dedent("""
        aug = dict(type='ImgAugNested', augmenter=dict(
            cls='SomeOf', n=(1, None), random_order=True, children=[
                dict(cls='Sequential', children=[
                    dict(cls='LinearContrast', alpha=[0.5, 1.0]),
                    dict(cls='Crop', percent=((0, 0.4), (0, 0), [0, 0.4], [0, 0]),
                         keep_size=True)]),
                dict(cls='Sometimes', p=0.5,
                     children=[dict(cls='GaussianBlur', sigma=[0.5, 1.0])]),
                dict(cls='OneOf', children=[dict(cls='Sharpen', alpha=(0.0, 0.5))]),
            ]))
        """)
    )
    cfg = Config.fromfile(str(cfg_file))
    if via_json:
        cfg.dump(str(tmp_path / 'aug_cfg.json'))
        cfg = Config.fromfile(str(tmp_path / 'aug_cfg.json'))
        assert cfg.aug.augmenter.n == [1, None]
    transform = TRANSFORMS.build(cfg.aug)
    assert isinstance(transform, ImgAugNested)
    root = transform.augmenter
    assert isinstance(root, iaa.SomeOf) and root.random_order
    sequential, sometimes, one_of = root
    contrast, crop = sequential
    assert isinstance(contrast, iaa.LinearContrast)
    # A list would have become iap.Choice (draw 0.5 or 1.0); a range is iap.Uniform.
    assert isinstance(contrast.params1d[0], iap.Uniform)
    assert isinstance(crop.top, iap.Uniform) and isinstance(crop.bottom, iap.Uniform)
    assert isinstance(sometimes, iaa.Sometimes)
    assert isinstance(sometimes.then_list[0], iaa.GaussianBlur)
    assert isinstance(sometimes.then_list[0].sigma, iap.Uniform)
    assert isinstance(one_of, iaa.OneOf) and isinstance(one_of[0], iaa.Sharpen)
    out = transform(dict(img=band_image()[0]))
    assert out['img'].shape == (HEIGHT, WIDTH) and out['img_shape'] == (HEIGHT, WIDTH)


def test_explicit_choice_parameter_keeps_its_list():
    aug = build_imgaug_augmenter(dict(cls='LinearContrast', alpha=dict(cls='Choice', a=[0.5, 1.0])))
    assert isinstance(aug.params1d[0], iap.Choice)
    assert list(aug.params1d[0].a) == [0.5, 1.0]


def test_unknown_imgaug_class_raises_naming_it():
    with pytest.raises(ValueError, match='NoSuchAugmenter'):
        ImgAugNested(dict(cls='SomeOf', children=[dict(cls='NoSuchAugmenter')]))


def test_children_on_a_leaf_augmenter_raises_naming_it():
    with pytest.raises(ValueError, match='GaussianBlur'):
        build_imgaug_augmenter(dict(cls='GaussianBlur', children=[dict(cls='Fliplr')]))


def test_bad_argument_raises_naming_the_class():
    with pytest.raises(ValueError, match='LinearContrast'):
        build_imgaug_augmenter(dict(cls='LinearContrast', no_such_argument=1))


def op_classes(augment):
    return [type(child).__name__ for child in augment.augmenter]


def test_default_seqclr_spec_is_the_papers_pipeline():
    spec = SeqCLRAugment.build_spec()
    assert spec['cls'] == 'SomeOf' and spec['n'] == (1, None) and spec['random_order']
    assert spec['children'] == [
        dict(cls='LinearContrast', alpha=(0.5, 1.0)),
        dict(cls='GaussianBlur', sigma=(0.5, 1.0)),
        dict(cls='Sharpen', alpha=(0.0, 0.5), lightness=(0.0, 0.5)),
        dict(cls='Crop', percent=((0.0, 0.4), (0, 0), (0.0, 0.4), (0, 0)), keep_size=True),
        dict(cls='Crop', percent=((0, 0), (0.0, 0.02), (0, 0), (0.0, 0.02)), keep_size=True),
        dict(cls='PiecewiseAffine', scale=(0.02, 0.03), mode='edge'),
        dict(cls='PerspectiveTransform', scale=(0.01, 0.02)),
    ]
    augment = SeqCLRAugment()
    assert op_classes(augment) == [
        'LinearContrast',
        'GaussianBlur',
        'Sharpen',
        'Crop',
        'Crop',
        'PiecewiseAffine',
        'PerspectiveTransform',
    ]
    assert augment.augmenter.random_order


def test_none_range_removes_the_op():
    assert 'PiecewiseAffine' not in op_classes(SeqCLRAugment(piecewise_affine=None))
    assert 'Sharpen' not in op_classes(SeqCLRAugment(sharpen_lightness=None))
    assert op_classes(SeqCLRAugment(vertical_crop=None, horizontal_crop=None)) == [
        'LinearContrast',
        'GaussianBlur',
        'Sharpen',
        'PiecewiseAffine',
        'PerspectiveTransform',
    ]


def test_ops_selects_a_subset_and_rejects_bad_names():
    assert op_classes(SeqCLRAugment(ops=['gaussian_blur', 'linear_contrast'])) == [
        'GaussianBlur',
        'LinearContrast',
    ]
    with pytest.raises(ValueError, match='flip'):
        SeqCLRAugment(ops=['flip'])
    with pytest.raises(ValueError, match='perspective'):
        SeqCLRAugment(perspective=None, ops=['perspective'])
    with pytest.raises(ValueError, match='no op left'):
        SeqCLRAugment(ops=[])


def test_default_ranges_are_the_papers_appendix_b_values():
    # Written out from paper App. B, not read from the code under test.
    appendix_b = dict(
        linear_contrast=(0.5, 1.0),
        gaussian_blur=(0.5, 1.0),
        sharpen_alpha=(0.0, 0.5),
        sharpen_lightness=(0.0, 0.5),
        vertical_crop=(0.0, 0.4),
        horizontal_crop=(0.0, 0.02),
        piecewise_affine=(0.02, 0.03),
        perspective=(0.01, 0.02),
    )
    assert SeqCLRRanges().as_dict() == appendix_b
    # Both paths default to them: built without arguments, each equals itself built with
    # the appendix values spelled out.
    assert SeqCLRAugment.build_spec() == SeqCLRAugment.build_spec(**appendix_b)
    assert BatchSeqCLRAugment().ranges == appendix_b


def test_an_unknown_range_name_is_refused_naming_the_transform():
    with pytest.raises(TypeError, match='SeqCLRAugment.*vertical_crops'):
        SeqCLRAugment(vertical_crops=(0.0, 0.2))
    with pytest.raises(TypeError, match='BatchSeqCLRAugment.*vertical_crops'):
        BatchSeqCLRAugment(vertical_crops=(0.0, 0.2))


def test_repeated_ops_are_applied_once_on_both_paths():
    assert op_classes(SeqCLRAugment(ops=['gaussian_blur', 'gaussian_blur'])) == ['GaussianBlur']
    assert BatchSeqCLRAugment(ops=['gaussian_blur', 'gaussian_blur']).op_names == ('gaussian_blur',)


def test_random_subset_is_never_empty():
    # With linear contrast as the only op and alpha < 1, every draw that applies at least one
    # op changes the image; SomeOf((1, None)) must never apply none.
    augment = SeqCLRAugment(linear_contrast=(0.5, 0.9), ops=['linear_contrast'], seed=0)
    img = band_image()[0]
    unchanged = sum(np.array_equal(augment(dict(img=img.copy()))['img'], img) for _ in range(50))
    assert unchanged == 0


def test_random_subset_check_detects_an_optional_subset():
    spec = SeqCLRAugment.build_spec(linear_contrast=(0.5, 0.9), ops=['linear_contrast'])
    spec['n'] = (0, None)  # may apply no op
    augment = ImgAugNested(spec, seed=0)
    img = band_image()[0]
    unchanged = sum(np.array_equal(augment(dict(img=img.copy()))['img'], img) for _ in range(50))
    assert unchanged > 0


def test_gray_and_colour_images_keep_their_layout():
    augment = SeqCLRAugment(seed=0)
    gray = band_image()[0]
    colour = np.stack([gray, 255 - gray, gray // 2], axis=-1)
    for img in (gray, colour):
        out = augment(dict(img=img.copy(), img_shape=img.shape[:2]))
        assert out['img'].shape == img.shape and out['img'].dtype == np.uint8
        assert out['img_shape'] == img.shape[:2]


def test_text_labels_are_untouched():
    out = SeqCLRAugment(seed=0)(dict(img=band_image()[0], gt_texts=['hello']))
    assert out['gt_texts'] == ['hello']


def test_same_seed_gives_same_augmentations():
    img = band_image()[0]
    first, second = SeqCLRAugment(seed=3), SeqCLRAugment(seed=3)
    for _ in range(5):
        np.testing.assert_array_equal(
            first(dict(img=img.copy()))['img'], second(dict(img=img.copy()))['img']
        )


class _AugmentedCopies(torch.utils.data.Dataset):
    """Returns (worker id, augmented band image) for every index."""

    def __init__(self, augment, length=4):
        self.augment, self.length = augment, length

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        img = self.augment(dict(img=band_image()[0]))['img']
        return torch.utils.data.get_worker_info().id, img


def first_view_per_worker(augment, worker_init_fn=None):
    loader = torch.utils.data.DataLoader(
        _AugmentedCopies(augment),
        batch_size=None,
        num_workers=2,
        multiprocessing_context='fork',
        worker_init_fn=worker_init_fn,
    )
    views = {}
    for worker, img in loader:
        views.setdefault(int(worker), np.asarray(img))
    assert sorted(views) == [0, 1]
    return views


class _RawImgAug:
    """Plain imgaug on its global RNG, as MMOCR's ImgAugWrapper uses it."""

    def __init__(self):
        self.augmenter = build_imgaug_augmenter(SeqCLRAugment.build_spec())

    def __call__(self, results):
        results['img'] = self.augmenter.augment_image(results['img'])
        return results


def test_forked_workers_share_imgaug_state_without_reseeding():
    # The problem ImgAugNested solves: forked workers inherit imgaug's global RNG.
    views = first_view_per_worker(_RawImgAug())
    np.testing.assert_array_equal(views[0], views[1])


def test_forked_workers_augment_differently():
    augment = SeqCLRAugment()
    augment(dict(img=band_image()[0]))  # seed and use it in the parent process first
    views = first_view_per_worker(augment)
    assert not np.array_equal(views[0], views[1])


def test_seeded_runs_with_mmengine_worker_init_are_reproducible():
    init_fn = functools.partial(mmengine_worker_init_fn, num_workers=2, rank=0, seed=123)
    augment = SeqCLRAugment()
    first_run = first_view_per_worker(augment, init_fn)
    second_run = first_view_per_worker(augment, init_fn)
    assert not np.array_equal(first_run[0], first_run[1])
    for worker in (0, 1):
        np.testing.assert_array_equal(first_run[worker], second_run[worker])
