"""Which numbers a run gives: its metrics, read from the logs of its work dir.

In each work dir, the timestamp folders (``YYYYMMDD_HHMMSS``) are read. If any holds a
``tools/test.py`` result (``<timestamp>/<timestamp>.json``), the latest one gives the numbers
(source ``test``). Otherwise the validation records of ``<timestamp>/vis_data/scalars.json``
(all timestamps, for resumed runs) are used, and one validation step is chosen: the one with
the highest word accuracy (mean over datasets when several are validated; ties go to the
earliest step, as ``save_best`` keeps the first best checkpoint); when no accuracy is logged,
the highest ED1, then the lowest CER, then the lowest WER (source ``val``).

**Metric keys.** A key's last ``/`` part is the metric name; a leading ``val/`` or ``test/``
(``log_with_hierarchy``) is dropped; with three or more parts left, the first part is the
dataset (``MultiDatasetsEvaluator`` prefixes, e.g. ``IIIT5K/recog/word_acc``) and overrides
the run's dataset. Metric names per case mode:

- ``exact``: Acc ``word_acc``, ED1 ``word_ed1``, CER ``cer``, WER ``wer``;
- ``ignore_case``: the same names with the suffix ``_ignore_case``;
- ``ignore_case_symbol``: Acc ``word_acc_ignore_case_symbol`` only (MMOCR's ``WordMetric``
  default mode).

``word_acc*`` are the keys of both ``SeqCLRRecogMetric`` and MMOCR's ``WordMetric``; the
others are ``SeqCLRRecogMetric``'s. The logs hold fractions in [0, 1].

:func:`collect_runs` reads every work dir matching glob patterns into :class:`Run` records:
identity (:mod:`.run_identity`) and chosen metrics. Pretraining runs are listed as not tabled;
work dirs without a dumped config, or whose identity or metrics cannot be read, are skipped
and listed in a warning.
"""

import glob
import json
import math
import os
import os.path as osp
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from .run_identity import PretrainingRun, RunError, read_run_identity, warn

MODES = ('exact', 'ignore_case', 'ignore_case_symbol')
# Column -> logged metric name, per case mode (see the module docstring).
METRIC_NAMES: Dict[str, Dict[str, str]] = {
    'exact': dict(acc='word_acc', ed1='word_ed1', cer='cer', wer='wer'),
    'ignore_case': dict(
        acc='word_acc_ignore_case',
        ed1='word_ed1_ignore_case',
        cer='cer_ignore_case',
        wer='wer_ignore_case',
    ),
    'ignore_case_symbol': dict(acc='word_acc_ignore_case_symbol'),
}
# Step selection: first metric present decides; True means higher is better.
SELECTION_ORDER = (('acc', True), ('ed1', True), ('cer', False), ('wer', False))
TIMESTAMP_PATTERN = re.compile(r'^\d{8}_\d{6}$')
NUM_EXAMPLES_SHOWN = 5


@dataclass
class Run:
    """One work dir: what was run and the numbers chosen from it."""

    work_dir: str
    method: str
    protocol: str
    decoder: str
    label_fraction: float
    seed: Optional[int] = None
    # dataset -> column ('acc', 'ed1', 'cer', 'wer') -> fraction in [0, 1]
    metrics: Dict[str, Dict[str, float]] = field(default_factory=dict)
    source: str = ''


def split_metric_key(key: str) -> Tuple[Optional[str], str]:
    """(dataset or None, metric name) of a logged key."""
    parts = key.split('/')
    if len(parts) > 1 and parts[0] in ('val', 'test'):
        parts = parts[1:]
    dataset = parts[0] if len(parts) >= 3 else None
    return dataset, parts[-1]


def extract_metrics(
    record: Dict[str, object], mode: str, default_dataset: Optional[str], where: str
) -> Dict[str, Dict[str, float]]:
    """Metrics of one log record, as dataset -> column -> value."""
    column_of = {name: column for column, name in METRIC_NAMES[mode].items()}
    metrics: Dict[str, Dict[str, float]] = {}
    for key, value in record.items():
        dataset, name = split_metric_key(key)
        if name not in column_of or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        dataset = dataset or default_dataset
        if dataset is None:
            raise RunError(
                f'{where}: metric {key!r} names no dataset and the '
                'run has none (add run_info=dict(dataset=...) to its config)'
            )
        metrics.setdefault(dataset, {})[column_of[name]] = float(value)
    return metrics


def selection_score(metrics: Dict[str, Dict[str, float]]) -> float:
    """Score of a validation record: higher is better (see docstring)."""
    for column, higher_is_better in SELECTION_ORDER:
        values = [m[column] for m in metrics.values() if column in m]
        if values:
            mean = sum(values) / len(values)
            return mean if higher_is_better else -mean
    return -math.inf


