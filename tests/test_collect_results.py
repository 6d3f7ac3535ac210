"""Tests of tools/analysis_tools/collect_results.py on handmade work dirs."""

import importlib.util
import json
import math
import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / 'data' / 'results'


def load_tool():
    path = REPO_ROOT / 'tools' / 'analysis_tools' / 'collect_results.py'
    spec = importlib.util.spec_from_file_location('collect_results', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


collect_results = load_tool()

# Written by hand from the values in the fixture work dirs, in percent.
EXPECTED_RESULTS_MD = (FIXTURES / 'expected_results.md').read_text(encoding='utf-8')


def run_main(out_dir, *extra):
    return collect_results.main(
        [
            str(FIXTURES / '*'),
            '--out-dir',
            str(out_dir),
            '--method-order',
            'supervised,simclr,seqclr-window',
            '--dataset-order',
            'iam',
            *extra,
        ]
    )


def test_results_markdown_matches_the_hand_written_tables(tmp_path, capsys):
    assert run_main(tmp_path) == 0
    written = (tmp_path / 'results.md').read_text(encoding='utf-8')
    assert written == EXPECTED_RESULTS_MD
    captured = capsys.readouterr()
    assert EXPECTED_RESULTS_MD in captured.out


def test_plot_is_a_non_empty_png(tmp_path):
    run_main(tmp_path)
    plot = tmp_path / 'accuracy_vs_label_fraction.png'
    data = plot.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    assert len(data) > 5000


def test_unreadable_work_dirs_and_bad_lines_are_reported(tmp_path, capsys):
    run_main(tmp_path)
    err = capsys.readouterr().err
    assert 'skipped 1 work dir(s)' in err
    assert 'not_a_run' in err and 'holds no config dumped by MMEngine' in err
    assert '2 pretraining run(s) not tabled' in err
    # the truncated line of seqclr-window_finetune_ctc_0.1_iam
    assert '1 malformed lines ignored, first at line(s) [2]' in err


def test_no_run_at_all_is_an_error(tmp_path, capsys):
    assert collect_results.main([str(FIXTURES / 'not_a_run'), '--out-dir', str(tmp_path)]) == 1
    assert 'no readable run' in capsys.readouterr().err


def test_mode_selects_the_word_metric_key_and_the_best_step():
    runs, _ = collect_results.collect_runs(
        [str(FIXTURES / 'run_attention_ft')], mode='ignore_case_symbol'
    )
    (run,) = runs
    # steps 200 and 300 tie on word_acc, but not on the symbol-free variant
    assert run.metrics == {'iam': {'acc': pytest.approx(0.83)}}
    assert run.source == 'val step 300'


def test_best_validation_ties_go_to_the_earliest_step():
    runs, _ = collect_results.collect_runs([str(FIXTURES / 'run_attention_ft')], mode='exact')
    assert runs[0].source == 'val step 200'


def copy_fixtures_renamed(dst: Path) -> dict:
    """The fixture work dirs copied under ``dst/work_dirs`` with meaningless names; the
    load_from paths of their configs follow. Returns old name -> new name."""
    names = {}
    for i, src in enumerate(sorted(p for p in FIXTURES.iterdir() if p.is_dir())):
        names[src.name] = f'run{i:02d}'
        shutil.copytree(src, dst / 'work_dirs' / names[src.name])
    for config in (dst / 'work_dirs').glob('*/*.py'):
        text = config.read_text()
        for old, new in names.items():
            text = text.replace(f'tests/data/results/{old}/', f'work_dirs/{new}/')
        config.write_text(text)
    return names


def test_any_work_dir_names_give_the_same_tables(tmp_path):
    names = copy_fixtures_renamed(tmp_path)
    assert (
        collect_results.main(
            [
                str(tmp_path / 'work_dirs' / '*'),
                '--out-dir',
                str(tmp_path),
                '--method-order',
                'supervised,simclr,seqclr-window',
                '--dataset-order',
                'iam',
            ]
        )
        == 0
    )
    written = (tmp_path / 'results.md').read_text(encoding='utf-8')
    expected = EXPECTED_RESULTS_MD
    for old, new in names.items():
        expected = expected.replace(f'| {old} |', f'| {new} |')
    # the Runs table lists the work dirs sorted by their (new) names
    assert written.split('## Runs')[0] == expected.split('## Runs')[0]
    assert sorted(written.split('## Runs')[1].splitlines()) == sorted(
        expected.split('## Runs')[1].splitlines()
    )


@pytest.mark.parametrize(
    'work_dir, expected',
    [
        (
            'seqclr-window_finetune_ctc_0.05_iam',
            dict(
                method='seqclr-window',
                protocol='finetune',
                decoder='ctc',
                label_fraction=0.05,
                dataset='iam',
                seed=None,
            ),
        ),
        (
            'simclr_decoder_eval_ctc_1.0_iam',
            dict(
                method='simclr',
                protocol='decoder_eval',
                decoder='ctc',
                label_fraction=1.0,
                dataset='iam',
                seed=None,
            ),
        ),
        (
            'seqclr-window_decoder_eval_attention_1.0_st',
            dict(
                method='seqclr-window',
                protocol='decoder_eval',
                decoder='attention',
                label_fraction=1.0,
                dataset='IC13',
                seed=None,
            ),
        ),
        # no evaluator prefix: the data root's name
        (
            'supervised_finetune_ctc_100pct_iam',
            dict(
                method='supervised',
                protocol='finetune',
                decoder='ctc',
                label_fraction=1.0,
                dataset='iam',
                seed=None,
            ),
        ),
        # run_info in the config gives the method
        (
            'run_attention_ft',
            dict(
                method='seqclr-window',
                protocol='finetune',
                decoder='attention',
                label_fraction=1.0,
                dataset='iam',
                seed=None,
            ),
        ),
    ],
)
def test_run_identity_comes_from_the_dumped_config(work_dir, expected):
    assert collect_results.read_run_identity(str(FIXTURES / work_dir)) == expected


def test_a_pretraining_work_dir_is_reported_with_its_method():
    with pytest.raises(collect_results.PretrainingRun) as error:
        collect_results.read_run_identity(str(FIXTURES / 'pretrain_seqclr-window'))
    assert error.value.args[1] == 'seqclr-window'


def test_a_test_only_work_dir_takes_the_identity_of_the_tested_run(tmp_path):
    names = copy_fixtures_renamed(tmp_path)
    tested = tmp_path / 'work_dirs' / 'tested_elsewhere'
    tested.mkdir()
    (tested / 'finetune_ctc_5pct_test.py').write_text(
        "model = dict(type='EncoderDecoderRecognizer', decoder=dict(type='CTCFrameDecoder', "
        "module_loss=dict(type='CTCModuleLoss')))\n"
        f"load_from = 'work_dirs/{names['supervised_finetune_ctc_5pct_iam']}/iter_500.pth'\n"
    )
    identity = collect_results.read_run_identity(str(tested))
    assert identity == dict(
        method='supervised',
        protocol='finetune',
        decoder='ctc',
        label_fraction=0.05,
        dataset='iam',
        seed=None,
    )


def test_run_info_with_a_bad_field_is_refused_naming_it(tmp_path):
    work_dir = tmp_path / 'my_run'
    shutil.copytree(FIXTURES / 'run_attention_ft', work_dir)
    config = work_dir / 'finetune_attn.py'
    config.write_text(
        config.read_text().replace(
            "run_info = dict(method='seqclr-window')",
            "run_info = dict(method='seqclr-window', protocol='linear_eval')",
        )
    )
    with pytest.raises(
        collect_results.RunError, match='finetune_attn.py: run_info field "protocol"'
    ):
        collect_results.read_run_identity(str(work_dir))


def test_metric_keys_split_into_dataset_and_name():
    split = collect_results.split_metric_key
    assert split('recog/word_acc') == (None, 'word_acc')
    assert split('word_acc') == (None, 'word_acc')
    assert split('IIIT5K/recog/word_acc') == ('IIIT5K', 'word_acc')
    assert split('val/recog/cer') == (None, 'cer')
    assert split('test/IC13/recog/wer') == ('IC13', 'wer')


def test_metric_names_match_the_keys_seqclr_recog_metric_writes():
    from seqclr_mmocr.evaluation.metrics.recognition_metrics import metric_key

    for mode in ('exact', 'ignore_case'):
        assert collect_results.METRIC_NAMES[mode] == {
            metric: metric_key(metric, mode) for metric in ('acc', 'ed1', 'cer', 'wer')
        }


DEMO_CONFIGS = {
    'pretrain': 'seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py',
    'de': 'decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py',
    'ft': 'finetune/finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-{pct}pct.py',
    'sup': 'supervised/supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-{pct}pct.py',
}


def dump_demo_config(work_dir: Path, config: str, test: bool = False, **options):
    """Dump a demo config into ``work_dir`` as tools/train.py (or tools/test.py) does."""
    from mmengine.config import Config

    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / config))
    cfg.merge_from_dict(options)
    stem = Path(config).stem + ('_test' if test else '')
    work_dir.mkdir(parents=True, exist_ok=True)
    cfg.dump(str(work_dir / f'{stem}.py'))


