"""`tools/run_demo.sh` end to end at toy size: every run of the demo is built, trained a few
iterations on its lane, tested on the test hands and tabled, the all-labels run included; and a
failed pretraining ends the demo instead of leaving the other lane waiting for its encoder."""

import pytest
from conftest import run_repo_tool, run_toy_demo

RUNS = (
    'pretrain',
    'seqclr-window_finetune_ctc_5pct_demo-hw',
    'seqclr-window_finetune_ctc_10pct_demo-hw',
    'supervised_finetune_ctc_5pct_demo-hw',
    'supervised_finetune_ctc_10pct_demo-hw',
    'seqclr-window_finetune_ctc_100pct_4it_demo-hw',
)
SEQCLR_FT_CONFIG = (
    'configs/finetune/'
    'finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_4000it_demo-handwriting-100pct.py'
)


@pytest.fixture(scope='module')
def toy_demo(tmp_path_factory):
    """``tools/run_demo.sh`` on a 200-word corpus, 2 pretraining and 3 training iterations, 4
    for the all-labels run; returns its work dir and standard output."""
    return run_toy_demo(
        tmp_path_factory.mktemp('demo'),
        [],
        timeout=900,
        PRETRAIN_ITERS='2',
        TRAIN_ITERS='3',
        ALL_LABELS_ITERS='4',
    )


@pytest.mark.slow
def test_every_demo_run_trained_and_was_tested(toy_demo):
    work, stdout = toy_demo
    for name in RUNS:
        assert (work / name / '.finished').is_file(), name
        if name != 'pretrain':
            assert list((work / name).glob('*_test.py')), f'{name} was not tested'
    assert (work / 'pretrain' / 'encoder.pth').is_file()
    assert 'lanes: seqclr 5-10pct' in stdout


@pytest.mark.slow
def test_the_printed_command_reads_new_images_with_the_best_recognizer(toy_demo):
    work, stdout = toy_demo
    best = next((work / RUNS[-1]).glob('best_*.pth'))
    assert f'tools/infer.py {SEQCLR_FT_CONFIG} {best} IMAGES' in stdout
    images = work.parent / 'corpus' / 'imgs' / 'test'
    output = run_repo_tool(['tools/infer.py', SEQCLR_FT_CONFIG, str(best), str(images)])
    count = len(list(images.glob('*.png')))
    assert count > 0 and f'{count} image(s) recognised' in output


def dumped_training_config(run_dir):
    from mmengine.config import Config

    (path,) = [p for p in run_dir.glob('*.py') if not p.name.endswith('_test.py')]
    return Config.fromfile(str(path))


@pytest.mark.slow
def test_the_all_labels_run_fine_tunes_the_encoder_on_every_label_with_its_own_schedule(
    toy_demo,
):
    work, _ = toy_demo
    cfg = dumped_training_config(work / 'seqclr-window_finetune_ctc_100pct_4it_demo-hw')
    assert cfg.train_dataloader.dataset.fraction == 1.0
    assert cfg.train_cfg.max_iters == 4
    assert cfg.train_cfg.val_interval == 1  # 1/16 of the run, at least 1
    assert cfg.param_scheduler[0].milestones == [2, 3]  # 60% and 80% of 4
    assert cfg.randomness.seed == 0
    assert cfg.load_from == str(work / 'pretrain' / 'encoder.pth')
    short = dumped_training_config(work / 'supervised_finetune_ctc_10pct_demo-hw')
    assert short.train_dataloader.dataset.fraction == 0.1
    assert (short.train_cfg.max_iters, short.train_cfg.val_interval) == (3, 100)
    assert 'load_from' not in short or short.load_from is None  # supervised: no encoder


@pytest.mark.slow
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
    assert cells['seqclr-window'][column['100%']] != '-'
    assert cells['supervised'][column['100%']] == '-'
    for pct in ('5%', '10%'):
        for method in cells:
            assert cells[method][column[pct]] != '-', (method, pct)
    for picture in ('val_curves.png', 'prediction_sheet.png', 'prediction_sheet_100pct.png'):
        assert (work / picture).stat().st_size > 0, picture


@pytest.mark.slow
def test_a_failed_pretraining_ends_the_demo_instead_of_a_wait_for_its_encoder(tmp_path):
    # A file where the pretraining's work dir goes makes tools/train.py fail at once.
    (tmp_path / 'work').mkdir()
    (tmp_path / 'work' / 'pretrain').write_text('not a directory')
    work, output = run_toy_demo(
        tmp_path, [], timeout=600, returncode=1, PRETRAIN_ITERS='2', TRAIN_ITERS='3'
    )
    assert 'its run failed' in output and 'lane seqclr failed' in output
    for pct in (5, 10):  # the other lane trained what needs no encoder first
        assert (work / f'supervised_finetune_ctc_{pct}pct_demo-hw' / '.finished').is_file()
    assert not (work / 'seqclr-window_finetune_ctc_10pct_demo-hw').exists()


def test_a_setting_that_is_not_a_whole_number_is_named_before_anything_runs(tmp_path):
    _, output = run_toy_demo(tmp_path, [], timeout=300, returncode=2, TRAIN_ITERS='1e3')
    assert "TRAIN_ITERS must hold whole numbers only, not '1e3'" in output
    assert not (tmp_path / 'corpus').exists()
