"""Tests of tools/analysis_tools/collect_results.py on handmade work dirs."""

import importlib.util
import json
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
        method='supervised', protocol='finetune', decoder='ctc', label_fraction=0.05, dataset='iam'
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
