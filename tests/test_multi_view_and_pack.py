"""MultiView, PackSeqCLRInputs, and the pipelines of configs/_base_/pipelines/."""

import copy
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import TRANSFORMS
from mmocr.structures import TextRecogDataSample

# Imported for registration: the pipelines build them from the registry by name.
import seqclr_mmocr.datasets.transforms.imgaug_transforms  # noqa: F401
import seqclr_mmocr.datasets.transforms.loading  # noqa: F401
from seqclr_mmocr.datasets.transforms.formatting import PackSeqCLRInputs
from seqclr_mmocr.datasets.transforms.multi_view import MultiView

PIPELINES_DIR = Path(__file__).resolve().parents[1] / 'configs/_base_/pipelines'
PIPELINES_CFG = PIPELINES_DIR / 'pretrain_pipelines.py'
RECOG_PIPELINES_CFG = PIPELINES_DIR / 'recog_pipelines.py'


def gradient_image(height=32, width=100, channels=None):
    img = np.tile(np.linspace(0, 255, width, dtype=np.uint8), (height, 1))
    img[height // 3 : 2 * height // 3, ::7] = 0  # some strokes
    if channels:
        img = np.stack([img, img[:, ::-1], 255 - img][:channels], axis=-1)
    return np.ascontiguousarray(img)


def loaded(img, **extra):
    return dict(
        img=img, img_path='a/b.png', ori_shape=img.shape[:2], img_shape=img.shape[:2], **extra
    )


def test_multi_view_makes_independent_views_of_a_copy():
    img = gradient_image()
    results = loaded(img.copy())
    out = MultiView(transforms=[dict(type='SeqCLRAugment', seed=0)], num_views=2)(results)
    first, second = out['img']
    assert first.shape == second.shape == img.shape
    assert not np.array_equal(first, second)
    assert out['img_shape'] == [img.shape[:2], img.shape[:2]]
    assert out['img_path'] == 'a/b.png'


def test_multi_view_does_not_modify_the_loaded_image_in_place():
    img = gradient_image()
    results = loaded(img.copy())
    augment_in_place = lambda r: (r['img'].__setitem__(Ellipsis, 0), r)[1]  # noqa: E731
    out = MultiView(transforms=[augment_in_place], num_views=3)(copy.copy(results))
    assert len(out['img']) == 3
    np.testing.assert_array_equal(results['img'], img)


def test_multi_view_num_views_and_dropped_view():
    out = MultiView(transforms=[], num_views=3)(loaded(gradient_image()))
    assert len(out['img']) == 3 and len(out['img_shape']) == 3
    assert MultiView(transforms=[lambda r: None])(loaded(gradient_image())) is None
    with pytest.raises(ValueError, match='num_views'):
        MultiView(transforms=[], num_views=0)


def test_pack_two_gray_views_with_text():
    img = gradient_image()
    results = loaded(img, gt_texts=['word'])
    results['img'] = [img, 255 - img]
    results['img_shape'] = [img.shape[:2]] * 2
    packed = PackSeqCLRInputs()(results)
    inputs, sample = packed['inputs'], packed['data_samples']
    assert isinstance(inputs, list) and len(inputs) == 2
    for view, expected in zip(inputs, [img, 255 - img]):
        assert view.dtype == torch.uint8 and view.shape == (1, 32, 100)
        np.testing.assert_array_equal(view[0].numpy(), expected)
    assert isinstance(sample, TextRecogDataSample)
    assert sample.gt_text.item == 'word'
    assert sample.img_path == 'a/b.png' and sample.img_shape == [(32, 100)] * 2


def test_pack_single_colour_view_without_text():
    img = gradient_image(channels=3)
    packed = PackSeqCLRInputs()(loaded(img, instances=[]))
    (view,) = packed['inputs']
    assert view.shape == (3, 32, 100) and view.dtype == torch.uint8
    for c in range(3):  # channel c of the tensor is channel c of the HxWxC image
        np.testing.assert_array_equal(view[c].numpy(), img[..., c])
    assert 'gt_text' not in packed['data_samples']


def test_pack_non_contiguous_view():
    img = gradient_image(channels=3)[:, ::-1]
    (view,) = PackSeqCLRInputs()(loaded(img))['inputs']
    np.testing.assert_array_equal(view.permute(1, 2, 0).numpy(), img)


def test_pack_text_from_instances():
    packed = PackSeqCLRInputs()(loaded(gradient_image(), instances=[dict(text='hand')]))
    assert isinstance(packed['data_samples'].gt_text, LabelData)
    assert packed['data_samples'].gt_text.item == 'hand'


def test_pack_rejects_several_texts_naming_the_image():
    with pytest.raises(ValueError, match='a/b.png'):
        PackSeqCLRInputs()(loaded(gradient_image(), gt_texts=['a', 'b']))


@pytest.fixture
def sample_image(tmp_path):
    path = tmp_path / 'sample.png'
    cv2.imwrite(str(path), gradient_image(height=40, width=150, channels=3))
    return str(path)


def test_pipelines_config_loads_and_each_pipeline_runs(sample_image):
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(PIPELINES_CFG))
    assert cfg.seqclr_augment == dict(type='SeqCLRAugment')
    for name, num_views in [
        ('seqclr_pretrain_pipeline', 2),
        ('simclr_pretrain_pipeline', 2),
        ('seqclr_single_view_pipeline', 1),
    ]:
        packed = Compose(cfg[name])(dict(img_path=sample_image, instances=[]))
        assert len(packed['inputs']) == num_views, name
        for view in packed['inputs']:
            assert view.shape == (1, 32, 100) and view.dtype == torch.uint8, name
        assert 'gt_text' not in packed['data_samples']
        assert packed['data_samples'].img_path == sample_image


def test_config_augmentations_run_on_gray_and_colour(sample_image):
    init_default_scope('mmocr')
    cfg = Config.fromfile(str(PIPELINES_CFG))
    light_finetune_augment = Config.fromfile(str(RECOG_PIPELINES_CFG)).light_finetune_augment
    gray, colour = gradient_image(), gradient_image(channels=3)
    cases = [
        ([light_finetune_augment], gray),
        ([light_finetune_augment], colour),
        (cfg.simclr_gray_augment, gray),
        (cfg.simclr_color_augment, colour),
        ([cfg.seqclr_augment], colour),
    ]
    for transforms, img in cases:
        pipeline = Compose(transforms)
        for _ in range(5):
            out = pipeline(loaded(img.copy()))
            assert out['img'].shape == img.shape and out['img'].dtype == np.uint8


def test_registered_in_mmocr_registry():
    for name in ['MultiView', 'PackSeqCLRInputs', 'ImgAugNested', 'SeqCLRAugment', 'LoadImageSafe']:
        assert TRANSFORMS.get(name) is not None, name
    assert TRANSFORMS.get('MultiView') is MultiView
