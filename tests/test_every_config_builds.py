"""Every experiment config under configs/ parses (with its ``mmocr::`` bases) and builds its
model and its runner settings, so that a typo or a bad combination fails here and not at the
start of a cluster job."""

from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmocr.registry import MODELS

REPO_ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT_CONFIGS = sorted(
    str(path.relative_to(REPO_ROOT))
    for path in (REPO_ROOT / 'configs').rglob('*.py')
    if '_base_' not in path.parts
)


def test_the_experiment_configs_are_found():
    assert len(EXPERIMENT_CONFIGS) >= 60


@pytest.mark.parametrize('config', EXPERIMENT_CONFIGS)
def test_config_builds_its_model_and_names_a_schedule(config):
    import seqclr_mmocr  # noqa: F401

    cfg = Config.fromfile(str(REPO_ROOT / config))
    assert cfg.get('default_scope') == 'mmocr', config
    assert cfg.train_cfg.type == 'IterBasedTrainLoop' and cfg.train_cfg.max_iters > 0
    for scheduler in cfg.param_scheduler:
        for milestone in scheduler.get('milestones', []):
            assert 0 < milestone < cfg.train_cfg.max_iters, (config, scheduler)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model)
    parameters = sum(p.numel() for p in model.parameters())
    assert parameters > 0
    assert isinstance(model, torch.nn.Module)