def test_the_demo_call_gives_its_rows_from_the_dumped_configs(tmp_path, monkeypatch):
    """tools/run_demo.sh's work dirs, configs and collect_results.py call, on fake
    results."""
    monkeypatch.chdir(tmp_path)
    demo = Path('work_dirs/demo')
    encoder = str(demo / 'pretrain' / 'encoder.pth')
    dump_demo_config(demo / 'pretrain', DEMO_CONFIGS['pretrain'])
    runs = {
        'seqclr-window_decoder_eval_ctc_1.0_demo-hw': (
            DEMO_CONFIGS['de'],
            dict(load_from=encoder),
            0.90,
        ),
        'random-init_decoder_eval_ctc_1.0_demo-hw': (
            DEMO_CONFIGS['de'],
            dict(custom_hooks=[]),
            1.0,
        ),
    }
    for pct, cer in ((5, 0.85), (10, 0.83)):
        runs[f'seqclr-window_finetune_ctc_{pct}pct_demo-hw'] = (
            DEMO_CONFIGS['ft'].format(pct=pct),
            dict(load_from=encoder),
            cer,
        )
        runs[f'supervised_finetune_ctc_{pct}pct_demo-hw'] = (
            DEMO_CONFIGS['sup'].format(pct=pct),
            {},
            cer + 0.1,
        )
    for name, (config, options, cer) in runs.items():
        work_dir = demo / name
        dump_demo_config(work_dir, config, **options)
        # tools/test.py's own dump beside it, load_from = the tested checkpoint
        dump_demo_config(work_dir, config, test=True, load_from=str(work_dir / 'iter_500.pth'))
        (work_dir / '20240101_000000').mkdir()
        (work_dir / '20240101_000000' / '20240101_000000.json').write_text(
            json.dumps({'DemoHW/recog/word_acc': 0.0, 'DemoHW/recog/cer': cer})
        )
    assert (
        collect_results.main(
            [
                str(demo / '*_demo-hw'),
                '--out-dir',
                str(demo),
                '--method-order',
                'supervised,random-init,seqclr-window',
            ]
        )
        == 0
    )
    every_run = (demo / 'results.md').read_text().split('## Every run')[1].split('## Runs')[0]
    rows = [
        line.split(' | ')[:5]
        for line in every_run.splitlines()
        if line.startswith('| ') and 'DemoHW' in line
    ]
    assert sorted(rows) == sorted(
        [
            ['| seqclr-window', 'decoder_eval', 'ctc', '100%', 'DemoHW'],
            ['| random-init', 'decoder_eval', 'ctc', '100%', 'DemoHW'],
            ['| seqclr-window', 'finetune', 'ctc', '5%', 'DemoHW'],
            ['| supervised', 'finetune', 'ctc', '5%', 'DemoHW'],
            ['| seqclr-window', 'finetune', 'ctc', '10%', 'DemoHW'],
            ['| supervised', 'finetune', 'ctc', '10%', 'DemoHW'],
        ]
    )
    table1 = (demo / 'results.md').read_text().split('## Table 1')[1].split('## Table 2')[0]
    assert table1.index('| random-init |') < table1.index('| seqclr-window |')


