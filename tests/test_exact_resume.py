"""A resumed SeqCLR pretraining repeats the uninterrupted run bit for bit on CPU (issue 10,
item 2): the batched views are a function of (seed, iteration, call, rank), not of a random
state that the checkpoint does not hold."""

import json
import subprocess
from pathlib import Path

import pytest
import torch
from conftest import KILL_HOOK, PYTHON, REPO_ROOT, python_env, run_repo_tool

pytestmark = pytest.mark.slow

PRETRAIN_CONFIG = (
    'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)


def options(data_root: Path, max_iters: int, workers: int) -> list:
    opts = [
        '--cfg-options',
        f'train_cfg.max_iters={max_iters}',
        'train_cfg.val_interval=3',
        'default_hooks.checkpoint.interval=3',
        'default_hooks.checkpoint.max_keep_ckpts=3',
        'default_hooks.logger.interval=1',
        'param_scheduler.0.milestones=[4,5]',
        'randomness.seed=0',
        'train_dataloader.batch_size=4',
        'val_dataloader.batch_size=4',
        f'train_dataloader.num_workers={workers}',
        f'train_dataloader.persistent_workers={workers > 0}',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
    ]
    for loader in ('train_dataloader', 'val_dataloader'):
        opts.append(f'{loader}.dataset.datasets.0.data_root={data_root}')
    return opts


def killed_config(tmp_path: Path, at: int) -> Path:
    """The pretraining config plus a hook that kills the process after iteration ``at``."""
    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    config = tmp_path / 'killed_pretrain.py'
    config.write_text(
        f"_base_ = ['{REPO_ROOT / PRETRAIN_CONFIG}']\n"
        "custom_imports = dict(imports=['seqclr_mmocr', 'kill_hook'], "
        'allow_failed_imports=False)\n'
        f"custom_hooks = [dict(type='KillAfterIter', at={at})]\n"
    )
    return config


def logged_losses(work_dir: Path) -> dict:
    """{iteration: loss} over every run logged in ``work_dir``."""
    losses = {}
    for scalars in sorted(work_dir.glob('*/vis_data/scalars.json')):
        for line in scalars.read_text().splitlines():
            row = json.loads(line)
            if 'loss' in row and 'lr' in row:
                losses[row['iter']] = row['loss']
    return losses


def state(path: Path) -> dict:
    from seqclr_mmocr.utils import safe_torch_load

    return safe_torch_load(str(path), map_location='cpu')


@pytest.mark.parametrize('workers', [0, 2])
def test_resumed_pretraining_repeats_the_uninterrupted_run_bit_for_bit(
    word_dataset, tmp_path, workers
):
    train = ['tools/train.py', PRETRAIN_CONFIG, '--work-dir']
    full, resumed = tmp_path / 'full', tmp_path / 'resumed'
    run_repo_tool(train + [str(full)] + options(word_dataset, 6, workers))
    env = python_env()
    env['PYTHONPATH'] = f'{tmp_path}:{env["PYTHONPATH"]}'
    killed = subprocess.run(
        [PYTHON, 'tools/train.py', str(killed_config(tmp_path, at=3)), '--work-dir', str(resumed)]
        + options(word_dataset, 6, workers),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert killed.returncode == 3, (killed.stdout + killed.stderr)[-3000:]
    assert (resumed / 'iter_3.pth').exists() and not (resumed / 'iter_6.pth').exists()
    output = run_repo_tool(train + [str(resumed), '--resume'] + options(word_dataset, 6, workers))
    assert 'resumed epoch' in output and 'Iter(train) [4/6]' in output

    full_losses, resumed_losses = logged_losses(full), logged_losses(resumed)
    assert sorted(full_losses) == sorted(resumed_losses) == list(range(1, 7))
    assert full_losses == resumed_losses
    expected, got = state(full / 'iter_6.pth'), state(resumed / 'iter_6.pth')
    assert expected['state_dict'].keys() == got['state_dict'].keys()
    differing = [
        key
        for key, value in expected['state_dict'].items()
        if not torch.equal(value, got['state_dict'][key])
    ]
    assert not differing, f'{len(differing)} tensors differ after resuming: {differing[:5]}'
