"""`tools/run_demo.sh --full` (tools/run_full_replica.sh) end to end at toy size: every job of
Tables 1 and 2 is built and trained a few iterations, tested, and tabled with seeds."""

import re

import pytest
from conftest import run_toy_demo

TABLE1_METHODS = (
    'random-init',
    'simclr',
    'simclr-contextual',
    'seqclr-all',
    'seqclr-frame',
    'seqclr-window',
)


def run_toy_replica(root, timeout: int, **settings: str):
    """``tools/run_demo.sh --full`` at toy size into ``root``, with the given settings on top of
    the toy corpus; returns its work dir and standard output."""
    return run_toy_demo(root, ['--full'], timeout, **settings)


@pytest.fixture(scope='module')
def full_replica(tmp_path_factory):
    return run_toy_replica(
        tmp_path_factory.mktemp('full'),
        timeout=1200,
        TABLES='1 2',
        FRACTIONS='5',
        SEEDS='0 1',
        PRETRAIN_ITERS='2',
        FINETUNE_PRETRAIN_ITERS='2',
        TRAIN_ITERS='3',
        DE_ITERS='3',
    )


def table(results: str, title: str) -> str:
    """The Markdown table under a '## <title>' heading."""
    section = results.split(f'## {title}', 1)[1].split('\n## ', 1)[0]
    return '\n'.join(line for line in section.splitlines() if line.startswith('|'))


@pytest.mark.slow
def test_every_job_of_both_tables_trained_and_was_tested(full_replica):
    work, stdout = full_replica
    expected = {f'pretrain_{m}' for m in TABLE1_METHODS if m != 'random-init'}
    expected.add('pretrain_seqclr-window-bs128')  # Table 2's encoder, pretrained apart
    expected |= {f'decoder-eval_{m}' for m in TABLE1_METHODS}
    expected |= {f'supervised_5pct_seed{s}' for s in (0, 1)}
    expected |= {f'seqclr-window_finetune_5pct_seed{s}' for s in (0, 1)}
    for name in sorted(expected):
        assert (work / name / '.finished').is_file(), name
        assert (name.startswith('pretrain_')) == (work / name / 'encoder.pth').is_file(), name
    assert '16 training runs' in stdout
    for name in expected - {n for n in expected if n.startswith('pretrain_')}:
        assert list((work / name).glob('*_test.py')), f'{name} was not tested'


@pytest.mark.slow
def test_table_1_has_a_row_per_encoder_and_table_2_averages_the_seeds(full_replica):
    work, _ = full_replica
    results = (work / 'results.md').read_text()
    rows = table(results, 'Table 1').splitlines()[2:]
    assert [row.split('|')[1].strip() for row in rows] == list(TABLE1_METHODS)
    rows = table(results, 'Table 2').splitlines()[2:]
    assert [row.split('|')[1].strip() for row in rows] == ['supervised', 'seqclr-window']
    for row in rows:  # two seeds per cell: mean ± std
        assert re.search(r'\d+\.\d ± \d+\.\d', row), row
    runs = table(results, 'Runs')
    for row in runs.splitlines()[2:]:  # every trained run's numbers come from tools/test.py
        name, source = row.split('|')[1].strip(), row.split('|')[-2].strip()
        assert source.startswith('test '), f'{name}: {source}'
    for seed in (0, 1):
        assert f'supervised_5pct_seed{seed}' in runs
        assert f'seqclr-window_finetune_5pct_seed{seed}' in runs
    assert (work / 'val_curves.png').stat().st_size > 0


def trained_config(run_dir, name: str) -> str:
    """The config a run trained with: Runner dumps it into the work dir under the config's name
    (tools/test.py adds its own, named *_test.py)."""
    path = run_dir / name
    assert path.is_file(), sorted(p.name for p in run_dir.iterdir())
    return path.read_text()


WARMUP_FT = 'finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_2000it_demo-handwriting-10pct.py'
PLAIN_FT = 'finetune_ctc_small-resnet-bilstm_lr3e-3_2000it_demo-handwriting-10pct.py'
SUPERVISED = 'supervised_ctc_small-resnet-bilstm_lr3e-3_2000it_demo-handwriting-10pct.py'


@pytest.mark.slow
def test_by_default_only_seqclr_fine_tuning_gets_the_warm_up(full_replica):
    work, _ = full_replica
    for seed in (0, 1):
        warm = trained_config(work / f'seqclr-window_finetune_5pct_seed{seed}', WARMUP_FT)
        assert "type='LinearLR'" in warm
        supervised = trained_config(work / f'supervised_5pct_seed{seed}', SUPERVISED)
        assert "type='MultiStepLR'" in supervised and "type='LinearLR'" not in supervised


