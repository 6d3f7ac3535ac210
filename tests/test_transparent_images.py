"""A word image whose text is drawn only in the alpha channel (RGBA, gray + alpha, palette
with a transparent colour) loads as dark text on a light background, not as an all-black
image (issue 36, item 4)."""

import logging

import cv2
import numpy as np
import pytest
from mmengine.logging import MMLogger
from PIL import Image

from seqclr_mmocr.datasets.transforms.loading import (
    LoadImageSafe,
    decode_image,
    may_have_transparency,
)

HEIGHT, WIDTH = 24, 60


def text_mask() -> np.ndarray:
    """A 'word': three dark strokes, 1 where the text is."""
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    for left in (6, 24, 42):
        mask[6:18, left : left + 10] = 1
    return mask


def write_transparent(path, mode: str, ink: int = 0) -> None:
    """Text of grey level ``ink`` drawn only in the alpha channel: every pixel has the
    colour ``ink``, the background is transparent."""
    mask = text_mask()
    if mode == 'RGBA':
        pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
        pixels[..., :3] = ink
        pixels[..., 3] = mask * 255
        Image.fromarray(pixels, 'RGBA').save(path)
    elif mode == 'LA':
        pixels = np.zeros((HEIGHT, WIDTH, 2), np.uint8)
        pixels[..., 0] = ink
        pixels[..., 1] = mask * 255
        Image.fromarray(pixels, 'LA').save(path)
    elif mode == 'P':  # palette: index 0 (background) transparent, both colours = ink
        image = Image.fromarray(mask, 'P')
        image.putpalette([ink] * 6)
        image.save(path, transparency=0)
    else:
        raise ValueError(mode)


@pytest.fixture
def warnings_logged():
    records = []

    class Handler(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = MMLogger.get_current_instance()
    handler = Handler(level=logging.WARNING)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def text_and_background(img: np.ndarray):
    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    mask = text_mask().astype(bool)
    return float(gray[mask].mean()), float(gray[~mask].mean())


@pytest.mark.parametrize('mode', ['RGBA', 'LA', 'P'])
@pytest.mark.parametrize('color_type', ['grayscale', 'color'])
def test_text_in_alpha_loads_dark_on_light(tmp_path, mode, color_type):
    path = tmp_path / f'word_{mode}.png'
    write_transparent(path, mode)
    assert may_have_transparency(path.read_bytes())
    # cv2 on its own drops the alpha channel: the word is invisible.
    assert cv2.imread(str(path), cv2.IMREAD_GRAYSCALE).max() == 0
    results = LoadImageSafe(color_type=color_type)(dict(img_path=str(path)))
    img = results['img']
    assert img.shape == ((HEIGHT, WIDTH) if color_type == 'grayscale' else (HEIGHT, WIDTH, 3))
    assert results['ori_shape'] == (HEIGHT, WIDTH)
    text, background = text_and_background(img)
    assert text < 10 and background > 245


def test_light_text_in_alpha_is_composited_over_black_to_keep_its_contrast(tmp_path):
    path = tmp_path / 'white_word.png'
    write_transparent(path, 'RGBA', ink=255)
    img = LoadImageSafe(color_type='grayscale')(dict(img_path=str(path)))['img']
    text, background = text_and_background(img)
    assert text > 245 and background < 10


def test_transparent_images_are_counted_and_the_first_is_named(tmp_path, warnings_logged):
    paths = []
    for mode in ('RGBA', 'LA', 'P'):
        paths.append(tmp_path / f'{mode}.png')
        write_transparent(paths[-1], mode)
    before = LoadImageSafe.num_composited
    LoadImageSafe.num_composited = 0  # as in a fresh worker process
    try:
        for path in paths:
            LoadImageSafe(color_type='grayscale')(dict(img_path=str(path)))
        assert LoadImageSafe.num_composited == 3
    finally:
        LoadImageSafe.num_composited += before
    messages = [r.getMessage() for r in warnings_logged if 'transparent' in r.getMessage()]
    assert len(messages) == 1
    assert str(paths[0]) in messages[0] and 'composited over white' in messages[0]


def test_opaque_images_are_decoded_as_before(tmp_path):
    gray = np.tile(np.arange(0, 250, 10, dtype=np.uint8), (12, 1))
    path = tmp_path / 'gray.png'
    assert cv2.imwrite(str(path), gray)
    assert not may_have_transparency(path.read_bytes())
    img, background = decode_image(path.read_bytes(), 'grayscale')
    np.testing.assert_array_equal(img, gray)
    assert background is None
    jpeg = tmp_path / 'gray.jpg'
    assert cv2.imwrite(str(jpeg), gray)
    assert not may_have_transparency(jpeg.read_bytes())


def test_unchanged_colour_type_keeps_the_alpha_channel(tmp_path):
    path = tmp_path / 'rgba.png'
    write_transparent(path, 'RGBA')
    img = LoadImageSafe(color_type='unchanged')(dict(img_path=str(path)))['img']
    assert img.shape == (HEIGHT, WIDTH, 4)


@pytest.mark.parametrize('work_dir_config', [False, True])
def test_inference_pipeline_composites_transparent_images(tmp_path, work_dir_config):
    """tools/infer.py's inferencer loads with LoadImageSafe, from the config as shipped or
    as the training tool dumps it into the work dir (evaluation loading LoadImageSafe)."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.apis.inferencers import TextRecInferencer

    from seqclr_mmocr.datasets.annotation_checks import skip_unreadable_eval_images
    from seqclr_mmocr.datasets.transforms.loading import SafeLoadingInferencerMixin

    class Inferencer(SafeLoadingInferencerMixin, TextRecInferencer):
        pass

    cfg = Config.fromfile('configs/own_data/supervised_ctc_small-resnet-bilstm_4000it_own-data.py')
    if work_dir_config:
        skip_unreadable_eval_images(cfg)
    inferencer = Inferencer.__new__(Inferencer)  # the pipeline only, without a model
    with DefaultScope.overwrite_default_scope('mmocr'):
        pipeline = inferencer._init_pipeline(cfg)
    path = tmp_path / 'word.png'
    write_transparent(path, 'P')
    packed = pipeline(str(path))
    img = packed['inputs'].numpy()[0]  # resized to 32 x 100
    assert img.shape == (32, 100)
    assert img.min() < 10 and img.max() > 245
