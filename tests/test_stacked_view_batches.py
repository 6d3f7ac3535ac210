"""SeqCLRDataPreprocessor takes batches stacked by the dataloader workers (MMEngine's
``default_collate``) as well as lists of images (``pseudo_collate``), with the same result.

Stacking in the workers sends one shared-memory tensor per view instead of one per image
(tools/analysis_tools/benchmark_train_step.py measures the difference)."""

import torch
from mmengine.dataset import default_collate, pseudo_collate
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import nn

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.models.data_preprocessors import SeqCLRDataPreprocessor


@MODELS.register_module()
class _ShiftByColumnForStackTest(nn.Module):
    """A deterministic stand-in for a batched augmentation: adds the column index."""

    def forward(self, images, widths):
        return images + torch.arange(images.shape[-1], dtype=images.dtype)


def packed_samples(num_views: int, num_samples: int = 3):
    gen = torch.Generator().manual_seed(0)
    return [
        dict(
            inputs=[
                torch.randint(0, 256, (1, 4, 6), generator=gen, dtype=torch.uint8)
                for _ in range(num_views)
            ],
            data_samples=TextRecogDataSample(metainfo=dict(img_path=f'{i}.png')),
        )
        for i in range(num_samples)
    ]


def run_both_collates(prep: SeqCLRDataPreprocessor, num_views: int):
    samples = packed_samples(num_views)
    stacked_batch = default_collate(samples)
    assert all(isinstance(view, torch.Tensor) for view in stacked_batch['inputs'])
    listed = prep(pseudo_collate(samples))
    stacked = prep(stacked_batch)
    return listed, stacked


def assert_same_output(listed, stacked):
    assert len(listed['inputs']) == len(stacked['inputs']) == 2
    for a, b in zip(listed['inputs'], stacked['inputs']):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert [s.view_valid_ratios for s in listed['data_samples']] == [
        s.view_valid_ratios for s in stacked['data_samples']
    ]


def test_stacked_pipeline_views_give_the_same_batch_as_listed_views():
    prep = SeqCLRDataPreprocessor(mean=[127.5], std=[127.5], num_views=2)
    assert_same_output(*run_both_collates(prep, num_views=2))


def test_stacked_single_images_give_the_same_views_as_listed_images():
    prep = SeqCLRDataPreprocessor(
        mean=[127.5], std=[127.5], view_augment=dict(type='_ShiftByColumnForStackTest')
    )
    listed, stacked = run_both_collates(prep, num_views=1)
    assert_same_output(listed, stacked)
    # The views went through the augmentation and the normalisation.
    image = packed_samples(1)[0]['inputs'][0].float()
    expected = (image + torch.arange(6.0) - 127.5) / 127.5
    torch.testing.assert_close(stacked['inputs'][0][0], expected)
