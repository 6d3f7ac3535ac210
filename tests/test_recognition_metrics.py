"""Tests of SeqCLRRecogMetric against hand-computed values."""

import math

import pytest

from seqclr_mmocr.evaluation.metrics import recognition_metrics
from seqclr_mmocr.evaluation.metrics.recognition_metrics import SeqCLRRecogMetric, metric_key


def make_samples(pairs, img_prefix='img'):
    """MMOCR-style data samples (as dicts) from (prediction, truth) pairs."""
    return [
        dict(img_path=f'{img_prefix}_{i}.png', pred_text=dict(item=pred), gt_text=dict(item=gt))
        for i, (pred, gt) in enumerate(pairs)
    ]


def evaluate(metric, pairs, batch_size=2):
    """Run process() over batches, then evaluate() (adds the prefix)."""
    samples = make_samples(pairs)
    for start in range(0, len(samples), batch_size):
        metric.process([], samples[start : start + batch_size])
    return metric.evaluate(len(samples))


def reference_levenshtein(a, b):
    """Textbook dynamic programme over two sequences."""
    previous = list(range(len(b) + 1))
    for i, item_a in enumerate(a, 1):
        current = [i]
        for j, item_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (item_a != item_b))
            )
        previous = current
    return previous[-1]


def test_exact_metrics_match_hand_computed_values():
    # pred  gt     edits  words
    # cat   cat    0      match
    # Cat   cat    1      (case) within ED1
    # dgo   dog    2      (swap = 2 substitutions) not within ED1
    # ''    ab     2      (2 deletions), WER 1 deletion
    pairs = [('cat', 'cat'), ('Cat', 'cat'), ('dgo', 'dog'), ('', 'ab')]
    metric = SeqCLRRecogMetric(mode='exact')
    res = evaluate(metric, pairs)
    assert res['recog/word_acc'] == pytest.approx(1 / 4)
    assert res['recog/word_ed1'] == pytest.approx(2 / 4)
    # char edits 0+1+2+2 = 5 over 3+3+3+2 = 11 ground-truth characters
    assert res['recog/cer'] == pytest.approx(5 / 11)
    # word edits 0+1+1+1 = 3 over 4 ground-truth words
    assert res['recog/wer'] == pytest.approx(3 / 4)
    assert set(res) == {'recog/word_acc', 'recog/word_ed1', 'recog/cer', 'recog/wer'}


def test_ignore_case_mode_lower_cases_both_texts():
    pairs = [('CAT', 'cat'), ('Dog', 'dOg'), ('cow', 'cat')]
    metric = SeqCLRRecogMetric(mode=['exact', 'ignore_case'])
    res = evaluate(metric, pairs)
    assert res['recog/word_acc'] == pytest.approx(0 / 3)
    assert res['recog/word_acc_ignore_case'] == pytest.approx(2 / 3)
    # exact edits: CAT/cat 3, Dog/dOg 2, cow/cat 2 -> within ED1: none
    assert res['recog/word_ed1'] == pytest.approx(0 / 3)
    assert res['recog/word_ed1_ignore_case'] == pytest.approx(2 / 3)
    assert res['recog/cer'] == pytest.approx((3 + 2 + 2) / 9)
    assert res['recog/cer_ignore_case'] == pytest.approx((0 + 0 + 2) / 9)
    assert res['recog/wer'] == pytest.approx(3 / 3)
    assert res['recog/wer_ignore_case'] == pytest.approx(1 / 3)


def test_empty_prediction_counts_every_character_as_deleted():
    metric = SeqCLRRecogMetric()
    res = evaluate(metric, [('', 'a'), ('', 'hello')])
    assert res['recog/word_acc'] == 0
    # 'a' is one deletion away from '': within ED1
    assert res['recog/word_ed1'] == pytest.approx(1 / 2)
    assert res['recog/cer'] == pytest.approx(6 / 6)
    assert res['recog/wer'] == pytest.approx(2 / 2)


def test_wer_on_multi_word_texts():
    # gt words: [the, quick, fox] / [a, b]
    # 1) [the, quik, fox]: 1 substitution
    # 2) [a, x, b, c]:     2 insertions
    pairs = [('the quik fox', 'the quick fox'), ('a x  b c', 'a b')]
    metric = SeqCLRRecogMetric(metrics='wer')
    res = evaluate(metric, pairs)
    assert res == {'recog/wer': pytest.approx(3 / 5)}


def test_wer_equals_one_minus_accuracy_on_single_words():
    pairs = [('alpha', 'alpha'), ('beta', 'bet'), ('', 'gamma'), ('Delta', 'delta'), ('eps', 'eps')]
    res = evaluate(SeqCLRRecogMetric(metrics=('acc', 'wer')), pairs)
    assert res['recog/word_acc'] == pytest.approx(2 / 5)
    assert res['recog/wer'] == pytest.approx(1 - 2 / 5)


