"""LoadImageSafe: gray and RGBA files load (RGBA composited over white); corrupt files are
skipped, logged and counted, and MMEngine's BaseDataset then fetches another sample in
training mode."""

import logging

import cv2
import numpy as np
import pytest
from mmengine.logging import MMLogger

from seqclr_mmocr.datasets.image_folder_dataset import ImageFolderDataset
from seqclr_mmocr.datasets.transforms.loading import LoadImageSafe


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def warnings_logged():
    logger = MMLogger.get_current_instance()
    handler = _Records()
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.fixture
def files(tmp_path):
    gray = np.tile(np.arange(0, 250, 10, dtype=np.uint8), (12, 1))  # 12 x 25
    rgba = np.zeros((12, 25, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = 10, 100, 200  # B, G, R
    rgba[..., 3] = np.linspace(0, 255, 25, dtype=np.uint8)
    paths = dict(
        gray=tmp_path / 'gray.png',
        rgba=tmp_path / 'rgba.png',
        truncated=tmp_path / 'truncated.png',
        empty=tmp_path / 'empty.png',
        garbage=tmp_path / 'garbage.jpg',
        missing=tmp_path / 'missing.png',
    )
    assert cv2.imwrite(str(paths['gray']), gray)
    assert cv2.imwrite(str(paths['rgba']), rgba)
    assert cv2.imread(str(paths['rgba']), cv2.IMREAD_UNCHANGED).shape == (12, 25, 4)
    whole = paths['gray'].read_bytes()
    paths['truncated'].write_bytes(whole[: len(whole) // 2])
    paths['empty'].write_bytes(b'')
    paths['garbage'].write_bytes(bytes(range(256)) * 4)
    return {k: str(v) for k, v in paths.items()}, gray


def load(path, **kwargs):
    return LoadImageSafe(**kwargs)(dict(img_path=path))


def test_gray_png_loads_as_gray_or_three_channel(files):
    paths, gray = files
    as_gray = load(paths['gray'], color_type='grayscale')
    np.testing.assert_array_equal(as_gray['img'], gray)
    assert as_gray['img_shape'] == as_gray['ori_shape'] == (12, 25)
    as_colour = load(paths['gray'], color_type='color')['img']
    assert as_colour.shape == (12, 25, 3)
    for c in range(3):
        np.testing.assert_array_equal(as_colour[..., c], gray)


def test_rgba_png_loads_as_bgr_or_gray_composited_over_white(files):
    paths, _ = files
    alpha = np.linspace(0, 255, 25, dtype=np.uint8) / 255.0
    as_colour = load(paths['rgba'], color_type='color')['img']
    assert as_colour.shape == (12, 25, 3)
    for c, value in enumerate([10, 100, 200]):  # BGR over white, as a viewer shows it
        expected = np.round(value * alpha + 255 * (1 - alpha))
        assert np.abs(as_colour[..., c] - expected).max() <= 1
    as_gray = load(paths['rgba'], color_type='grayscale')['img']
    assert as_gray.shape == (12, 25)
    # the opaque end: cv2's gray from BGR, 0.114 B + 0.587 G + 0.299 R
    assert abs(int(as_gray[0, -1]) - round(0.114 * 10 + 0.587 * 100 + 0.299 * 200)) <= 1
    assert as_gray[0, 0] == 255  # the transparent end


@pytest.mark.parametrize('kind', ['truncated', 'empty', 'garbage', 'missing'])
def test_unreadable_file_is_skipped_logged_and_counted(files, kind, warnings_logged):
    paths, _ = files
    before = LoadImageSafe.num_skipped
    assert load(paths[kind], color_type='grayscale') is None
    assert LoadImageSafe.num_skipped == before + 1
    messages = [r.getMessage() for r in warnings_logged if r.levelno == logging.WARNING]
    assert len(messages) == 1
    assert f"skipped corrupt image '{paths[kind]}'" in messages[0]
    assert f'({before + 1} skipped so far in this process' in messages[0]


def test_first_skipped_paths_are_kept_as_examples(files):
    paths, _ = files
    LoadImageSafe.skipped_examples.clear()
    for _ in range(LoadImageSafe.MAX_EXAMPLES + 2):
        load(paths['empty'])
    assert LoadImageSafe.skipped_examples == [paths['empty']] * LoadImageSafe.MAX_EXAMPLES


def test_min_size_skips_small_images(files):
    paths, _ = files
    assert load(paths['gray'], min_size=13) is None
    assert load(paths['gray'], min_size=12) is not None


def _dataset(files, test_mode):
    paths, _ = files
    root = paths['gray'].rsplit('/', 1)[0]
    return ImageFolderDataset(
        data_root=root,
        test_mode=test_mode,
        extensions=['.png'],
        pipeline=[dict(type='LoadImageSafe', color_type='grayscale')],
    )


def test_training_dataset_refetches_another_image(files):
    dataset = _dataset(files, test_mode=False)
    names = [dataset.get_data_info(i)['img_path'].rsplit('/', 1)[1] for i in range(len(dataset))]
    assert names == ['empty.png', 'gray.png', 'rgba.png', 'truncated.png']
    np.random.seed(0)
    for _ in range(5):
        sample = dataset[names.index('truncated.png')]
        assert sample['img_path'].endswith(('gray.png', 'rgba.png'))
        assert sample['img'].ndim == 2


def test_test_mode_dataset_raises_on_a_corrupt_image(files):
    dataset = _dataset(files, test_mode=True)
    with pytest.raises(Exception, match='should not get `None`'):
        dataset[0]  # empty.png
