"""BatchSeqCLRAugment, the SeqCLR augmentation as batched tensor ops, against the imgaug
path SeqCLRAugment: the same parameter distributions, the same displacement statistics per
geometric op on a calibration image, photometric ops equal to their OpenCV / imgaug
references, the text's left-to-right order kept, and each image's valid width respected."""

import cv2
import imgaug
import imgaug.augmenters as iaa
import imgaug.parameters as iap
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

# Band image and centroid check shared with the imgaug path's order test.
from test_imgaug_transforms import (
    CENTROID_TOLERANCE,
    LEVEL_MISFIT_LIMIT,
    band_centroids,
    band_image,
)

from seqclr_mmocr.datasets.transforms.imgaug_transforms import SeqCLRAugment, build_imgaug_augmenter
from seqclr_mmocr.models.utils.batch_augments import BatchSeqCLRAugment
from seqclr_mmocr.models.utils.batch_augments.photometric import (
    gaussian_blur,
    linear_contrast,
    sharpen,
)
from seqclr_mmocr.models.utils.batch_augments.warps import (
    apply_homographies,
    crop_resize_matrices,
    perspective_matrices,
)

HEIGHT, WIDTH = 32, 100
NUM_DRAWS = 20000


@pytest.fixture(autouse=True, scope='module')
def single_torch_thread():
    """One torch thread in this module: idle OpenMP workers spinning after torch's parallel
    ops would otherwise slow imgaug's single-threaded loops several-fold on a small
    machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def imgaug_child(op, **ranges):
    """The imgaug augmenter that SeqCLRAugment runs for ``op``."""
    return build_imgaug_augmenter(SeqCLRAugment.build_spec(ops=[op], **ranges)['children'][0])


def ks_distance(a, b):
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between empirical CDFs."""
    a, b = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    points = np.concatenate([a, b])
    return np.abs(
        np.searchsorted(a, points, side='right') / a.size
        - np.searchsorted(b, points, side='right') / b.size
    ).max()


def frequencies(values, support):
    values = np.asarray(values)
    return np.array([(values == v).mean() for v in support])


def batch_params(num=NUM_DRAWS, width=WIDTH, **kwargs):
    module = BatchSeqCLRAugment(seed=0, **kwargs)
    params = module.sample_params(torch.full((num,), width), HEIGHT)
    return {key: value.numpy() for key, value in params.items()}


# --- Parameter distributions -------------------------------------------------------------


def test_op_count_membership_and_order_match_imgaug_some_of():
    some_of = SeqCLRAugment(seed=0).augmenter
    rng = imgaug.random.RNG(0)
    imgaug_active = some_of._get_augmenter_active(NUM_DRAWS, rng)
    # SeqCLRAugment augments one image per call, so imgaug draws one order per image.
    imgaug_positions = np.array(
        [np.argsort(some_of._get_augmenter_order(rng)) for _ in range(3000)]
    )
    params = batch_params()

    counts = range(1, 8)
    ours = frequencies(params['num_ops'], counts)
    theirs = frequencies(imgaug_active.sum(axis=1), counts)
    np.testing.assert_allclose(ours, theirs, atol=0.015)
    np.testing.assert_allclose(ours, 1 / 7, atol=0.015)
    np.testing.assert_array_equal(params['active'].sum(axis=1), params['num_ops'])
    np.testing.assert_allclose(
        params['active'].mean(axis=0), imgaug_active.mean(axis=0), atol=0.015
    )
    np.testing.assert_allclose(params['active'].mean(axis=0), 4 / 7, atol=0.015)
    for op in range(7):
        np.testing.assert_allclose(
            frequencies(params['position'][:, op], range(7)),
            frequencies(imgaug_positions[:, op], range(7)),
            atol=0.04,
        )


@pytest.mark.parametrize(
    'op,imgaug_params,ours,ranges',
    [
        ('linear_contrast', lambda aug: [aug.params1d[0]], ['contrast_alpha'], [(0.5, 1.0)]),
        ('gaussian_blur', lambda aug: [aug.sigma], ['blur_sigma'], [(0.5, 1.0)]),
        (
            'sharpen',
            lambda aug: [aug.matrix.alpha, aug.matrix.lightness],
            ['sharpen_alpha', 'sharpen_lightness'],
            [(0.0, 0.5), (0.0, 0.5)],
        ),
    ],
)
def test_photometric_parameters_follow_imgaugs_distributions(op, imgaug_params, ours, ranges):
    params = batch_params()
    rng = imgaug.random.RNG(0)
    for parameter, key, (low, high) in zip(imgaug_params(imgaug_child(op)), ours, ranges):
        theirs = parameter.draw_samples((NUM_DRAWS,), random_state=rng)
        assert ks_distance(params[key], theirs) < 0.02, key
        for values in (params[key], theirs):
            assert low <= values.min() < low + 0.01 and high - 0.01 < values.max() <= high


