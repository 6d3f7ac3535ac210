"""The demo's progress lines project each run's time from the step time MMEngine logs
(tools/demo_common.sh, ``projection``)."""

import subprocess

import pytest
from conftest import REPO_ROOT

TRAIN_LINE = (
    'Iter(train) [  50/1200]  base_lr: 3.0000e-03 lr: 3.0000e-03  eta: 0:09:49  '
    'time: 0.5125  data_time: 0.0123  memory: 0  loss: 3.1024'
)


def projection(line: str) -> str:
    result = subprocess.run(
        ['bash', '-c', 'source tools/demo_common.sh && projection "$1"', 'bash', line],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_training_line_projects_the_run_from_its_step_time():
    # 1,200 iterations at 0.5125 s: 10.25 min in all; 1,150 left: 9.8 min
    assert projection(TRAIN_LINE) == (
        ' | projected: about 10 min for this run at 0.51 s/it, 10 min left\n'
    )


def test_the_step_time_is_read_not_the_data_time():
    line = 'Iter(train) [ 25/500]  eta: 0:11:00  data_time: 0.0100  time: 1.4500  loss: 4.8'
    # 500 x 1.45 s = 12.1 min; 475 x 1.45 s = 11.5 min
    assert projection(line) == ' | projected: about 12 min for this run at 1.45 s/it, 11 min left\n'


@pytest.mark.parametrize(
    'line',
    [
        'Iter(val) [10/63]    eta: 0:00:05  time: 0.0800  data_time: 0.0010',
        'Checkpoints will be saved to work_dirs/demo/pretrain.',
        '',
    ],
)
def test_other_lines_project_nothing(line):
    assert projection(line) == ''
