"""SeqCLRDataPreprocessor: normalisation, padding and valid-width ratios of both views, for
the imgaug path (views from the pipeline) and the batched path (views made here)."""

import pytest
import torch
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import nn

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.models.data_preprocessors import SeqCLRDataPreprocessor


@MODELS.register_module()
class _AddOneInsideWidthForTest(nn.Module):
    """A deterministic stand-in for a batched augmentation: +1 on valid columns."""

    def forward(self, images, widths):
        columns = torch.arange(images.shape[-1])[None, :] < widths[:, None]
        return images + columns[:, None, None, :].float()


def samples(n):
    return [TextRecogDataSample(metainfo=dict(img_path=f'{i}.png')) for i in range(n)]


def test_two_pipeline_views_are_normalised_padded_and_get_valid_ratios():
    view_a = [
        torch.full((1, 4, 6), 10, dtype=torch.uint8),
        torch.full((1, 4, 3), 20, dtype=torch.uint8),
    ]
    view_b = [
        torch.full((1, 4, 5), 30, dtype=torch.uint8),
        torch.full((1, 4, 3), 40, dtype=torch.uint8),
    ]
    prep = SeqCLRDataPreprocessor(mean=[10.0], std=[2.0], pad_value=-7)
    out = prep(dict(inputs=[view_a, view_b], data_samples=samples(2)))
    a, b = out['inputs']
    assert a.shape == b.shape == (2, 1, 4, 6)
    assert (
        torch.all(a[0] == 0) and torch.all(a[1, :, :, :3] == 5) and torch.all(a[1, :, :, 3:] == -7)
    )
    assert torch.all(b[0, :, :, :5] == 10) and torch.all(b[0, :, :, 5:] == -7)
    ratios = [s.view_valid_ratios for s in out['data_samples']]
    assert ratios == [(6 / 6, 5 / 6), (3 / 6, 3 / 6)]


def test_view_augment_makes_both_views_from_one_image_and_keeps_padding():
    images = [
        torch.full((1, 2, 4), 10, dtype=torch.uint8),
        torch.full((1, 2, 2), 10, dtype=torch.uint8),
    ]
    prep = SeqCLRDataPreprocessor(
        mean=[10.0], std=[1.0], pad_value=-5, view_augment=dict(type='_AddOneInsideWidthForTest')
    )
    out = prep(dict(inputs=[images], data_samples=samples(2)))
    assert len(out['inputs']) == 2
    for view in out['inputs']:
        assert view.shape == (2, 1, 2, 4)
        assert torch.all(view[0] == 1)
        assert torch.all(view[1, :, :, :2] == 1) and torch.all(view[1, :, :, 2:] == -5)
    assert [s.view_valid_ratios for s in out['data_samples']] == [(1.0, 1.0), (0.5, 0.5)]


def test_wrong_number_of_views_names_the_sample_and_the_fix():
    prep = SeqCLRDataPreprocessor(mean=[0.0], std=[1.0])
    one_view = [[torch.zeros((1, 2, 2), dtype=torch.uint8)]]
    with pytest.raises(ValueError, match=r'2 view\(s\).*0.png.*MultiView'):
        prep(dict(inputs=one_view, data_samples=samples(1)))
