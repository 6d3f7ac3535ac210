"""A run without a fixed seed (``randomness = dict(seed=None)``, as the configs ship) saves the
seed it drew, and ``tools/train.py --resume`` seeds the resumed run with it before the
sampler and the dataloader workers are seeded: the resumed SeqCLR pretraining repeats the
uninterrupted run bit for bit (issue 36, item 2)."""

import json
import subprocess
from pathlib import Path

import pytest
import torch
from conftest import KILL_HOOK, PYTHON, REPO_ROOT, python_env, run_repo_tool
from mmengine.config import Config

from seqclr_mmocr.utils.resume import prepare_resume

PRETRAIN_CONFIG = (
    'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)


def options(data_root: Path, workers: int, seed=None) -> list:
    """Toy-size pretraining; no seed option unless ``seed`` is given."""
    opts = [
        '--cfg-options',
        'train_cfg.max_iters=6',
        'train_cfg.val_interval=100',
        'default_hooks.checkpoint.interval=3',
        'default_hooks.checkpoint.max_keep_ckpts=3',
        'default_hooks.logger.interval=1',
        'param_scheduler.0.milestones=[4,5]',
        'train_dataloader.batch_size=4',
        'val_dataloader.batch_size=4',
        f'train_dataloader.num_workers={workers}',
        f'train_dataloader.persistent_workers={workers > 0}',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
    ]
    for loader in ('train_dataloader', 'val_dataloader'):
        opts.append(f'{loader}.dataset.datasets.0.data_root={data_root}')
    return opts + ([f'randomness.seed={seed}'] if seed is not None else [])


def checkpoint(path: Path) -> dict:
    from seqclr_mmocr.utils import safe_torch_load

    return safe_torch_load(str(path), map_location='cpu')


def logged_losses(work_dir: Path) -> dict:
    """{iteration: loss} over every run logged in ``work_dir``."""
    losses = {}
    for scalars in sorted(work_dir.glob('*/vis_data/scalars.json')):
        for line in scalars.read_text().splitlines():
            row = json.loads(line)
            if 'loss' in row and 'lr' in row:
                losses[row['iter']] = row['loss']
    return losses


@pytest.mark.slow
@pytest.mark.parametrize('workers', [0, 2])
def test_resumed_pretraining_without_a_seed_repeats_the_uninterrupted_run(
    word_dataset, tmp_path, workers
):
    assert Config.fromfile(str(REPO_ROOT / PRETRAIN_CONFIG)).randomness.seed is None
    resumed, full = tmp_path / 'resumed', tmp_path / 'full'
    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    killed_config = tmp_path / 'killed_pretrain.py'
    killed_config.write_text(
        f"_base_ = ['{REPO_ROOT / PRETRAIN_CONFIG}']\n"
        "custom_imports = dict(imports=['seqclr_mmocr', 'kill_hook'], "
        'allow_failed_imports=False)\n'
        "custom_hooks = [dict(type='KillAfterIter', at=3)]\n"
    )
    env = python_env()
    env['PYTHONPATH'] = f'{tmp_path}:{env["PYTHONPATH"]}'
    killed = subprocess.run(
        [PYTHON, 'tools/train.py', str(killed_config), '--work-dir', str(resumed)]
        + options(word_dataset, workers),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert killed.returncode == 3, (killed.stdout + killed.stderr)[-3000:]
    drawn_seed = checkpoint(resumed / 'iter_3.pth')['meta']['seed']
    assert isinstance(drawn_seed, int)

    train = ['tools/train.py', PRETRAIN_CONFIG, '--work-dir']
    run_repo_tool(train + [str(full)] + options(word_dataset, workers, seed=drawn_seed))
    output = run_repo_tool(train + [str(resumed), '--resume'] + options(word_dataset, workers))
    assert 'Iter(train) [4/6]' in output and 'Iter(train) [1/6]' not in output
    assert checkpoint(resumed / 'iter_6.pth')['meta']['seed'] == drawn_seed

    assert logged_losses(full) == logged_losses(resumed)
    expected = checkpoint(full / 'iter_6.pth')['state_dict']
    got = checkpoint(resumed / 'iter_6.pth')['state_dict']
    assert expected.keys() == got.keys()
    differing = [key for key, value in expected.items() if not torch.equal(value, got[key])]
    assert not differing, f'{len(differing)} tensors differ after resuming: {differing[:5]}'


def test_resume_takes_the_seed_of_the_checkpoint_before_the_runner_is_built(tmp_path):
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    torch.save(dict(meta=dict(seed=1234, iter=3), state_dict={}), work_dir / 'iter_3.pth')
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'iter_3.pth'))

    unseeded = Config(dict(work_dir=str(work_dir), randomness=dict(seed=None)))
    assert prepare_resume(unseeded, 'auto') == str(work_dir / 'iter_3.pth')
    assert unseeded.randomness.seed == 1234 and unseeded.resume is True

    # A seed in the config gives way to the checkpoint's, as MMEngine's resume does later.
    seeded = Config(dict(work_dir=str(work_dir), randomness=dict(seed=7, deterministic=True)))
    prepare_resume(seeded, 'auto')
    assert seeded.randomness == dict(seed=1234, deterministic=True)

    # Without --resume nothing changes.
    fresh = Config(dict(work_dir=str(work_dir), randomness=dict(seed=None)))
    assert prepare_resume(fresh, None) is None
    assert fresh.randomness.seed is None and fresh.resume is False