def timestamp_dirs(work_dir: str) -> List[str]:
    """The work dir's timestamp folders, oldest first."""
    names = sorted(
        name
        for name in os.listdir(work_dir)
        if TIMESTAMP_PATTERN.match(name) and osp.isdir(osp.join(work_dir, name))
    )
    return [osp.join(work_dir, name) for name in names]


def read_json_lines(path: str) -> List[Dict[str, object]]:
    """Records of a JSON-lines file; bad lines are counted and reported."""
    records, bad_lines = [], []
    with open(path, encoding='utf-8') as f:
        for line_num, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if isinstance(record, dict):
                records.append(record)
            else:
                bad_lines.append(line_num)
    if bad_lines:
        warn(
            f'{path}: {len(bad_lines)} malformed lines ignored, first at '
            f'line(s) {bad_lines[:NUM_EXAMPLES_SHOWN]}'
        )
    return records


def read_metrics(
    work_dir: str, mode: str, dataset: Optional[str]
) -> Tuple[Dict[str, Dict[str, float]], str]:
    """The chosen metrics of a work dir and where they came from.

    Args:
        work_dir (str): An MMEngine work dir.
        mode (str): Case mode, a key of ``METRIC_NAMES``.
        dataset (str, optional): The run's dataset, for keys without one.

    Returns:
        tuple: ``(metrics, source)``: dataset -> column -> value, and e.g.
        ``'test 20240101_000000'`` or ``'val step 300'``.

    Raises:
        RunError: If the work dir holds no metric of that mode.
    """
    log_dirs = timestamp_dirs(work_dir)
    for log_dir in reversed(log_dirs):
        timestamp = osp.basename(log_dir)
        test_file = osp.join(log_dir, f'{timestamp}.json')
        if not osp.isfile(test_file):
            continue
        try:
            with open(test_file, encoding='utf-8') as f:
                record = json.load(f)
        except json.JSONDecodeError as error:
            raise RunError(f'{test_file}: invalid JSON ({error})') from error
        if not isinstance(record, dict):
            raise RunError(f'{test_file}: expected a JSON object')
        metrics = extract_metrics(record, mode, dataset, test_file)
        if metrics:
            return metrics, f'test {timestamp}'
        warn(
            f'{test_file}: no {mode!r} metrics '
            f'{sorted(METRIC_NAMES[mode].values())}; trying older results'
        )

    best: Optional[Tuple[float, Dict[str, Dict[str, float]], object]] = None
    for log_dir in log_dirs:
        scalars_file = osp.join(log_dir, 'vis_data', 'scalars.json')
        if not osp.isfile(scalars_file):
            continue
        for record in read_json_lines(scalars_file):
            metrics = extract_metrics(record, mode, dataset, scalars_file)
            if not metrics:
                continue  # a training record
            score = selection_score(metrics)
            if best is None or score > best[0]:
                best = (score, metrics, record.get('step', '?'))
    if best is None:
        raise RunError(
            f'work dir {work_dir!r}: no test result and no '
            f'validation record with {mode!r} metrics '
            f'{sorted(METRIC_NAMES[mode].values())}'
        )
    return best[1], f'val step {best[2]}'


def find_work_dirs(patterns: Sequence[str]) -> List[str]:
    """Directories matching the glob patterns, sorted, without repeats."""
    work_dirs = set()
    for pattern in patterns:
        matches = [p for p in glob.glob(pattern) if osp.isdir(p)]
        if not matches:
            warn(f'no work dir matches {pattern!r}')
        work_dirs.update(osp.normpath(p) for p in matches)
    return sorted(work_dirs)


def collect_runs(patterns: Sequence[str], mode: str = 'exact') -> Tuple[List[Run], List[str]]:
    """Read every work dir matching ``patterns``.

    Returns:
        tuple: the runs, and one message per skipped work dir.
    """
    runs, skipped, pretraining = [], [], []
    for work_dir in find_work_dirs(patterns):
        try:
            info = read_run_identity(work_dir)
            metrics, source = read_metrics(work_dir, mode, info['dataset'])
        except PretrainingRun as error:
            pretraining.append(f'{work_dir} ({error.args[1]})')
            continue
        except RunError as error:
            skipped.append(f'{work_dir}: {error}')
            continue
        runs.append(
            Run(
                work_dir=work_dir,
                method=info['method'],
                protocol=info['protocol'],
                decoder=info['decoder'],
                label_fraction=info['label_fraction'],
                seed=info.get('seed'),
                metrics=metrics,
                source=source,
            )
        )
    if pretraining:
        print(
            f'{len(pretraining)} pretraining run(s) not tabled: ' + ', '.join(pretraining),
            file=sys.stderr,
        )
    if skipped:
        warn(
            f'skipped {len(skipped)} work dir(s):\n  '
            + '\n  '.join(skipped[:NUM_EXAMPLES_SHOWN])
            + ('\n  ...' if len(skipped) > NUM_EXAMPLES_SHOWN else '')
        )
    return runs, skipped