def test_cer_is_total_edits_over_total_characters_not_mean_of_rates():
    # per-sample rates 1/1 and 0/9 would average to 0.5; total is 1/10.
    res = evaluate(SeqCLRRecogMetric(metrics='cer'), [('b', 'a'), ('abcdefghi', 'abcdefghi')])
    assert res['recog/cer'] == pytest.approx(1 / 10)


def test_edit_distances_match_a_reference_dynamic_programme():
    pairs = [
        ('kitten', 'sitting'),
        ('flaw', 'lawn'),
        ('', 'abc'),
        ('abc', ''),
        ('intention', 'execution'),
        ('été', 'ete'),
        ('a b c', 'a c d e'),
    ]
    metric = SeqCLRRecogMetric(empty_gt='warn')
    metric.process([], make_samples(pairs))
    for result, (pred, gt) in zip(metric.results, pairs):
        counts = result['exact']
        assert counts['char_edits'] == reference_levenshtein(pred, gt)
        assert counts['word_edits'] == reference_levenshtein(pred.split(), gt.split())
        assert counts['within_ed1'] == int(reference_levenshtein(pred, gt) <= 1)


def test_custom_prefix_and_metric_key_names():
    metric = SeqCLRRecogMetric(metrics=['acc', 'ed1'], mode='ignore_case', prefix='iam')
    res = evaluate(metric, [('a', 'a')])
    assert set(res) == {'iam/word_acc_ignore_case', 'iam/word_ed1_ignore_case'}
    assert metric_key('cer', 'exact') == 'cer'
    assert metric_key('acc', 'ignore_case') == 'word_acc_ignore_case'


def test_empty_ground_truth_raises_naming_the_image_by_default():
    metric = SeqCLRRecogMetric()
    with pytest.raises(ValueError, match=r"img_1\.png.*empty_gt='warn'"):
        metric.process([], make_samples([('a', 'a'), ('b', '')]))


def test_empty_ground_truth_with_warn_is_counted_and_reported(monkeypatch):
    messages = []
    monkeypatch.setattr(
        recognition_metrics, 'print_log', lambda msg, **kwargs: messages.append(msg)
    )
    # '' vs '': a match; 'x' vs '': within ED1, one inserted char and word
    pairs = [('', ''), ('x', ''), ('ab', 'ab')]
    res = evaluate(SeqCLRRecogMetric(empty_gt='warn'), pairs)
    assert res['recog/word_acc'] == pytest.approx(2 / 3)
    assert res['recog/word_ed1'] == pytest.approx(3 / 3)
    assert res['recog/cer'] == pytest.approx(1 / 2)
    assert res['recog/wer'] == pytest.approx(1 / 1)
    assert len(messages) == 1
    assert '2 of 3 samples have an empty ground-truth text' in messages[0]
    assert 'img_0.png' in messages[0] and 'img_1.png' in messages[0]


def test_cer_is_nan_when_every_ground_truth_is_empty():
    res = evaluate(SeqCLRRecogMetric(empty_gt='warn'), [('', ''), ('a', '')])
    assert math.isnan(res['recog/cer'])
    assert math.isnan(res['recog/wer'])
    assert res['recog/word_acc'] == pytest.approx(1 / 2)


@pytest.mark.parametrize(
    'kwargs, field',
    [
        (dict(metrics=['acc', 'f1']), 'metrics'),
        (dict(mode='upper'), 'mode'),
        (dict(metrics=[]), 'metrics'),
        (dict(empty_gt='skip'), 'empty_gt'),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        SeqCLRRecogMetric(**kwargs)


def test_registered_and_buildable_from_config():
    from mmocr.registry import METRICS

    metric = METRICS.build(dict(type='SeqCLRRecogMetric', metrics='acc', mode='ignore_case'))
    assert isinstance(metric, SeqCLRRecogMetric)
    assert metric.mode == ['ignore_case']


def test_usable_beside_mmocr_word_metric_in_one_evaluator():
    from mmengine.evaluator import Evaluator
    from mmengine.structures import LabelData
    from mmocr.evaluation import WordMetric
    from mmocr.structures import TextRecogDataSample

    evaluator = Evaluator(
        [WordMetric(mode='exact'), SeqCLRRecogMetric(metrics=('ed1', 'cer', 'wer'))]
    )
    samples = []
    for pred, gt in [('Cat', 'cat'), ('dog', 'dog'), ('', 'ab')]:
        sample = TextRecogDataSample(metainfo=dict(img_path=f'{gt}.png'))
        sample.pred_text = LabelData(item=pred)
        sample.gt_text = LabelData(item=gt)
        samples.append(sample)
    evaluator.process(samples)
    res = evaluator.evaluate(len(samples))
    assert res['recog/word_acc'] == pytest.approx(1 / 3, abs=1e-4)
    assert res['recog/word_ed1'] == pytest.approx(2 / 3)
    assert res['recog/cer'] == pytest.approx(3 / 8)  # 1 + 0 + 2 over 3+3+2
    assert res['recog/wer'] == pytest.approx(2 / 3)