# Seeds: several runs of one table cell.


def seeded_run(
    work_dirs: Path,
    name: str,
    seed=None,
    test_result=None,
    run_info=None,
    fixture='supervised_finetune_ctc_5pct_iam',
) -> Path:
    """A copy of a fixture work dir as ``work_dirs/name``: its dumped config gets
    ``randomness = dict(seed=seed)`` (when seed is given) and ``run_info``, and a
    tools/test.py result with ``test_result`` (metric name -> value) is added."""
    work_dir = work_dirs / name
    shutil.copytree(FIXTURES / fixture, work_dir)
    (config,) = work_dir.glob('*.py')
    extra = ''
    if seed is not None:
        extra += f'randomness = dict(seed={seed})\n'
    if run_info is not None:
        extra += f'run_info = {run_info!r}\n'
    config.write_text(config.read_text() + extra)
    if test_result is not None:
        log_dir = work_dir / '20240109_000000'
        log_dir.mkdir()
        (log_dir / '20240109_000000.json').write_text(
            json.dumps({f'recog/{metric}': value for metric, value in test_result.items()})
        )
    return work_dir


def collect_report(tmp_path) -> str:
    """results.md of the work dirs under ``tmp_path/work_dirs``."""
    assert (
        collect_results.main([str(tmp_path / 'work_dirs' / '*'), '--out-dir', str(tmp_path)]) == 0
    )
    return (tmp_path / 'results.md').read_text(encoding='utf-8')