BS128_PRETRAIN = 'seqclr_window-bilstm_small-resnet-bilstm_bs128_1000it_demo-handwriting.py'
DEMO_PRETRAIN = 'seqclr_window-bilstm_small-resnet-bilstm_300it_demo-handwriting.py'
DECODER_EVAL = 'decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py'


@pytest.mark.slow
def test_by_default_table_2_fine_tunes_the_128_a_batch_encoder_and_table_1_the_demo_one(
    full_replica,
):
    work, _ = full_replica
    bs128 = trained_config(work / 'pretrain_seqclr-window-bs128', BS128_PRETRAIN)
    assert 'batch_size=128' in bs128 and 'randomness = dict(seed=0)' in bs128
    demo = trained_config(work / 'pretrain_seqclr-window', DEMO_PRETRAIN)
    assert 'batch_size=64' in demo
    assert 'decoder-eval_seqclr-window-bs128' not in {p.name for p in work.iterdir()}
    decoder_eval = trained_config(work / 'decoder-eval_seqclr-window', DECODER_EVAL)
    assert 'pretrain_seqclr-window/encoder.pth' in decoder_eval
    for seed in (0, 1):
        finetune = trained_config(work / f'seqclr-window_finetune_5pct_seed{seed}', WARMUP_FT)
        assert 'pretrain_seqclr-window-bs128/encoder.pth' in finetune


def run_toy_table_2(root, **settings: str):
    """Table 2 alone at toy size (5% of the labels, seed 0), with the given settings on top."""
    return run_toy_replica(
        root,
        timeout=900,
        TABLES='2',
        FRACTIONS='5',
        SEEDS='0',
        PRETRAIN_ITERS='2',
        TRAIN_ITERS='3',
        **settings,
    )


@pytest.fixture(scope='module')
def toy_table_2_demo_encoder_no_warmup(tmp_path_factory):
    """Table 2 alone at toy size with both non-default settings at once, FINETUNE_PRETRAIN=demo
    and FINETUNE_WARMUP=0 (they choose the encoder and the config apart): one run of the
    script serves the two tests below."""
    return run_toy_table_2(
        tmp_path_factory.mktemp('table2'), FINETUNE_PRETRAIN='demo', FINETUNE_WARMUP='0'
    )


@pytest.mark.slow
def test_finetune_pretrain_demo_fine_tunes_table_1s_window_encoder(
    toy_table_2_demo_encoder_no_warmup,
):
    work, stdout = toy_table_2_demo_encoder_no_warmup
    assert '3 training runs' in stdout
    assert not (work / 'pretrain_seqclr-window-bs128').exists()
    finetune = trained_config(work / 'seqclr-window_finetune_5pct_seed0', PLAIN_FT)
    assert 'pretrain_seqclr-window/encoder.pth' in finetune


def test_an_unknown_finetune_pretrain_is_refused_before_any_run(tmp_path):
    _, stderr = run_toy_demo(
        tmp_path, ['--full'], timeout=600, returncode=2, FINETUNE_PRETRAIN='bs64'
    )
    assert "FINETUNE_PRETRAIN must be bs128 or demo, not 'bs64'" in stderr
    assert not (tmp_path / 'work').exists()


@pytest.mark.slow
def test_finetune_warmup_0_fine_tunes_seqclr_with_the_config_without_it(
    toy_table_2_demo_encoder_no_warmup,
):
    work, stdout = toy_table_2_demo_encoder_no_warmup
    assert '3 training runs' in stdout
    finetune = work / 'seqclr-window_finetune_5pct_seed0'
    plain = trained_config(finetune, PLAIN_FT)
    assert "type='MultiStepLR'" in plain and "type='LinearLR'" not in plain
    assert not (finetune / WARMUP_FT).exists()
    assert list(finetune.glob('*_test.py')), 'the fine-tuning run was not tested'


def test_a_list_setting_with_a_word_that_is_not_a_number_is_named_before_anything_runs(tmp_path):
    _, output = run_toy_demo(tmp_path, ['--full'], timeout=300, returncode=2, SEEDS='0 one')
    assert "SEEDS must hold whole numbers only, not '0 one'" in output
    assert not (tmp_path / 'corpus').exists()
