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
EXPECTED_RESULTS_MD = (FIXTURES / 'expected_results.md').read_text(
    encoding='utf-8')


def run_main(out_dir, *extra):
    return collect_results.main([
        str(FIXTURES / '*'), '--out-dir',
        str(out_dir), '--method-order', 'supervised,simclr,seqclr-window',
        '--dataset-order', 'iam', *extra
    ])


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
    assert 'not_a_run' in err and 'does not match' in err
    # the truncated line of seqclr-window_finetune_ctc_0.1_iam
    assert '1 malformed lines ignored, first at line(s) [2]' in err


def test_no_run_at_all_is_an_error(tmp_path, capsys):
    assert collect_results.main(
        [str(FIXTURES / 'not_a_run'), '--out-dir',
         str(tmp_path)]) == 1
    assert 'no readable run' in capsys.readouterr().err


def test_mode_selects_the_word_metric_key_and_the_best_step():
    runs, _ = collect_results.collect_runs([str(FIXTURES / 'run_attention_ft')],
                                           mode='ignore_case_symbol')
    (run, ) = runs
    # steps 200 and 300 tie on word_acc, but not on the symbol-free variant
    assert run.metrics == {'iam': {'acc': pytest.approx(0.83)}}
    assert run.source == 'val step 300'


def test_best_validation_ties_go_to_the_earliest_step():
    runs, _ = collect_results.collect_runs([str(FIXTURES / 'run_attention_ft')],
                                           mode='exact')
    assert runs[0].source == 'val step 200'


@pytest.mark.parametrize('name, expected', [
    ('seqclr-window_finetune_ctc_5pct_iam',
     dict(method='seqclr-window', protocol='finetune', decoder='ctc',
          label_fraction=0.05, dataset='iam')),
    ('simclr_contextual_decoder_eval_attention_1.0_rimes_words',
     dict(method='simclr_contextual', protocol='decoder_eval',
          decoder='attention', label_fraction=1.0, dataset='rimes_words')),
    ('supervised_finetune_attention_100pct_cvl',
     dict(method='supervised', protocol='finetune', decoder='attention',
          label_fraction=1.0, dataset='cvl')),
])
def test_work_dir_names_are_parsed(name, expected):
    assert collect_results.parse_run_name(name) == expected


@pytest.mark.parametrize('name', [
    'seqclr_pretrain_iam', 'seqclr_finetune_lstm_5pct_iam',
    'seqclr_finetune_ctc_0pct_iam', 'seqclr_finetune_ctc_1.5_iam'
])
def test_bad_work_dir_names_are_refused(name):
    with pytest.raises(collect_results.RunError):
        collect_results.parse_run_name(name)


def test_run_info_with_a_bad_field_is_refused_naming_it(tmp_path):
    work_dir = tmp_path / 'my_run'
    shutil.copytree(FIXTURES / 'run_attention_ft', work_dir)
    info = json.loads((work_dir / 'run_info.json').read_text())
    info['protocol'] = 'linear_eval'
    (work_dir / 'run_info.json').write_text(json.dumps(info))
    with pytest.raises(collect_results.RunError,
                       match='run_info.json: field "protocol"'):
        collect_results.read_run_info(str(work_dir))


def test_metric_keys_split_into_dataset_and_name():
    split = collect_results.split_metric_key
    assert split('recog/word_acc') == (None, 'word_acc')
    assert split('word_acc') == (None, 'word_acc')
    assert split('IIIT5K/recog/word_acc') == ('IIIT5K', 'word_acc')
    assert split('val/recog/cer') == (None, 'cer')
    assert split('test/IC13/recog/wer') == ('IC13', 'wer')


def test_metric_names_match_the_keys_seqclr_recog_metric_writes():
    from seqclr_mmocr.evaluation.metrics.recognition_metrics import \
        metric_key
    for mode in ('exact', 'ignore_case'):
        assert collect_results.METRIC_NAMES[mode] == {
            metric: metric_key(metric, mode)
            for metric in ('acc', 'ed1', 'cer', 'wer')
        }