def table_rows(report: str, section: str) -> list:
    """The rows of the table under the heading ``## <section>``, as dicts keyed by the
    header."""
    text = report.split(f'## {section}')[1].split('\n## ')[0]
    lines = [line[2:-2].split(' | ') for line in text.splitlines() if line.startswith('| ')]
    header, _, *rows = lines
    return [dict(zip(header, row)) for row in rows]


def mean_and_sample_std(values):
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((value - mean) ** 2 for value in values) / (len(values) - 1))


SEED_NOTE = 'mean ± std over 3 seeds where a cell has several runs (sample std)'


def test_runs_differing_only_by_seed_are_averaged_with_sample_std(tmp_path):
    accuracies = [0.50, 0.55, 0.62]
    for seed, acc in enumerate(accuracies):
        seeded_run(tmp_path / 'work_dirs', f'supervised_5pct_seed{seed}', seed, dict(word_acc=acc))
    mean, std = mean_and_sample_std(accuracies)
    report = collect_report(tmp_path)
    (row,) = table_rows(report, 'Table 2')
    assert row['iam 5%'] == f'{mean * 100:.1f} ± {std * 100:.1f}'
    assert SEED_NOTE in report.split('## Table 1')[0]
    assert report.count(SEED_NOTE) == 1
    # get() keeps returning the mean; spread() gives (mean, std, n)
    runs, _ = collect_results.collect_runs([str(tmp_path / 'work_dirs' / '*')])
    grid = collect_results.ResultGrid(runs)
    assert grid.get('finetune', 'ctc', 'supervised', 'iam', 0.05, 'acc') == pytest.approx(mean)
    assert grid.spread('finetune', 'ctc', 'supervised', 'iam', 0.05, 'acc') == (
        pytest.approx(mean),
        pytest.approx(std),
        3,
    )


def test_a_single_seed_cell_prints_a_plain_value(tmp_path):
    seeded_run(tmp_path / 'work_dirs', 'supervised_5pct_seed0', 0, dict(word_acc=0.5))
    report = collect_report(tmp_path)
    (row,) = table_rows(report, 'Table 2')
    assert row['iam 5%'] == '50.0'
    assert '±' not in report
    assert 'seeds' not in report


@pytest.mark.parametrize('seed', [0, None])
def test_two_runs_with_the_same_seed_still_keep_the_first_and_warn(tmp_path, capsys, seed):
    first = seeded_run(tmp_path / 'work_dirs', 'a_run', seed, dict(word_acc=0.5))
    second = seeded_run(tmp_path / 'work_dirs', 'b_run', seed, dict(word_acc=0.6))
    report = collect_report(tmp_path)
    (row,) = table_rows(report, 'Table 2')
    assert row['iam 5%'] == '50.0'
    assert '±' not in report
    err = capsys.readouterr().err
    assert f'WARNING: {first} and {second} both give' in err
    assert 'keeping the first' in err


def test_seed_comes_from_run_info_before_randomness(tmp_path):
    both = seeded_run(tmp_path / 'work_dirs', 'both', seed=1, run_info=dict(seed=7))
    assert collect_results.read_run_identity(str(both))['seed'] == 7
    randomness_only = seeded_run(tmp_path / 'work_dirs', 'randomness_only', seed=1)
    assert collect_results.read_run_identity(str(randomness_only))['seed'] == 1
    seed_none = seeded_run(tmp_path / 'work_dirs', 'seed_none')
    (config,) = seed_none.glob('*.py')
    config.write_text(config.read_text() + 'randomness = dict(seed=None)\n')
    assert collect_results.read_run_identity(str(seed_none))['seed'] is None
    runs, _ = collect_results.collect_runs([str(both)])
    assert runs[0].seed == 7


def test_a_run_info_seed_that_is_not_an_int_is_refused(tmp_path):
    work_dir = seeded_run(tmp_path / 'work_dirs', 'bad_seed', run_info=dict(seed='0'))
    with pytest.raises(collect_results.RunError, match='run_info field "seed" must be an int'):
        collect_results.read_run_identity(str(work_dir))


