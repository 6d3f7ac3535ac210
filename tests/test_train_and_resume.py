"""Foundation: MMOCR recognizers train through tools/train.py, save, resume, and run
distributed (gloo) on CPU through tools/dist_train.sh."""

import re
import subprocess
from pathlib import Path

import pytest
import torch
from conftest import PYTHON, REPO_ROOT, python_env, run_repo_tool

CRNN_CONFIG = REPO_ROOT / 'configs/textrecog/crnn_mini-vgg_300it_demo-handwriting.py'


def data_options(data_root: Path, max_iters: int, batch_size: int = 4) -> list:
    opts = [
        f'train_cfg.max_iters={max_iters}',
        'train_cfg.val_interval=1000',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1',
        f'train_dataloader.batch_size={batch_size}',
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.datasets.0.data_root={data_root}',
            f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False',
        ]
    return opts


def saved_iteration(checkpoint: Path) -> int:
    # weights_only loading: the safe globals registered by seqclr_mmocr must suffice.
    import seqclr_mmocr  # noqa: F401
    from seqclr_mmocr.utils import safe_torch_load

    return int(safe_torch_load(str(checkpoint), map_location='cpu')['meta']['iter'])


@pytest.mark.slow
def test_train_saves_checkpoint_and_resume_continues_from_saved_iteration(word_dataset, tmp_path):
    work_dir = tmp_path / 'work'
    train = ['tools/train.py', str(CRNN_CONFIG), '--work-dir', str(work_dir)]
    run_repo_tool(train + ['--cfg-options'] + data_options(word_dataset, max_iters=4))
    assert saved_iteration(work_dir / 'iter_4.pth') == 4

    output = run_repo_tool(
        train + ['--resume', '--cfg-options'] + data_options(word_dataset, max_iters=6)
    )
    assert re.search(r'resumed epoch: \d+, iter: 4', output), output[-3000:]
    assert 'Iter(train) [5/6]' in output and 'Iter(train) [1/6]' not in output
    assert saved_iteration(work_dir / 'iter_6.pth') == 6


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_dist_train_and_dist_test_sh_run_two_processes_with_gloo_on_cpu(word_dataset, tmp_path):
    if torch.cuda.is_available():
        pytest.skip('checks the CPU-only gloo fallback')
    work_dir = tmp_path / 'dist'
    env = dict(python_env(), PYTHON=PYTHON, PORT=str(free_port()))
    proc = subprocess.run(
        [
            'bash',
            'tools/dist_train.sh',
            str(CRNN_CONFIG),
            '2',
            '--work-dir',
            str(work_dir),
            '--cfg-options',
        ]
        + data_options(word_dataset, max_iters=2, batch_size=2),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-5000:]
    assert 'using the gloo backend' in output
    assert re.search(r'Distributed training: True', output)
    assert re.search(r'GPU number: 2|world_size: 2|World size: 2', output), output[-3000:]
    assert saved_iteration(work_dir / 'iter_2.pth') == 2

    # tools/dist_test.sh evaluates that checkpoint on two processes.
    env['PORT'] = str(free_port())
    proc = subprocess.run(
        [
            'bash',
            'tools/dist_test.sh',
            str(CRNN_CONFIG),
            str(work_dir / 'iter_2.pth'),
            '2',
            '--work-dir',
            str(tmp_path / 'dist_test'),
            '--cfg-options',
        ]
        + data_options(word_dataset, max_iters=2, batch_size=2),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-5000:]
    assert 'using the gloo backend' in output
    assert re.search(r'Iter\(test\) \[\d+/\d+\].*word_acc', output), output[-3000:]


@pytest.mark.slow
def test_empty_annotation_file_stops_before_training_naming_it(word_dataset, tmp_path):
    empty = word_dataset / 'textrecog_train.json'
    empty.write_text('{"metainfo": {}, "data_list": []}')
    proc = subprocess.run(
        [
            PYTHON,
            'tools/train.py',
            str(CRNN_CONFIG),
            '--work-dir',
            str(tmp_path / 'w'),
            '--cfg-options',
        ]
        + data_options(word_dataset, max_iters=2),
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert f'annotation file {empty} lists no samples' in proc.stderr
    assert not (tmp_path / 'w' / 'iter_1.pth').exists()