@pytest.mark.parametrize('width', [WIDTH, 60])
def test_crop_pixel_amounts_follow_imgaugs_distributions(width):
    params = batch_params(width=width)
    rng = imgaug.random.RNG(0)
    shapes = [(HEIGHT, width, 1)] * NUM_DRAWS
    vertical = imgaug_child('vertical_crop')._draw_samples(rng, shapes)
    horizontal = imgaug_child('horizontal_crop')._draw_samples(rng, shapes)
    for key, samples, attribute in [
        ('crop_top', vertical, 'crop_top'),
        ('crop_bottom', vertical, 'crop_bottom'),
        ('crop_left', horizontal, 'crop_left'),
        ('crop_right', horizontal, 'crop_right'),
    ]:
        theirs = np.array([getattr(s, attribute) for s in samples])
        support = range(int(max(theirs.max(), params[key].max())) + 1)
        np.testing.assert_allclose(
            frequencies(params[key], support), frequencies(theirs, support), atol=0.02, err_msg=key
        )
    # The other axis is never cropped.
    assert all(s.crop_left == s.crop_right == 0 for s in vertical)
    assert all(s.crop_top == s.crop_bottom == 0 for s in horizontal)


def test_piecewise_affine_parameters_follow_imgaugs_distributions():
    aug = imgaug_child('piecewise_affine')
    rng = imgaug.random.RNG(0)
    # One call per image: imgaug draws the jitter scale once per call.
    samples = [aug._draw_samples(1, rng) for _ in range(3000)]
    rows = np.array([s.nb_rows[0] for s in samples])
    cols = np.array([s.nb_cols[0] for s in samples])
    first_point = np.array([s.jitter[0][0] for s in samples])  # (y, x) fractions
    params = batch_params()
    for ours, theirs in [(params['piecewise_rows'], rows), (params['piecewise_cols'], cols)]:
        np.testing.assert_allclose(
            frequencies(ours, [2, 3, 4]), frequencies(theirs, [2, 3, 4]), atol=0.03
        )
    for axis in range(2):
        ours = params['piecewise_jitter'][:, 0, 0, axis]
        assert ks_distance(ours, first_point[:, axis]) < 0.04
        np.testing.assert_allclose(ours.std(), first_point[:, axis].std(), rtol=0.05)
    assert params['piecewise_scale'].min() >= 0.02 and params['piecewise_scale'].max() <= 0.03


def test_perspective_parameters_follow_imgaugs_distribution():
    aug = imgaug_child('perspective')
    rng = imgaug.random.RNG(0)
    theirs = np.stack(
        [aug.jitter.draw_samples((1, 4, 2), random_state=rng)[0] for _ in range(3000)]
    )
    ours = batch_params()['perspective_jitter']
    for corner in range(4):
        for axis in range(2):
            assert ks_distance(ours[:, corner, axis], theirs[:, corner, axis]) < 0.04
    np.testing.assert_allclose(np.abs(ours).mean(), np.abs(theirs).mean(), rtol=0.05)


# --- Each op against a plain reference ---------------------------------------------------


def smooth_image(height=HEIGHT, width=WIDTH, seed=0):
    """Float32 image in [0, 255] with strokes and smooth shading."""
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(rng.random((height, width)).astype(np.float32), (0, 0), 2)
    img = (img - img.min()) / (img.max() - img.min()) * 255
    img[:, ::9] = 20  # thin dark strokes: edges for blur and sharpen
    return img.astype(np.float32)


def as_batch(*images):
    return torch.from_numpy(np.stack(images))[:, None]


@pytest.mark.parametrize('sigma', [0.5, 0.77, 1.0, 1.6, 3.2])
def test_gaussian_blur_matches_imgaugs_opencv_blur(sigma):
    img = smooth_image()
    # float32 input: imgaug's cv2 backend without uint8 rounding.
    expected = iaa.blur.blur_gaussian_(img.copy(), sigma)
    ours = gaussian_blur(as_batch(img), torch.tensor([sigma]), max_sigma=3.5)[0, 0]
    np.testing.assert_allclose(ours.numpy(), expected, atol=2e-3)


@pytest.mark.parametrize('alpha,lightness', [(0.0, 0.3), (0.25, 0.0), (0.5, 0.5)])
def test_sharpen_matches_opencv_with_imgaugs_matrix(alpha, lightness):
    img = smooth_image()
    matrix = iaa.Sharpen(alpha=alpha, lightness=lightness).matrix(img, 1, imgaug.random.RNG(0))[0]
    expected = np.clip(
        cv2.filter2D(img, -1, matrix.astype(np.float32), borderType=cv2.BORDER_REFLECT_101), 0, 255
    )
    ours = sharpen(as_batch(img), torch.tensor([alpha]), torch.tensor([lightness]))[0, 0]
    np.testing.assert_allclose(ours.numpy(), expected, atol=2e-3)