def test_a_test_only_work_dir_takes_the_seed_of_the_tested_run(tmp_path):
    trained = seeded_run(tmp_path / 'work_dirs', 'trained', seed=3)
    tested = tmp_path / 'work_dirs' / 'tested_elsewhere'
    tested.mkdir()
    (tested / 'finetune_ctc_5pct_test.py').write_text(
        "model = dict(type='EncoderDecoderRecognizer', decoder=dict(type='CTCFrameDecoder', "
        "module_loss=dict(type='CTCModuleLoss')))\n"
        f"load_from = '{trained / 'iter_500.pth'}'\n"
        'randomness = dict(seed=None)\n'
    )
    identity = collect_results.read_run_identity(str(tested))
    assert identity['seed'] == 3
    assert identity['label_fraction'] == 0.05


def test_the_runs_and_every_run_tables_show_each_runs_seed(tmp_path):
    work_dirs = tmp_path / 'work_dirs'
    seeded_run(work_dirs, 'supervised_5pct_seed0', 0, dict(word_acc=0.5))
    seeded_run(work_dirs, 'supervised_5pct_seed1', 1, dict(word_acc=0.6))
    seeded_run(work_dirs, 'supervised_10pct', fixture='supervised_finetune_ctc_10pct_iam')
    report = collect_report(tmp_path)
    assert {row['Work dir']: row['Seed'] for row in table_rows(report, 'Runs')} == {
        'supervised_5pct_seed0': '0',
        'supervised_5pct_seed1': '1',
        'supervised_10pct': '-',
    }
    every_run = table_rows(report, 'Every run')
    assert [(row['Label fraction'], row['Seed'], row['Acc']) for row in every_run] == [
        ('10%', '-', '33.6'),
        ('5%', '0', '50.0'),
        ('5%', '1', '60.0'),
    ]
    # 2 seeds in one cell: the note says so
    assert 'mean ± std over 2 seeds where a cell has several runs (sample std)' in report


def test_table_3_averages_wer_cer_and_their_mean_over_seeds(tmp_path):
    errors = [(0.25, 0.10), (0.20, 0.08), (0.31, 0.12)]
    for seed, (wer, cer) in enumerate(errors):
        seeded_run(
            tmp_path / 'work_dirs',
            f'supervised_100pct_seed{seed}',
            seed,
            dict(word_acc=0.7, wer=wer, cer=cer),
            fixture='supervised_finetune_ctc_100pct_iam',
        )
    wer_mean, wer_std = mean_and_sample_std([wer for wer, _ in errors])
    cer_mean, cer_std = mean_and_sample_std([cer for _, cer in errors])
    average_mean, average_std = mean_and_sample_std([(wer + cer) / 2 for wer, cer in errors])
    (row,) = table_rows(collect_report(tmp_path), 'Table 3')
    assert row['WER'] == f'{wer_mean * 100:.1f} ± {wer_std * 100:.1f}'
    assert row['CER'] == f'{cer_mean * 100:.1f} ± {cer_std * 100:.1f}'
    assert row['Average'] == f'{average_mean * 100:.2f} ± {average_std * 100:.2f}'


def test_the_plot_draws_the_mean_with_error_bars_where_a_point_has_several_seeds(
    tmp_path, monkeypatch
):
    from matplotlib.axes import Axes

    accuracies = [0.50, 0.55, 0.62]
    for seed, acc in enumerate(accuracies):
        seeded_run(tmp_path / 'work_dirs', f'supervised_5pct_seed{seed}', seed, dict(word_acc=acc))
    seeded_run(
        tmp_path / 'work_dirs', 'supervised_10pct', fixture='supervised_finetune_ctc_10pct_iam'
    )
    calls = []
    errorbar = Axes.errorbar

    def recording_errorbar(self, x, y, *args, **kwargs):
        calls.append((list(x), list(y), kwargs.get('yerr')))
        return errorbar(self, x, y, *args, **kwargs)

    monkeypatch.setattr(Axes, 'errorbar', recording_errorbar)
    collect_report(tmp_path)
    mean, std = mean_and_sample_std(accuracies)
    ((x, y, yerr),) = calls
    assert x == pytest.approx([5, 10])
    assert y == pytest.approx([mean * 100, 33.6])
    assert yerr == pytest.approx([std * 100, 0.0])
    assert (tmp_path / 'accuracy_vs_label_fraction.png').stat().st_size > 5000
