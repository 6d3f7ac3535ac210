"""`tools/run_demo.sh` end to end at toy size: every run of the demo is built, trained a few
iterations on its lane, tested on the test hands and tabled, the all-labels run included."""

import os
import subprocess

import pytest
from conftest import REPO_ROOT

RUNS = (
    'pretrain',
    'seqclr-window_finetune_ctc_5pct_demo-hw',
    'seqclr-window_finetune_ctc_10pct_demo-hw',
    'supervised_finetune_ctc_5pct_demo-hw',
    'supervised_finetune_ctc_10pct_demo-hw',
    'supervised_finetune_ctc_100pct_4it_demo-hw',
)


@pytest.fixture(scope='module')
def toy_demo(tmp_path_factory):
    """``tools/run_demo.sh`` on a 200-word corpus, 2 pretraining and 3 training iterations, 4
    for the all-labels run; returns its work dir and standard output."""
    if not os.path.isfile('/usr/share/dict/words'):
        pytest.skip('the demo word list is not installed (tools/setup_env.sh installs it)')
    root = tmp_path_factory.mktemp('demo')
    env = dict(
        os.environ,
        WORK_DIR=str(root / 'work'),
        DATA_ROOT=str(root / 'corpus'),
        NUM_TRAIN='200',
        NUM_UNLABELED='100',
        PRETRAIN_ITERS='2',
        TRAIN_ITERS='3',
        ALL_LABELS_ITERS='4',
    )
    result = subprocess.run(
        ['bash', 'tools/run_demo.sh'],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / 'work', result.stdout


def test_every_demo_run_trained_and_was_tested(toy_demo):
    work, stdout = toy_demo
    for name in RUNS:
        assert (work / name / '.finished').is_file(), name
        if name != 'pretrain':
            assert list((work / name).glob('*_test.py')), f'{name} was not tested'
    assert (work / 'pretrain' / 'encoder.pth').is_file()
    assert 'lanes: seqclr all-labels' in stdout


def dumped_training_config(run_dir):
    from mmengine.config import Config

    (path,) = [p for p in run_dir.glob('*.py') if not p.name.endswith('_test.py')]
    return Config.fromfile(str(path))


def test_the_all_labels_run_trains_on_every_label_with_its_own_schedule(toy_demo):
    work, _ = toy_demo
    cfg = dumped_training_config(work / 'supervised_finetune_ctc_100pct_4it_demo-hw')
    assert cfg.train_dataloader.dataset.fraction == 1.0
    assert cfg.train_cfg.max_iters == 4
    assert cfg.train_cfg.val_interval == 1  # 1/16 of the run, at least 1
    assert cfg.param_scheduler[0].milestones == [2, 3]  # 60% and 80% of 4
    assert cfg.randomness.seed == 0
    assert 'load_from' not in cfg or cfg.load_from is None  # supervised: no encoder
    short = dumped_training_config(work / 'supervised_finetune_ctc_10pct_demo-hw')
    assert short.train_dataloader.dataset.fraction == 0.1
    assert (short.train_cfg.max_iters, short.train_cfg.val_interval) == (3, 100)


def test_the_results_table_has_the_all_labels_row_and_both_methods_at_5_and_10(toy_demo):
    work, _ = toy_demo
    results = (work / 'results.md').read_text()
    table2 = results.split('## Table 2', 1)[1].split('\n## ', 1)[0]
    rows = [line for line in table2.splitlines() if line.startswith('| ')]
    header = [cell.strip() for cell in rows[0].strip('|').split('|')]
    cells = {}
    for row in rows[2:]:
        method, *rest = [cell.strip() for cell in row.strip('|').split('|')]
        cells[method] = [method, *rest]
    assert set(cells) == {'supervised', 'seqclr-window'}
    column = {pct: header.index(f'DemoHW {pct}') for pct in ('5%', '10%', '100%')}
    assert cells['supervised'][column['100%']] != '-'
    assert cells['seqclr-window'][column['100%']] == '-'
    for pct in ('5%', '10%'):
        for method in cells:
            assert cells[method][column[pct]] != '-', (method, pct)
    for picture in ('val_curves.png', 'prediction_sheet.png', 'prediction_sheet_100pct.png'):
        assert (work / picture).stat().st_size > 0, picture
