"""Word accuracy, ED1, CER and WER for text recognition (SeqCLR Tables 1-3)."""

import logging
from typing import Dict, List, Optional, Sequence, Union

import mmengine
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmocr.registry import METRICS
from rapidfuzz.distance import Levenshtein

from seqclr_mmocr.datasets.bad_inputs import is_placeholder

from .skipped_samples import split_skipped

# Metric name -> output key for mode 'exact'. Other modes append f'_{mode}'.
METRIC_KEYS = {
    'acc': 'word_acc',
    'ed1': 'word_ed1',
    'cer': 'cer',
    'wer': 'wer',
}
CASE_MODES = ('exact', 'ignore_case')
EMPTY_GT_POLICIES = ('error', 'warn')
# How many offending samples a warning lists.
NUM_EXAMPLES_SHOWN = 5


def metric_key(metric: str, mode: str) -> str:
    """Output key of ``metric`` ('acc', 'ed1', 'cer', 'wer') in ``mode``.

    Example:
        >>> metric_key('acc', 'exact'), metric_key('cer', 'ignore_case')
        ('word_acc', 'cer_ignore_case')
    """
    key = METRIC_KEYS[metric]
    return key if mode == 'exact' else f'{key}_{mode}'


@METRICS.register_module()
class SeqCLRRecogMetric(BaseMetric):
    """Word accuracy, ED1, CER and WER of text recognition, as in SeqCLR.

    Every value is a fraction in [0, 1] (not a percentage), like MMOCR's
    ``WordMetric``, and is not rounded. Per sample, ``gt`` is
    ``data_sample['gt_text']['item']`` and ``pred`` is
    ``data_sample['pred_text']['item']``; :math:`d` is the Levenshtein
    distance (insertions, deletions and substitutions all cost 1).

    - ``acc`` (key ``word_acc``): share of samples with ``pred == gt``.
    - ``ed1`` (key ``word_ed1``): share of samples with
      :math:`d(pred, gt) \\le 1` ("accuracy up to a single edit distance").
    - ``cer`` (key ``cer``): :math:`\\sum d(pred, gt) / \\sum |gt|`, the
      character edit distance summed over the data set divided by the total
      number of ground-truth characters (not a mean of per-sample rates).
    - ``wer`` (key ``wer``): the same at word level: texts are split on
      whitespace (``str.split()``) and the word-level edit distances are
      summed and divided by the total number of ground-truth words. When
      every ground truth and prediction holds at most one word, this is
      ``1 - word_acc``; a prediction split into k words costs up to k edits.

    With ``mode='ignore_case'`` both texts are lower-cased (``str.lower``, as
    in ``WordMetric``) before comparison and keys get the suffix
    ``_ignore_case``, e.g. ``word_acc_ignore_case``. With the default prefix
    ``recog`` the logged keys read ``recog/word_acc``, ``recog/word_ed1``,
    ``recog/cer``, ``recog/wer``, ``recog/word_acc_ignore_case``, ...

    Beside MMOCR's ``WordMetric`` in one evaluator, the ``word_acc*`` keys
    of both would collide (MMEngine refuses duplicate keys): leave ``'acc'``
    out of ``metrics`` here, or give one of the two another ``prefix``.

    An empty ground truth (``''``) is bad input. With ``empty_gt='error'``
    it raises a ``ValueError`` naming the image. With ``empty_gt='warn'`` the
    sample is kept and counted like any other: it is one sample for
    ``word_acc``/``word_ed1`` (a match only if the prediction is empty too,
    within ED1 if the prediction has at most one character), it adds 0 to
    the ground-truth character and word totals, and every predicted
    character/word counts as an insertion edit in CER/WER. After each
    evaluation a warning gives the number of such samples and the first
    few image paths. If a CER/WER denominator is 0 (every ground truth
    empty), the value is ``nan`` and a warning is logged.

    Args:
        metrics (str or Sequence[str]): Metrics to report, among ``'acc'``,
            ``'ed1'``, ``'cer'`` and ``'wer'``. Defaults to all four.
        mode (str or Sequence[str]): Case modes, among ``'exact'`` and
            ``'ignore_case'``. Each metric is reported in each mode.
            Defaults to ``'exact'``.
        empty_gt (str): What an empty ground truth does: ``'error'`` or
            ``'warn'``. Defaults to ``'error'``.
        collect_device (str): Device used to collect results across ranks,
            'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric keys. Defaults to
            ``'recog'``, as MMOCR's recognition metrics.

    Example:
        >>> val_evaluator = dict(
        ...     type='SeqCLRRecogMetric',
        ...     metrics=('acc', 'ed1', 'cer', 'wer'),
        ...     mode=['exact', 'ignore_case'],
        ...     empty_gt='error')
        >>> # beside MMOCR's metrics
        >>> val_evaluator = [
        ...     dict(type='WordMetric', mode=['exact', 'ignore_case']),
        ...     dict(type='SeqCLRRecogMetric', metrics=('ed1', 'cer', 'wer'))
        ... ]
    """

    default_prefix: Optional[str] = 'recog'

    def __init__(
        self,
        metrics: Union[str, Sequence[str]] = ('acc', 'ed1', 'cer', 'wer'),
        mode: Union[str, Sequence[str]] = 'exact',
        empty_gt: str = 'error',
        collect_device: str = 'cpu',
        prefix: Optional[str] = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.metrics = self._as_choice_list(metrics, 'metrics', tuple(METRIC_KEYS))
        self.mode = self._as_choice_list(mode, 'mode', CASE_MODES)
        if empty_gt not in EMPTY_GT_POLICIES:
            raise ValueError(
                f'SeqCLRRecogMetric: `empty_gt` must be one of '
                f'{EMPTY_GT_POLICIES}, got {empty_gt!r}'
            )
        self.empty_gt = empty_gt

    @staticmethod
    def _as_choice_list(
        value: Union[str, Sequence[str]], field: str, choices: Sequence[str]
    ) -> List[str]:
        values = [value] if isinstance(value, str) else list(value)
        if not values or not mmengine.is_list_of(values, str):
            raise ValueError(
                f'SeqCLRRecogMetric: `{field}` must be a '
                f'non-empty string or list of strings among '
                f'{tuple(choices)}, got {value!r}'
            )
        unknown = [v for v in values if v not in choices]
        if unknown:
            raise ValueError(
                f'SeqCLRRecogMetric: unknown `{field}` {unknown}; choose among {tuple(choices)}'
            )
        # Drop duplicates, keep the order given.
        return list(dict.fromkeys(values))

    def process(self, data_batch: Sequence[Dict], data_samples: Sequence[Dict]) -> None:
        """Store per-sample edit counts in ``self.results``.

        Args:
            data_batch (Sequence[Dict]): A batch of inputs (unused).
            data_samples (Sequence[Dict]): A batch of outputs from the
                model, each with ``pred_text.item`` and ``gt_text.item``.
        """
        for data_sample in data_samples:
            if is_placeholder(data_sample):  # an unreadable image, skipped
                self.results.append(dict(skipped=True, img_path=data_sample.get('img_path')))
                continue
            pred_text = data_sample.get('pred_text').get('item')
            gt_text = data_sample.get('gt_text').get('item')
            img_path = data_sample.get('img_path', '<unknown image>')
            is_empty_gt = len(gt_text) == 0
            if is_empty_gt and self.empty_gt == 'error':
                raise ValueError(
                    f'SeqCLRRecogMetric: empty ground-truth text for image '
                    f'{img_path!r} (prediction {pred_text!r}); fix the '
                    f"annotation or set empty_gt='warn' to count it"
                )
            result = dict(img_path=img_path, empty_gt=is_empty_gt)
            for mode in self.mode:
                result[mode] = self._count_edits(pred_text, gt_text, mode)
            self.results.append(result)

    @staticmethod
    def _count_edits(pred: str, gt: str, mode: str) -> Dict[str, int]:
        if mode == 'ignore_case':
            pred, gt = pred.lower(), gt.lower()
        char_edits = Levenshtein.distance(pred, gt)
        pred_words, gt_words = pred.split(), gt.split()
        return dict(
            match=int(pred == gt),
            within_ed1=int(char_edits <= 1),
            char_edits=char_edits,
            gt_chars=len(gt),
            # rapidfuzz compares sequences of hashables, here word lists.
            word_edits=Levenshtein.distance(pred_words, gt_words),
            gt_words=len(gt_words),
        )

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Aggregate the per-sample counts into the requested metrics.

        Args:
            results (list[dict]): The results of :meth:`process` from all
                ranks.

        Returns:
            dict[str, float]: Metric values (fractions), keyed as described
            in the class docstring, without the prefix.
        """
        results, skipped = split_skipped(results, type(self).__name__)
        self._warn_empty_gt(results)
        num_samples = len(results)
        eval_res = {}
        for mode in self.mode:
            totals = {
                name: sum(result[mode][name] for result in results)
                for name in (
                    'match',
                    'within_ed1',
                    'char_edits',
                    'gt_chars',
                    'word_edits',
                    'gt_words',
                )
            }
            ratios = dict(
                acc=(totals['match'], num_samples),
                ed1=(totals['within_ed1'], num_samples),
                cer=(totals['char_edits'], totals['gt_chars']),
                wer=(totals['word_edits'], totals['gt_words']),
            )
            for metric in self.metrics:
                key = metric_key(metric, mode)
                eval_res[key] = self._ratio(*ratios[metric], key)
        if skipped:
            eval_res.update(num_samples=num_samples, skipped_images=skipped)
        return eval_res

    @staticmethod
    def _ratio(numerator: int, denominator: int, key: str) -> float:
        if denominator == 0:
            print_log(
                f'SeqCLRRecogMetric: {key} is undefined (denominator 0: no '
                'samples or no ground-truth characters/words); reporting nan',
                logger='current',
                level=logging.WARNING,
            )
            return float('nan')
        return numerator / denominator

    @staticmethod
    def _warn_empty_gt(results: List[Dict]) -> None:
        empty = [result['img_path'] for result in results if result['empty_gt']]
        if empty:
            print_log(
                f'SeqCLRRecogMetric: {len(empty)} of {len(results)} samples '
                'have an empty ground-truth text and were counted as '
                "described under empty_gt='warn'; first ones: "
                f'{empty[:NUM_EXAMPLES_SHOWN]}',
                logger='current',
                level=logging.WARNING,
            )
