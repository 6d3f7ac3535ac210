"""tools/dist_{train,test}.sh and tools/slurm_{train,test}.sh hand every argument on as one
word, spaces included: each script runs against a stand-in launcher that records its argv."""

import os
import stat
import subprocess
from pathlib import Path
from typing import List

import pytest
from conftest import REPO_ROOT

RECORDER = """#!/usr/bin/env bash
for arg in "$@"; do printf '%s\\n' "$arg"; done > "$ARGV_FILE"
"""
SPACED = ['--work-dir', 'work dirs/a b', '--cfg-options', 'model.type=X Y']


def recorded_argv(tmp_path: Path, script: str, args: List[str]) -> List[str]:
    """Run ``script`` with a ``python`` (via PYTHON) and an ``srun`` (via PATH) that write
    the arguments they receive, one per line, and return them."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for name in ('python', 'srun'):
        path = bin_dir / name
        path.write_text(RECORDER)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    argv_file = tmp_path / 'argv.txt'
    env = dict(
        os.environ,
        PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
        PYTHON=str(bin_dir / 'python'),
        ARGV_FILE=str(argv_file),
    )
    run = subprocess.run(
        ['bash', script, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return argv_file.read_text().splitlines()


@pytest.mark.parametrize(
    'script, args, expected_tail',
    [
        (
            'tools/dist_train.sh',
            ['my cfg.py', '2', *SPACED],
            ['my cfg.py', '--launcher', 'pytorch'],
        ),
        (
            'tools/dist_test.sh',
            ['my cfg.py', 'my ckpt.pth', '2', *SPACED],
            ['my cfg.py', 'my ckpt.pth', '--launcher', 'pytorch'],
        ),
    ],
)
def test_dist_scripts_pass_arguments_with_spaces_as_one_word(tmp_path, script, args, expected_tail):
    argv = recorded_argv(tmp_path, script, args)
    assert argv[-len(SPACED) - len(expected_tail) : -len(SPACED)] == expected_tail, argv
    assert argv[-len(SPACED) :] == SPACED, argv


@pytest.mark.parametrize(
    'script, args, expected',
    [
        (
            'tools/slurm_train.sh',
            ['gpu', 'job name', 'my cfg.py', 'work dirs/run', *SPACED],
            ['tools/train.py', 'my cfg.py', '--work-dir=work dirs/run', '--launcher=slurm'],
        ),
        (
            'tools/slurm_test.sh',
            ['gpu', 'job name', 'my cfg.py', 'my ckpt.pth', *SPACED],
            ['tools/test.py', 'my cfg.py', 'my ckpt.pth', '--launcher=slurm'],
        ),
    ],
)
def test_slurm_scripts_pass_arguments_with_spaces_as_one_word(tmp_path, script, args, expected):
    argv = recorded_argv(tmp_path, script, args)
    assert '--job-name=job name' in argv
    assert argv[-len(SPACED) - len(expected) :] == [*expected, *SPACED], argv