@pytest.mark.parametrize('alpha', [0.5, 0.8, 1.0])
def test_linear_contrast_matches_imgaug_up_to_uint8_rounding(alpha):
    img = np.round(smooth_image()).astype(np.uint8)
    expected = iaa.LinearContrast(alpha=alpha).augment_image(img).astype(np.float32)
    ours = linear_contrast(as_batch(img.astype(np.float32)), torch.tensor([alpha]))[0, 0]
    assert np.abs(ours.numpy() - expected).max() <= 1.0


def test_filters_reflect_at_each_images_own_width():
    img = smooth_image()
    narrow = img[:, :60]
    padded = np.concatenate([narrow, np.full((HEIGHT, 40), 255, np.float32)], axis=1)
    batch, widths = as_batch(img, padded), torch.tensor([WIDTH, 60])
    blurred = gaussian_blur(batch, torch.tensor([1.0, 1.0]), widths)[1, 0, :, :60]
    expected = cv2.GaussianBlur(narrow, (5, 5), 1.0, borderType=cv2.BORDER_REFLECT_101)
    np.testing.assert_allclose(blurred.numpy(), expected, atol=2e-3)
    sharpened = sharpen(batch, torch.tensor([0.5, 0.5]), torch.tensor([0.2, 0.2]), widths)[
        1, 0, :, :60
    ]
    unpadded = sharpen(as_batch(narrow), torch.tensor([0.5]), torch.tensor([0.2]))[0, 0]
    np.testing.assert_allclose(sharpened.numpy(), unpadded.numpy(), atol=2e-3)


