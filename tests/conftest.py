"""Shared fixtures: a tiny labelled word-image set made on the fly (no download)."""

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    config.addinivalue_line(
        'markers',
        'slow: trains through the tools or runs a demo script end to end (seconds to minutes '
        'each); `pytest -m "not slow"` is the fast tier to run before each commit',
    )


# The test files that take longest (``--durations``): run first, so that with ``-n``
# (pytest-xdist, one file to one worker) they start at once, side by side.
LONGEST_FIRST = ('test_full_replica.py', 'test_demo.py', 'test_gpu_check.py')


def pytest_collection_modifyitems(config, items):
    """Run the slow tests first (the longest files first), each file's in their order: a
    file's tests stay together, so that its module-scoped runs happen once, and with ``-n``
    the many quick tests are left to fill both workers at the end."""

    def rank(item):
        name = item.path.name
        first = LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
        return item.get_closest_marker('slow') is None, first

    items.sort(key=rank)


WORDS = [
    'the',
    'word',
    'image',
    'text',
    'read',
    'line',
    'pen',
    'ink',
    'paper',
    'hand',
    'write',
    'letter',
    'note',
    'page',
    'book',
    'name',
]


def make_word_images(root: Path, num: int = 16, seed: int = 0, split: str = 'train') -> Path:
    """Draw ``num`` grayscale word images with PIL's default font and write an MMOCR
    textrecog JSON ``textrecog_<split>.json`` under ``root``. Returns ``root``."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    img_dir = root / 'imgs' / split
    img_dir.mkdir(parents=True, exist_ok=True)
    data_list = []
    for i in range(num):
        word = WORDS[int(rng.integers(len(WORDS)))]
        width = 12 + 9 * len(word) + int(rng.integers(0, 8))
        img = Image.new('L', (width, 32), color=int(rng.integers(200, 256)))
        ImageDraw.Draw(img).text(
            (4 + int(rng.integers(0, 4)), 10), word, fill=int(rng.integers(0, 60))
        )
        path = img_dir / f'{i:04d}.png'
        img.save(path)
        data_list.append(dict(img_path=f'imgs/{split}/{i:04d}.png', instances=[dict(text=word)]))
    ann = dict(
        metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'), data_list=data_list
    )
    (root / f'textrecog_{split}.json').write_text(json.dumps(ann))
    return root


@pytest.fixture
def word_dataset(tmp_path) -> Path:
    """A tiny demo-corpus-shaped data root with train, val, test and unlabeled splits."""
    root = tmp_path / 'words'
    for seed, (split, num) in enumerate(
        [('train', 24), ('val', 8), ('test', 8), ('unlabeled', 24)]
    ):
        make_word_images(root, num=num, seed=seed, split=split)
    return root


def python_env() -> dict:
    """Environment for subprocesses running the repo's tools on few threads."""
    env = dict(os.environ)
    env['PYTHONPATH'] = str(REPO_ROOT) + os.pathsep + env.get('PYTHONPATH', '')
    env.setdefault('OMP_NUM_THREADS', '1')
    env.setdefault('MKL_NUM_THREADS', '1')
    return env


PYTHON = sys.executable


def run_repo_tool(args: list, timeout: int = 900) -> str:
    """Run ``python ARGS`` in the repository root; assert success; return stdout+stderr."""
    import subprocess

    proc = subprocess.run(
        [PYTHON] + list(args),
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f'command failed ({proc.returncode}): {args}\n{output[-5000:]}'
    return output


def run_toy_demo(root: Path, args: list, timeout: int, returncode: int = 0, **settings: str):
    """``tools/run_demo.sh ARGS`` at toy size into ``root``: a 200-word corpus with 100
    unlabelled images, 16 val and 24 test images (every validation and test of the runs reads
    them; 24 fill the prediction sheet), the given settings (environment variables) on top.
    Asserts that it exited with ``returncode`` and returns its work dir and its standard
    output (its error output where a failure is expected)."""
    import subprocess

    if not os.path.isfile('/usr/share/dict/words'):
        pytest.skip('the demo word list is not installed (tools/setup_env.sh installs it)')
    env = dict(
        os.environ,
        WORK_DIR=str(root / 'work'),
        DATA_ROOT=str(root / 'corpus'),
        NUM_TRAIN='200',
        NUM_UNLABELED='100',
        NUM_VAL='16',
        NUM_TEST='24',
        **settings,
    )
    result = subprocess.run(
        ['bash', 'tools/run_demo.sh', *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == returncode, result.stdout[-3000:] + result.stderr[-3000:]
    return root / 'work', result.stderr if returncode else result.stdout


# A hook that ends training right after iteration ``at`` (and its checkpoint), as abruptly as
# ``kill -9``: no clean-up, no validation. Resume tests write it to a module of their own and
# load it with ``custom_imports``.
KILL_HOOK = """
import os

from mmengine.hooks import Hook
from mmocr.registry import HOOKS


@HOOKS.register_module()
class KillAfterIter(Hook):
    priority = 'LOWEST'  # after the checkpoint hook has saved

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.iter + 1 == self.at:
            os._exit(3)
"""


@pytest.fixture
def warnings_logged():
    """The messages of the warnings MMEngine's current logger emits during the test."""
    import logging

    from mmengine.logging import MMLogger

    records = []

    class Handler(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = MMLogger.get_current_instance()
    handler = Handler(level=logging.WARNING)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
