"""A short last validation batch of one image, with one instance per image, is left out of
the label-free validation and counted, instead of failing with NoNegativesError after
training (issue 36, item 5)."""

import json

import cv2
import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.structures import BaseDataElement
from mmocr.registry import METRICS, MODELS

import seqclr_mmocr  # noqa: F401

ALL_TO_INSTANCE_CONFIG = (
    REPO_ROOT / 'configs/seqclr/seqclr_all-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)
BACKBONE = dict(
    type='ResNet',
    in_channels=1,
    stem_channels=[8],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[1, 1],
    arch_channels=[8, 16],
    strides=[(2, 2), (2, 2)],
)
ALL_TO_INSTANCE = dict(
    type='SeqCLR',
    backbone=BACKBONE,
    representation='visual',
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    instance_mapper=dict(type='AllToInstance'),
)


def samples(paths):
    return [BaseDataElement(metainfo=dict(img_path=path)) for path in paths]


def test_predict_marks_a_batch_of_one_unscored_and_the_metric_counts_it(warnings_logged):
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(ALL_TO_INSTANCE).eval()
        metric = METRICS.build(dict(type='ContrastiveRetrievalMetric'))
    torch.manual_seed(0)
    with torch.no_grad():
        full = model.predict(
            [torch.randn(5, 1, 16, 40), torch.randn(5, 1, 16, 40)],
            samples([f'a{i}.png' for i in range(5)]),
        )
        last = model.predict(
            [torch.randn(1, 1, 16, 40), torch.randn(1, 1, 16, 40)], samples(['b.png'])
        )
    assert last[0].get('no_negatives') and 'contrastive_loss' not in last[0]
    for batch in (full, last):  # as MMEngine's Evaluator hands them over
        metric.process([], [sample.to_dict() for sample in batch])
    metrics = metric.evaluate(6)
    assert metrics['pretrain/unscored_samples'] == 1
    assert metrics['pretrain/num_samples'] == 5
    assert metrics['pretrain/loss'] == pytest.approx(float(full[0].contrastive_loss))
    assert any('1 sample(s) left out, unscored' in m and 'b.png' in m for m in warnings_logged)


def test_a_batch_with_negatives_is_still_scored():
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(ALL_TO_INSTANCE).eval()
    with torch.no_grad():
        out = model.predict([torch.randn(2, 1, 16, 40), torch.randn(2, 1, 16, 40)], samples('xy'))
    assert not out[0].get('no_negatives') and out[0].contrastive_loss > 0


def write_val_split(root, num):
    (root / 'imgs').mkdir(parents=True)
    data_list = []
    for i in range(num):
        img = np.full((32, 90), 225, np.uint8)
        cv2.putText(img, f'val{i}', (4, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 25, 2)
        assert cv2.imwrite(str(root / 'imgs' / f'{i}.png'), img)
        data_list.append(dict(img_path=f'imgs/{i}.png', instances=[dict(text=f'val{i}')]))
    (root / 'textrecog_val.json').write_text(
        json.dumps(dict(metainfo=dict(task_name='textrecog'), data_list=data_list))
    )


def test_validation_of_six_images_in_batches_of_five_runs_and_counts_the_last_one(tmp_path):
    """The issue's case: the all-to-instance demo pretraining, 6 val images, batch 5."""
    from mmengine.runner import Runner

    write_val_split(tmp_path / 'data', 6)
    cfg = Config.fromfile(str(ALL_TO_INSTANCE_CONFIG))
    cfg.val_dataloader.batch_size = 5
    cfg.val_dataloader.num_workers = 0
    cfg.val_dataloader.dataset.datasets[0].data_root = str(tmp_path / 'data')
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    metrics = runner.val()
    assert metrics['pretrain/unscored_samples'] == 1
    assert metrics['pretrain/num_samples'] == 5
    assert np.isfinite(metrics['pretrain/loss']) and metrics['pretrain/loss'] > 0