class FixedJitter(iap.StochasticParameter):
    """A stochastic parameter that always returns the same array."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def _draw_samples(self, size, random_state):
        return self.value.reshape(size)


def test_perspective_backward_map_matches_imgaugs_warp_and_resize():
    rng = np.random.default_rng(0)
    x, y = np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT))
    for _ in range(5):
        jitter = rng.normal(0, 0.02, (1, 4, 2))
        aug = imgaug_child('perspective')
        aug.jitter = FixedJitter(jitter)
        samples = aug._draw_samples([(HEIGHT, WIDTH, 1)], imgaug.random.RNG(0))
        matrix, max_width, max_height = (
            samples.matrices[0],
            samples.max_widths[0],
            samples.max_heights[0],
        )
        # cv2.warpPerspective onto max_width x max_height, then resized back (half-pixel
        # centres): output pixel -> warped pixel -> input through the inverse homography.
        warped = np.stack(
            [(x + 0.5) * max_width / WIDTH - 0.5, (y + 0.5) * max_height / HEIGHT - 0.5], -1
        )
        expected = cv2.perspectiveTransform(
            warped.reshape(1, -1, 2).astype(np.float64), np.linalg.inv(matrix)
        )[0]
        ours = perspective_matrices(
            torch.tensor(jitter, dtype=torch.float32), HEIGHT, torch.tensor([WIDTH])
        )
        ours_x, ours_y = apply_homographies(
            ours,
            torch.arange(WIDTH).float().view(1, 1, -1),
            torch.arange(HEIGHT).float().view(1, -1, 1),
        )
        np.testing.assert_allclose(ours_x.numpy().ravel(), expected[:, 0], atol=1e-3)
        np.testing.assert_allclose(ours_y.numpy().ravel(), expected[:, 1], atol=1e-3)


def grid_to_pixels(grid, height=HEIGHT, width=WIDTH):
    """grid_sample coordinates (align_corners=False) -> pixel coordinates (x, y)."""
    grid = grid.numpy()
    return (grid[..., 0] + 1) * width / 2 - 0.5, (grid[..., 1] + 1) * height / 2 - 0.5


def test_vertical_crop_samples_as_opencvs_resize_of_the_crop():
    module = BatchSeqCLRAugment(ops=['vertical_crop'], seed=0)
    params = module.sample_params(torch.tensor([WIDTH]), HEIGHT)
    params['crop_top'], params['crop_bottom'] = torch.tensor([7.0]), torch.tensor([4.0])
    img = smooth_image()
    ours = module.augment(as_batch(img), params)[0, 0].numpy()
    expected = cv2.resize(img[7 : HEIGHT - 4], (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)
    # Inside; the first and last rows sample half a pixel beyond the crop, where OpenCV
    # replicates the crop's edge row instead.
    np.testing.assert_allclose(ours[1:-1], expected[1:-1], atol=1e-2)


@pytest.mark.parametrize('rows,cols', [(2, 2), (2, 4), (3, 3), (4, 2), (4, 4)])
def test_piecewise_field_matches_skimages_within_a_quarter_of_the_cell_twist(rows, cols):
    aug = imgaug_child('piecewise_affine')
    module = BatchSeqCLRAugment(ops=['piecewise_affine'], seed=0)
    rng = np.random.default_rng(rows * 10 + cols)
    x, y = np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT))
    for _ in range(3):
        jitter = rng.normal(0, 0.03, (4, 4, 2))
        transformer = aug._get_transformer(
            (HEIGHT, WIDTH), (HEIGHT, WIDTH), rows, cols, jitter[:rows, :cols].reshape(-1, 2)
        )
        expected = transformer(np.stack([x.ravel(), y.ravel()], 1).astype(np.float64))
        expected_x = np.clip(expected[:, 0], 0, WIDTH - 1).reshape(HEIGHT, WIDTH)
        expected_y = np.clip(expected[:, 1], 0, HEIGHT - 1).reshape(HEIGHT, WIDTH)
        params = module.sample_params(torch.tensor([WIDTH]), HEIGHT)
        params['piecewise_jitter'] = torch.tensor(jitter, dtype=torch.float32)[None]
        params['piecewise_rows'], params['piecewise_cols'] = (
            torch.tensor([rows]),
            torch.tensor([cols]),
        )
        ours_x, ours_y = grid_to_pixels(
            module.sampling_grid(params, HEIGHT, WIDTH, torch.tensor([WIDTH]))[0]
        )

        # Reference control displacements, written out as imgaug computes them.
        src_y, src_x = np.meshgrid(
            np.linspace(0, HEIGHT, rows), np.linspace(0, WIDTH, cols), indexing='ij'
        )
        moved_y = np.clip(src_y + jitter[:rows, :cols, 0] * HEIGHT, 0, HEIGHT - 1)
        moved_x = np.clip(src_x + jitter[:rows, :cols, 1] * WIDTH, 0, WIDTH - 1)
        for ours, theirs, shift in [
            (ours_x, expected_x, moved_x - src_x),
            (ours_y, expected_y, moved_y - src_y),
        ]:
            twist = np.abs(shift[:-1, :-1] - shift[1:, :-1] - shift[:-1, 1:] + shift[1:, 1:])
            assert np.abs(ours - theirs).max() <= twist.max() / 4 + 1e-3
            # Exact on the control grid's lines: rows at the control points' heights.
            on_line = [
                int(v) for v in np.linspace(0, HEIGHT, rows) if v < HEIGHT and float(v).is_integer()
            ]
            np.testing.assert_allclose(ours[on_line], theirs[on_line], atol=1e-3)


# --- Displacement statistics against imgaug (the equivalence evidence) -------------------

COORDINATES = np.stack(np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT)), -1).astype(
    np.float32
)  # (H, W, 2): x, y of each pixel
IMGAUG_DRAWS = dict(vertical_crop=200, horizontal_crop=200, perspective=200, piecewise_affine=100)


def displacement_stats(displacements):
    """Mean absolute displacement, and the mean over draws of the largest one, per axis
    (x, y), of (draws, H, W, 2) displacement fields."""
    magnitude = np.abs(displacements)
    return magnitude.mean(axis=(0, 1, 2)), magnitude.max(axis=(1, 2)).mean(axis=0)


def imgaug_displacements(op, num_draws):
    """imgaug's sampled source position minus the pixel's own, per draw.

    The crops and the perspective warp a float32 coordinate image (two channels holding x
    and y): bilinear or area resampling of a linear ramp returns the sampled positions.
    For the piecewise affine, whose warp of a 32x100 image takes ~50 ms, the sampled
    positions come from its scikit-image transformer directly (what ``tf.warp`` evaluates,
    then clamped as ``mode='edge'`` does);
    ``test_piecewise_transformer_positions_are_what_imgaugs_warp_samples`` checks that the
    two agree."""
    if op != 'piecewise_affine':
        augmenter = SeqCLRAugment(ops=[op], seed=1).augmenter
        return (
            np.stack([augmenter.augment_image(COORDINATES.copy()) for _ in range(num_draws)])
            - COORDINATES
        )
    aug = imgaug_child(op)
    rng = imgaug.random.RNG(1)
    points = COORDINATES.reshape(-1, 2).astype(np.float64)
    fields = []
    for _ in range(num_draws):
        samples = aug._draw_samples(1, rng)
        transformer = aug._get_transformer(
            (HEIGHT, WIDTH),
            (HEIGHT, WIDTH),
            samples.nb_rows[0],
            samples.nb_cols[0],
            samples.jitter[0],
        )
        source = transformer(points) if transformer is not None else points
        source = np.clip(source, 0, [WIDTH - 1, HEIGHT - 1])
        fields.append(source.reshape(HEIGHT, WIDTH, 2))
    return np.stack(fields) - COORDINATES


def batched_displacements(op, num_draws=1000, **ranges):
    module = BatchSeqCLRAugment(ops=[op], seed=1, **ranges)
    images = torch.from_numpy(COORDINATES).permute(2, 0, 1)[None].repeat(num_draws, 1, 1, 1)
    return module(images).permute(0, 2, 3, 1).numpy() - COORDINATES


@pytest.fixture(scope='module')
def imgaug_stats():
    return {
        op: displacement_stats(imgaug_displacements(op, num)) for op, num in IMGAUG_DRAWS.items()
    }


def stats_mismatches(ours, theirs, rtol=0.15, still=0.05):
    """Where the batched path's statistics differ from imgaug's by more than ``rtol``
    (relative), per statistic and axis; an axis imgaug leaves still (below ``still`` px)
    must stay still."""
    problems = []
    for name, our_values, their_values in zip(('mean', 'max'), ours, theirs):
        for axis, our, their in zip('xy', our_values, their_values):
            if their < still:
                if our >= still:
                    problems.append(f'{name} |d{axis}|: {our:.3f} px, imgaug keeps it still')
            elif abs(our - their) > rtol * their:
                problems.append(f'{name} |d{axis}|: {our:.3f} px vs imgaug {their:.3f} px')
    return problems


@pytest.mark.parametrize('op', list(IMGAUG_DRAWS))
def test_displacement_statistics_match_imgaug(op, imgaug_stats):
    ours = displacement_stats(batched_displacements(op))
    assert stats_mismatches(ours, imgaug_stats[op]) == []


def test_displacement_comparison_detects_a_doubled_piecewise_scale(imgaug_stats):
    ours = displacement_stats(
        batched_displacements('piecewise_affine', piecewise_affine=(0.04, 0.06))
    )
    assert len(stats_mismatches(ours, imgaug_stats['piecewise_affine'])) == 4


def test_displacement_comparison_detects_a_halved_vertical_crop(imgaug_stats):
    ours = displacement_stats(batched_displacements('vertical_crop', vertical_crop=(0.0, 0.2)))
    assert len(stats_mismatches(ours, imgaug_stats['vertical_crop'])) == 2


def test_piecewise_transformer_positions_are_what_imgaugs_warp_samples():
    aug = imgaug_child('piecewise_affine')
    samples = aug._draw_samples(2, imgaug.random.RNG(3))
    warped = aug._augment_images_by_samples([COORDINATES.copy(), COORDINATES.copy()], samples)
    points = COORDINATES.reshape(-1, 2).astype(np.float64)
    for i in range(2):
        transformer = aug._get_transformer(
            (HEIGHT, WIDTH),
            (HEIGHT, WIDTH),
            samples.nb_rows[i],
            samples.nb_cols[i],
            samples.jitter[i],
        )
        source = np.clip(transformer(points), 0, [WIDTH - 1, HEIGHT - 1])
        np.testing.assert_allclose(warped[i].reshape(-1, 2), source, atol=1e-3)


# --- Sequence order, ordering of ops, widths ---------------------------------------------


def test_batched_augment_keeps_bands_in_order_and_near_their_place():
    img, original = band_image()
    images = torch.from_numpy(img).float()[None, None].repeat(150, 1, 1, 1)
    out = BatchSeqCLRAugment(seed=0)(images)[:, 0].numpy()
    problems = []
    for draw, view in enumerate(out):
        found, misfit = band_centroids(view)
        if np.isnan(found).any() or misfit > LEVEL_MISFIT_LIMIT:
            problems.append(f'draw {draw}: a band vanished (misfit {misfit:.2f})')
        elif not np.all(np.diff(found) > 0):
            problems.append(f'draw {draw}: bands out of order: {found}')
        elif np.abs(found - original).max() > CENTROID_TOLERANCE:
            problems.append(f'draw {draw}: a band moved by {np.abs(found - original).max():.1f} px')
    assert problems == []
    # The check can fail: mirrored views are out of order.
    assert not np.all(np.diff(band_centroids(out[0][:, ::-1])[0]) > 0)


def fixed_order_params(module, order, num=1, width=WIDTH):
    """Parameters with every op of ``order`` (names) applied in that order."""
    params = module.sample_params(torch.full((num,), width), HEIGHT)
    indices = [module.op_names.index(name) for name in order]
    rest = [i for i in range(len(module.op_names)) if i not in indices]
    params['order'] = torch.tensor([indices + rest] * num)
    params['position'] = params['order'].argsort(dim=1)
    params['num_ops'] = torch.full((num,), len(order))
    params['active'] = params['position'] < params['num_ops'][:, None]
    return params


@pytest.mark.parametrize('order', [('linear_contrast', 'sharpen'), ('sharpen', 'linear_contrast')])
def test_photometric_ops_run_in_the_sampled_order(order):
    module = BatchSeqCLRAugment(ops=['linear_contrast', 'sharpen'], seed=0)
    params = fixed_order_params(module, order)
    params['contrast_alpha'] = torch.tensor([0.5])
    params['sharpen_alpha'], params['sharpen_lightness'] = torch.tensor([0.5]), torch.tensor([0.5])
    images = as_batch(smooth_image())
    steps = dict(
        linear_contrast=lambda x: linear_contrast(x, params['contrast_alpha']),
        sharpen=lambda x: sharpen(x, params['sharpen_alpha'], params['sharpen_lightness']),
    )
    expected = steps[order[1]](steps[order[0]](images))
    reverse = steps[order[0]](steps[order[1]](images))
    assert (expected - reverse).abs().max() > 10  # the order matters for this pair
    torch.testing.assert_close(module.augment(images, params), expected)


@pytest.mark.parametrize(
    'order,blur_first',
    [
        (('perspective', 'gaussian_blur', 'vertical_crop'), True),
        (('vertical_crop', 'gaussian_blur', 'perspective'), False),
        (('gaussian_blur', 'perspective'), True),
        (('perspective', 'gaussian_blur'), False),
    ],
)
def test_the_warp_stands_at_the_vertical_crop_else_at_the_first_geometric_op(order, blur_first):
    module = BatchSeqCLRAugment(ops=['gaussian_blur', 'vertical_crop', 'perspective'], seed=0)
    params = fixed_order_params(module, order)
    params['crop_top'], params['crop_bottom'] = torch.tensor([10.0]), torch.tensor([10.0])
    images = as_batch(smooth_image())
    grid = module.sampling_grid(params, HEIGHT, WIDTH, torch.tensor([WIDTH]))

    def blur(x):
        return gaussian_blur(x, params['blur_sigma'], max_sigma=1.0)

    def warp(x):
        return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)

    expected = warp(blur(images)) if blur_first else blur(warp(images))
    torch.testing.assert_close(module.augment(images, params), expected, atol=1e-3, rtol=1e-4)


def test_geometric_ops_compose_in_the_sampled_order():
    module = BatchSeqCLRAugment(ops=['vertical_crop', 'piecewise_affine'], seed=0)
    widths = torch.tensor([WIDTH])
    crop_first = fixed_order_params(module, ('vertical_crop', 'piecewise_affine'))
    crop_first['crop_top'], crop_first['crop_bottom'] = torch.tensor([8.0]), torch.tensor([8.0])
    crop_last = dict(crop_first)
    crop_last.update(
        {
            key: value
            for key, value in fixed_order_params(
                module, ('piecewise_affine', 'vertical_crop')
            ).items()
            if key in ('order', 'position', 'num_ops', 'active')
        }
    )
    # Reference: crop backward map y -> 0.5 y + 7.75 (16 of 32 rows kept), piecewise field
    # from the piecewise op alone.
    alone = dict(crop_first)
    alone.update(
        {
            key: value
            for key, value in fixed_order_params(module, ('piecewise_affine',)).items()
            if key in ('order', 'position', 'num_ops', 'active')
        }
    )
    piecewise_x, piecewise_y = grid_to_pixels(module.sampling_grid(alone, HEIGHT, WIDTH, widths)[0])
    x, y = np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT))
    # Crop first, then piecewise: input(crop(piecewise(p))).
    ours_x, ours_y = grid_to_pixels(module.sampling_grid(crop_first, HEIGHT, WIDTH, widths)[0])
    np.testing.assert_allclose(ours_y, 0.5 * piecewise_y + 7.75, atol=1e-3)
    np.testing.assert_allclose(ours_x, piecewise_x, atol=1e-3)
    # Piecewise first, then crop: the piecewise field is read at the cropped position.
    ours_x, ours_y = grid_to_pixels(module.sampling_grid(crop_last, HEIGHT, WIDTH, widths)[0])
    crop_y = 0.5 * y + 7.75
    shift_y = piecewise_y - y
    rows = np.clip(crop_y, 0, HEIGHT - 1)
    lower = np.floor(rows).astype(int)
    upper = np.minimum(lower + 1, HEIGHT - 1)
    fraction = rows - lower
    # The piecewise field is bilinear in y between pixel rows, so row interpolation of its
    # values on the pixel grid is exact up to cell boundaries (tolerance).
    expected_y = crop_y + (1 - fraction) * shift_y[lower, x] + fraction * shift_y[upper, x]
    np.testing.assert_allclose(ours_y, np.clip(expected_y, 0, HEIGHT - 1), atol=0.1)


def test_piecewise_field_without_cell_twist_equals_skimages_everywhere():
    # Displacements that vary by row in y and by column in x have no twist in any cell:
    # then every triangulation and the bilinear interpolation agree exactly. The last row
    # moves down, beyond the image, so imgaug's clipping of the moved points shows too.
    aug = imgaug_child('piecewise_affine')
    module = BatchSeqCLRAugment(ops=['piecewise_affine'], seed=0)
    x, y = np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT))
    for rows, cols in [(2, 2), (3, 4), (4, 3), (4, 4)]:
        jitter = np.zeros((4, 4, 2))
        jitter[:rows, :, 0] = np.linspace(-0.04, 0.05, rows)[:, None]
        jitter[:, :cols, 1] = np.linspace(0.03, -0.02, cols)[None, :]
        transformer = aug._get_transformer(
            (HEIGHT, WIDTH), (HEIGHT, WIDTH), rows, cols, jitter[:rows, :cols].reshape(-1, 2)
        )
        expected = transformer(np.stack([x.ravel(), y.ravel()], 1).astype(np.float64))
        params = module.sample_params(torch.tensor([WIDTH]), HEIGHT)
        params['piecewise_jitter'] = torch.tensor(jitter, dtype=torch.float32)[None]
        params['piecewise_rows'], params['piecewise_cols'] = (
            torch.tensor([rows]),
            torch.tensor([cols]),
        )
        ours_x, ours_y = grid_to_pixels(
            module.sampling_grid(params, HEIGHT, WIDTH, torch.tensor([WIDTH]))[0]
        )
        np.testing.assert_allclose(ours_x.ravel(), np.clip(expected[:, 0], 0, WIDTH - 1), atol=1e-3)
        np.testing.assert_allclose(
            ours_y.ravel(), np.clip(expected[:, 1], 0, HEIGHT - 1), atol=1e-3
        )


@pytest.mark.parametrize(
    'order',
    [
        ('vertical_crop', 'horizontal_crop', 'perspective'),
        ('perspective', 'vertical_crop', 'horizontal_crop'),
        ('horizontal_crop', 'perspective', 'vertical_crop'),
    ],
)
def test_homographies_compose_in_the_sampled_order(order):
    module = BatchSeqCLRAugment(ops=['vertical_crop', 'horizontal_crop', 'perspective'], seed=0)
    params = fixed_order_params(module, order)
    params['crop_top'], params['crop_bottom'] = torch.tensor([9.0]), torch.tensor([3.0])
    params['crop_left'], params['crop_right'] = torch.tensor([2.0]), torch.tensor([0.0])
    params['perspective_jitter'] = torch.tensor(
        [[[0.05, 0.1], [0.0, 0.2], [0.1, 0.0], [0.02, 0.15]]]
    )
    widths = torch.tensor([WIDTH])
    maps = dict(
        vertical_crop=crop_resize_matrices(
            params['crop_top'], params['crop_bottom'], torch.tensor([float(HEIGHT)]), axis=1
        ),
        horizontal_crop=crop_resize_matrices(
            params['crop_left'], params['crop_right'], torch.tensor([float(WIDTH)]), axis=0
        ),
        perspective=perspective_matrices(params['perspective_jitter'], HEIGHT, widths),
    )
    # Applied first-to-last, the image is sampled at B_first(B_second(B_third(p))):
    # evaluate the backward maps one at a time, last op first.
    x, y = np.meshgrid(np.arange(WIDTH), np.arange(HEIGHT))
    points = np.stack([x.ravel(), y.ravel(), np.ones(x.size)]).astype(np.float64)
    for name in reversed(order):
        points = maps[name][0].double().numpy() @ points
        points = points / points[2]
    ours_x, ours_y = grid_to_pixels(module.sampling_grid(params, HEIGHT, WIDTH, widths)[0])
    np.testing.assert_allclose(ours_x.ravel(), np.clip(points[0], 0, WIDTH - 1), atol=2e-3)
    np.testing.assert_allclose(ours_y.ravel(), np.clip(points[1], 0, HEIGHT - 1), atol=2e-3)


def test_compact_and_masked_paths_agree():
    images = as_batch(*[smooth_image(seed=s) for s in range(64)])
    widths = torch.randint(40, WIDTH + 1, (64,))
    module = BatchSeqCLRAugment(seed=0)
    params = module.sample_params(widths, HEIGHT)
    compact = BatchSeqCLRAugment(compact=True).augment(images, params, widths)
    masked = BatchSeqCLRAugment(compact=False).augment(images, params, widths)
    torch.testing.assert_close(compact, masked, atol=1e-3, rtol=1e-4)


def test_narrow_image_in_a_padded_batch_is_augmented_as_on_its_own():
    pad_value = 7.0
    wide, narrow = smooth_image(seed=1), smooth_image(width=60, seed=2)
    padded = np.concatenate([narrow, np.full((HEIGHT, WIDTH - 60), pad_value, np.float32)], 1)
    images, widths = as_batch(wide, padded), torch.tensor([WIDTH, 60])
    module = BatchSeqCLRAugment(seed=0)
    params = fixed_order_params(module, module.op_names, num=2)
    # Crops drawn for each image's own width.
    params.update(
        {
            key: value
            for key, value in module.sample_params(widths, HEIGHT).items()
            if key.startswith('crop_')
        }
    )
    params['crop_left'], params['crop_right'] = torch.tensor([2.0, 1.0]), torch.tensor([1.0, 1.0])
    out = module(images, widths)  # forward accepts a padded batch
    assert torch.all(out[1, :, :, 60:] == pad_value)
    out = module.augment(images, params, widths)
    assert torch.all(out[1, :, :, 60:] == pad_value)
    alone_params = {key: value[1:] for key, value in params.items()}
    alone = module.augment(as_batch(narrow), alone_params, torch.tensor([60]))
    torch.testing.assert_close(out[1:, :, :, :60], alone, atol=2e-3, rtol=1e-4)
    assert (out[1, :, :, :60] - images[1, :, :, :60]).abs().max() > 10  # it did augment


# --- Module behaviour ---------------------------------------------------------------------


def test_same_op_names_and_default_ranges_as_the_imgaug_path():
    assert BatchSeqCLRAugment.OP_NAMES == SeqCLRAugment.OP_NAMES
    module = MODELS.build(dict(type='BatchSeqCLRAugment'))
    assert module.op_names == SeqCLRAugment.OP_NAMES
    spec = {child['cls']: child for child in SeqCLRAugment.build_spec()['children']}
    assert module.ranges['linear_contrast'] == spec['LinearContrast']['alpha']
    assert module.ranges['gaussian_blur'] == spec['GaussianBlur']['sigma']
    assert module.ranges['piecewise_affine'] == spec['PiecewiseAffine']['scale']
    assert module.ranges['perspective'] == spec['PerspectiveTransform']['scale']
    assert MODELS.build(
        dict(type='BatchSeqCLRAugment', sharpen_alpha=None, piecewise_affine=None)
    ).op_names == (
        'linear_contrast',
        'gaussian_blur',
        'vertical_crop',
        'horizontal_crop',
        'perspective',
    )


def test_output_is_a_batch_in_range_and_reproducible():
    images = as_batch(*[smooth_image(seed=s) for s in range(8)])
    out = BatchSeqCLRAugment(seed=3)(images)
    assert out.shape == images.shape and out.dtype == torch.float32
    assert out.min() >= 0 and out.max() <= 255
    torch.testing.assert_close(BatchSeqCLRAugment(seed=3)(images), out)
    torch.manual_seed(0)
    global_rng = BatchSeqCLRAugment()(images)
    torch.manual_seed(0)
    torch.testing.assert_close(BatchSeqCLRAugment()(images), global_rng)
    assert not torch.equal(global_rng[0], global_rng[1])  # independent views


@pytest.mark.parametrize(
    'kwargs,message',
    [
        (dict(ops=['flip']), 'Unknown'),
        (dict(ops=['perspective'], perspective=None), 'range is None'),
        (
            dict(
                linear_contrast=None,
                gaussian_blur=None,
                sharpen_alpha=None,
                vertical_crop=None,
                horizontal_crop=None,
                piecewise_affine=None,
                perspective=None,
            ),
            'no op left',
        ),
        (dict(vertical_crop=(0.3, 0.1)), 'vertical_crop'),
        (dict(sharpen_alpha=(0.0, 1.5)), 'sharpen_alpha'),
    ],
)
def test_bad_arguments_are_reported(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BatchSeqCLRAugment(**kwargs)


def test_bad_inputs_are_reported():
    module = BatchSeqCLRAugment()
    with pytest.raises(ValueError, match='floating point'):
        module(torch.zeros(2, 1, HEIGHT, WIDTH, dtype=torch.uint8))
    with pytest.raises(ValueError, match='widths must have shape'):
        module(torch.zeros(2, 1, HEIGHT, WIDTH), torch.tensor([WIDTH]))
    with pytest.raises(ValueError, match='every width'):
        module(torch.zeros(2, 1, HEIGHT, WIDTH), torch.tensor([WIDTH, WIDTH + 1]))
