"""A contrastive batch without negatives stops training instead of logging loss 0
(issue 10, item 3)."""

import pytest
import torch
from conftest import REPO_ROOT
from mmengine import Config
from mmengine.registry import DefaultScope
from mmocr.registry import MODELS

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.models.algorithms import check_contrastive_negatives
from seqclr_mmocr.models.losses import NoNegativesError, SequenceContrastiveLoss

BACKBONE = dict(
    type='ResNet',
    in_channels=1,
    stem_channels=[8],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[1, 1],
    arch_channels=[8, 16],
    strides=[(2, 2), (2, 2)],
)
LOSS = dict(type='SequenceContrastiveLoss', temperature=0.1)
ALL_TO_INSTANCE = dict(
    type='SeqCLR',
    backbone=BACKBONE,
    representation='visual',
    loss=LOSS,
    instance_mapper=dict(type='AllToInstance'),
)
SIMCLR = dict(
    type='SimCLR',
    backbone=BACKBONE,
    representation='visual',
    loss=LOSS,
    head=dict(type='SimCLRMLPHead', in_channels=16, hidden_channels=8, out_channels=4),
)


def build(cfg):
    with DefaultScope.overwrite_default_scope('mmocr'):
        return MODELS.build(cfg)


def test_loss_with_one_instance_pair_raises_instead_of_returning_zero():
    with pytest.raises(NoNegativesError, match='no instance has a negative'):
        SequenceContrastiveLoss()(torch.randn(1, 4), torch.randn(1, 4))


def test_loss_with_two_instance_pairs_is_positive():
    loss, _ = SequenceContrastiveLoss()(torch.randn(2, 4), torch.randn(2, 4))
    assert float(loss) > 0


@pytest.mark.parametrize('cfg, mapping', [(ALL_TO_INSTANCE, 'AllToInstance'), (SIMCLR, 'SimCLR')])
def test_training_step_on_a_batch_of_one_names_batch_size_and_mapping(cfg, mapping):
    model = build(cfg)
    views = [torch.randn(1, 1, 16, 40), torch.randn(1, 1, 16, 40)]
    with pytest.raises(NoNegativesError) as err:
        model(views, mode='loss')
    assert 'batch size 1' in str(err.value) and mapping in str(err.value)


def test_window_mapping_on_a_batch_of_one_still_has_negatives():
    model = build(
        dict(ALL_TO_INSTANCE, instance_mapper=dict(type='WindowToInstance', num_windows=3))
    )
    losses = model([torch.randn(1, 1, 16, 40), torch.randn(1, 1, 16, 40)], mode='loss')
    assert float(losses['loss']) > 0


def config(model, batch_size):
    return Config(dict(model=model, train_dataloader=dict(batch_size=batch_size)))


@pytest.mark.parametrize('model', [ALL_TO_INSTANCE, SIMCLR])
def test_config_with_batch_of_one_and_one_instance_per_image_is_refused(model):
    with pytest.raises(NoNegativesError, match=r'train_dataloader\.batch_size=1'):
        check_contrastive_negatives(config(model, 1))


@pytest.mark.parametrize(
    'model, batch_size, world_size',
    [
        (ALL_TO_INSTANCE, 2, 1),
        (ALL_TO_INSTANCE, 1, 2),
        (SIMCLR, 4, 1),
        (dict(ALL_TO_INSTANCE, instance_mapper=dict(type='WindowToInstance')), 1, 1),
    ],
)
def test_configs_that_can_have_negatives_pass_the_check(model, batch_size, world_size):
    check_contrastive_negatives(config(model, batch_size), world_size)


@pytest.mark.slow
def test_train_tool_refuses_simclr_demo_config_with_batch_one_before_training(tmp_path):
    import subprocess

    from conftest import PYTHON, python_env

    config_path = (
        REPO_ROOT / 'configs/seqclr/simclr_mean-mlp_small-resnet_400it_demo-handwriting.py'
    )
    proc = subprocess.run(
        [
            PYTHON,
            'tools/train.py',
            str(config_path),
            '--work-dir',
            str(tmp_path / 'work'),
            '--cfg-options',
            'train_dataloader.batch_size=1',
        ],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'NoNegativesError' in output and 'train_dataloader.batch_size=1' in output
    assert 'Iter(train)' not in output
