"""A misspelt hook argument, or a ``--cfg-options`` key that no part of the run reads, stops
``tools/train.py`` before training, naming the key (issue 36, item 6)."""

import json
import subprocess
from pathlib import Path

import pytest
from conftest import PYTHON, REPO_ROOT, python_env
from mmengine.config import Config

import seqclr_mmocr  # noqa: F401  (registers the hooks)
from seqclr_mmocr.utils.config_keys import (
    RUNNER_KEYS,
    UnknownConfigKeyError,
    check_cfg_option_keys,
    check_hook_arguments,
    hook_arguments,
)

CRNN_CONFIG = 'configs/textrecog/crnn_mini-vgg_300it_demo-handwriting.py'
FINETUNE_CONFIG = REPO_ROOT / 'configs/own_data/finetune_ctc_small-resnet-bilstm_4000it_own-data.py'
SUPERVISED_CONFIG = 'configs/own_data/supervised_ctc_small-resnet-bilstm_4000it_own-data.py'


def data_options(data_root: Path) -> list:
    opts = ['train_cfg.val_interval=1000', 'train_dataloader.batch_size=4']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.datasets.0.data_root={data_root}',
            f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False',
        ]
    return opts


def train(work_dir: Path, options: list, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, 'tools/train.py', CRNN_CONFIG, '--work-dir', str(work_dir), '--cfg-options']
        + options,
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_misspelt_checkpoint_hook_argument_stops_the_run_before_training(word_dataset, tmp_path):
    proc = train(
        tmp_path / 'w',
        data_options(word_dataset)
        + ['train_cfg.max_iters=2', 'default_hooks.checkpoint.intervall=1'],
    )
    assert proc.returncode != 0
    assert "default_hooks.checkpoint: AtomicCheckpointHook takes no argument 'intervall'" in (
        proc.stderr
    ), proc.stderr[-3000:]
    assert 'Iter(train)' not in proc.stdout + proc.stderr
    assert not list((tmp_path / 'w').glob('*.pth'))


@pytest.mark.slow
def test_top_level_variable_in_cfg_options_stops_the_run_naming_where_to_set_it(
    word_dataset, tmp_path
):
    # The config's max_iters is a variable of its schedule file, read into train_cfg.max_iters
    # when the file was read; without the check, the run went on to all 1200 iterations.
    for split in ('train', 'val', 'test'):
        ann = json.loads((word_dataset / f'textrecog_{split}.json').read_text())
        (word_dataset / f'{split}.txt').write_text(
            ''.join(f'{d["img_path"]} {d["instances"][0]["text"]}\n' for d in ann['data_list'])
        )
    proc = subprocess.run(
        [PYTHON, 'tools/train.py', SUPERVISED_CONFIG, '--work-dir', str(tmp_path / 'w')]
        + ['--cfg-options', 'max_iters=2', 'train_dataloader.num_workers=0'],
        cwd=REPO_ROOT,
        env=dict(python_env(), OWN_DATA=str(word_dataset)),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode != 0
    assert "--cfg-options max_iters: no part of the run reads the top-level key 'max_iters'" in (
        proc.stderr
    ), proc.stderr[-3000:]
    assert 'train_cfg.max_iters' in proc.stderr
    assert 'Iter(train)' not in proc.stdout + proc.stderr


def test_cfg_option_keys_of_the_runner_pass_and_others_are_named():
    cfg = Config.fromfile(str(FINETUNE_CONFIG))
    check_cfg_option_keys(
        cfg,
        {
            'train_cfg.max_iters': 2,
            'load_from': 'encoder.pth',
            'randomness.seed': 0,
            'default_hooks.checkpoint.interval': 2,
            'train_dataloader.dataset.datasets.0.data_root': 'x',
        },
    )
    with pytest.raises(UnknownConfigKeyError, match=r'max_iters.*train_cfg\.max_iters'):
        check_cfg_option_keys(cfg, {'max_iters': 2})
    with pytest.raises(UnknownConfigKeyError, match="'labelled_train'.*a dict of the config"):
        check_cfg_option_keys(cfg, {'labelled_train.batch_size': 2})
    with pytest.raises(UnknownConfigKeyError, match="'max_iter'.*check its spelling"):
        check_cfg_option_keys(cfg, {'max_iter': 2})


def test_every_top_level_key_that_runner_from_cfg_reads_is_accepted():
    import inspect
    import re

    from mmengine.runner import Runner

    read = set(re.findall(r"cfg(?:\.get\(|\[)'(\w+)'", inspect.getsource(Runner.from_cfg)))
    assert read and read <= RUNNER_KEYS, sorted(read - RUNNER_KEYS)


def test_hook_arguments_are_checked_against_the_constructors():
    cfg = Config.fromfile(str(FINETUNE_CONFIG))
    check_hook_arguments(cfg)  # the shipped hooks pass

    cfg.merge_from_dict({'default_hooks.checkpoint.intervall': 1})
    with pytest.raises(UnknownConfigKeyError, match="AtomicCheckpointHook takes no argument 'int"):
        check_hook_arguments(cfg)

    cfg = Config.fromfile(str(FINETUNE_CONFIG))
    cfg.custom_hooks[0]['stirct'] = True
    with pytest.raises(UnknownConfigKeyError, match=r"custom_hooks\.0: .*'stirct'"):
        check_hook_arguments(cfg)

    cfg = Config.fromfile(str(FINETUNE_CONFIG))
    cfg.merge_from_dict({'default_hooks.chekpoint.interval': 1})
    with pytest.raises(UnknownConfigKeyError, match=r'default_hooks\.chekpoint has no type'):
        check_hook_arguments(cfg)

    cfg = Config.fromfile(str(FINETUNE_CONFIG))
    cfg.merge_from_dict({'default_hooks.logger.interval': 1, 'default_hooks.logger.priority': 1})
    check_hook_arguments(cfg)


def test_hooks_that_hand_their_keyword_arguments_on_are_not_checked():
    from mmengine.hooks import CheckpointHook, EMAHook, ParamSchedulerHook

    assert hook_arguments(EMAHook) is None  # **kwargs go to the EMA model
    # No argument of its own: only the registration keys.
    assert hook_arguments(ParamSchedulerHook) == {'type', 'priority', '_scope_'}
    assert 'interval' in hook_arguments(CheckpointHook)
    assert 'intervall' not in hook_arguments(CheckpointHook)


@pytest.mark.slow
def test_every_shipped_config_passes_the_hook_argument_check():
    from seqclr_mmocr.engine.hooks import use_atomic_checkpoint_hook

    configs = [p for p in sorted((REPO_ROOT / 'configs').rglob('*.py')) if '_base_' not in p.parts]
    assert configs
    for path in configs:
        cfg = Config.fromfile(str(path))
        use_atomic_checkpoint_hook(cfg)
        check_hook_arguments(cfg)


def test_a_save_that_fails_on_its_arguments_does_not_advise_resuming(tmp_path):
    from types import SimpleNamespace

    from mmengine.fileio import LocalBackend

    from seqclr_mmocr.engine.hooks import AtomicCheckpointHook, CheckpointSaveError

    def save_checkpoint(out_dir, filename, *args, **kwargs):
        raise TypeError("Runner.save_checkpoint() got an unexpected keyword argument 'x'")

    hook = AtomicCheckpointHook(interval=1, by_epoch=False)
    hook.file_backend = LocalBackend()
    runner = SimpleNamespace(save_checkpoint=save_checkpoint, work_dir=str(tmp_path))
    with pytest.raises(CheckpointSaveError, match='not a write error') as failure:
        hook._save_atomically(runner, str(tmp_path), 'iter_1.pth')
    assert 'resume with --resume' not in str(failure.value)
