"""Collect SeqCLR results from MMEngine work dirs into the paper's tables.

Usage::

    python tools/analysis_tools/collect_results.py 'work_dirs/*' \\
        --out-dir results/ [--mode exact]

Writes ``<out-dir>/results.md`` (also printed) with

- Table 1: decoder evaluation, word accuracy (Acc) and ED1 per dataset,
  method and decoder;
- Table 2: fine-tuning word accuracy per dataset, label fraction, method
  and decoder;
- Table 3: WER, CER and their average per dataset, method and decoder, for
  fine-tuning on 100% of the labels;
- every run's Acc, ED1, CER and WER per dataset (at small scale, where accuracy is still 0
  everywhere, CER is where methods differ);
- a Runs table saying where every number came from;

and ``<out-dir>/accuracy_vs_label_fraction.png``: fine-tuning accuracy
against label fraction, one panel per dataset and decoder, one line per
method. Table 1 uses the ``decoder_eval`` runs (per cell, the one with the
largest label fraction if there are several); Tables 2 and 3 and the plot
use the ``finetune`` runs. Values are printed in percent with one decimal,
as in the paper; the logs hold fractions in [0, 1]. Rows and columns are
sorted by name; ``--method-order``/``--dataset-order`` put the names they
list first.

**Which run is it.** Every work dir holds the config MMEngine dumped into it when the run
started (``<work_dir>/<config name>.py``; ``tools/test.py`` dumps its own as
``<config name>_test.py`` beside it). The run's identity is read from that config, so work
dirs may have any name:

- protocol: ``decoder_eval`` when the encoder is frozen (``FrozenEncoderRecognizer`` or
  ``frozen_modules``), else ``finetune``;
- decoder: ``ctc`` when the decoder's loss is ``CTCModuleLoss``, else ``attention``;
- label fraction: the ``fraction`` of a ``LabelFractionDataset`` in the training data, else
  1.0;
- dataset: the first of the evaluator's ``dataset_prefixes`` (metric keys that carry a
  dataset prefix override it, see below), else the base name of the test data root;
- method: from the run that ``load_from`` names: the config dumped in that checkpoint's
  folder. A SeqCLR pretraining gives ``seqclr-<mapping>`` (``all``, ``window``, ``frame``,
  ``fixed-window``), a SimCLR one ``simclr`` or ``simclr-contextual``, a downstream run its
  own method; a folder without a dumped config gives the folder's name. Without
  ``load_from`` the method is ``supervised`` (trained encoder) or ``random-init`` (frozen
  randomly initialised encoder). A relative ``load_from`` is looked up from the current
  directory, then from each folder above the work dir.

A ``run_info`` dict in the config overrides any of ``method``, ``protocol``, ``decoder``,
``label_fraction``, ``dataset`` and ``seed``. A config dumped by ``tools/test.py`` alone
(testing into a fresh work dir) takes the identity, seed included, of the tested
checkpoint's run. Pretraining runs (``SeqCLR``/``SimCLR`` models) are listed as not
tabled; work dirs without a dumped config, or whose identity cannot be read, are skipped
and listed in a warning.

**Which numbers.** In each work dir, the timestamp folders
(``YYYYMMDD_HHMMSS``) are read. If any holds a ``tools/test.py`` result
(``<timestamp>/<timestamp>.json``), the latest one gives the numbers
(source ``test``). Otherwise the validation records of
``<timestamp>/vis_data/scalars.json`` (all timestamps, for resumed runs)
are used, and one validation step is chosen: the one with the highest word
accuracy (mean over datasets when several are validated; ties go to the
earliest step, as ``save_best`` keeps the first best checkpoint); when no
accuracy is logged, the highest ED1, then the lowest CER, then the lowest
WER (source ``val``).

**Metric keys.** A key's last ``/`` part is the metric name; a leading
``val/`` or ``test/`` (``log_with_hierarchy``) is dropped; with three or
more parts left, the first part is the dataset (``MultiDatasetsEvaluator``
prefixes, e.g. ``IIIT5K/recog/word_acc``) and overrides the run's dataset.
Metric names per ``--mode``:

- ``exact``: Acc ``word_acc``, ED1 ``word_ed1``, CER ``cer``, WER ``wer``;
- ``ignore_case``: the same names with the suffix ``_ignore_case``;
- ``ignore_case_symbol``: Acc ``word_acc_ignore_case_symbol`` only (MMOCR's
  ``WordMetric`` default mode).

``word_acc*`` are the keys of both ``SeqCLRRecogMetric`` and MMOCR's
``WordMetric``; the others are ``SeqCLRRecogMetric``'s. A number missing
from a run shows as ``-``.

**Seeds.** A run's seed is ``run_info['seed']``, else the config's ``randomness['seed']``
(none when absent or ``None``); each fine-tuning row is run over several seeds, e.g. with
``--cfg-options randomness.seed=S train_dataloader.dataset.seed=S``. Runs that claim the
same table cell (protocol, decoder, method, dataset, label fraction) with different seeds
are aggregated: Tables 1-3 show ``mean ± std`` (sample standard deviation, ddof=1; both in
percent with one decimal, two for Table 3's average) over the runs that have the number,
and a plain value where only one has it; a line under the title says so when some cell has
several runs. Table 3's average is the mean over seeds of each run's (WER + CER) / 2, with
its std. The plot shows the mean with error bars (std) where a point has several runs. The
Every run and Runs tables list each run with its seed (``-`` for none). Runs that claim
the same cell with the same seed (both none included) are not aggregated: the first in
sorted work-dir order is kept and a warning names both.
"""

import argparse
import glob
import json
import math
import os
import os.path as osp
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

PROTOCOLS = ('decoder_eval', 'finetune')
DECODERS = ('ctc', 'attention')
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
RUN_INFO_KEYS = ('method', 'protocol', 'decoder', 'label_fraction', 'dataset', 'seed')
TEST_CONFIG_SUFFIX = '_test.py'
PRETRAINING_METHODS = {'SeqCLR': 'seqclr', 'SimCLR': 'simclr'}
MAPPING_NAMES = {
    'AllToInstance': 'all',
    'WindowToInstance': 'window',
    'FrameToInstance': 'frame',
    'FixedWindowToInstance': 'fixed-window',
}
# How many load_from links are followed (a fine-tuning of a fine-tuning of a pretraining).
MAX_LOAD_FROM_DEPTH = 8
PLOT_FILE = 'accuracy_vs_label_fraction.png'
RESULTS_FILE = 'results.md'
NUM_EXAMPLES_SHOWN = 5
MISSING = '-'


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


class RunError(ValueError):
    """A work dir that cannot be read as a run."""


def warn(message: str) -> None:
    print(f'WARNING: {message}', file=sys.stderr)


class PretrainingRun(RunError):
    """A work dir of a pretraining run: nothing to table."""


def load_dumped_config(path: str) -> Dict[str, Any]:
    """A dumped config as a plain dict (no custom module is imported)."""
    from mmengine.config import Config

    try:
        return Config.fromfile(path, import_custom_modules=False).to_dict()
    except Exception as error:  # noqa: BLE001 - any parse error names the file
        raise RunError(f'{path}: cannot read the dumped config ({error})') from error


def dumped_configs(folder: str) -> Tuple[List[str], List[str]]:
    """The configs dumped at the top of ``folder``, newest first: ``(training, test)``."""
    if not osp.isdir(folder):
        return [], []
    paths = sorted(
        (
            osp.join(folder, name)
            for name in os.listdir(folder)
            if name.endswith('.py') and osp.isfile(osp.join(folder, name))
        ),
        key=lambda path: (-osp.getmtime(path), path),
    )
    test = [path for path in paths if path.endswith(TEST_CONFIG_SUFFIX)]
    return [path for path in paths if path not in test], test


def resolve_path(path: str, work_dir: str) -> Optional[str]:
    """``path`` made absolute: a relative one is looked up from the current directory, then
    from every folder above ``work_dir``. An existing file wins; else a folder holding a
    dumped config will do (the checkpoint may have been removed, its run's config not)."""
    candidates = [path]
    if not osp.isabs(path):
        candidates += [str(parent / path) for parent in Path(osp.abspath(work_dir)).parents]
    for candidate in candidates:
        if osp.isfile(candidate):
            return osp.abspath(candidate)
    for candidate in candidates:
        if osp.dirname(candidate) and dumped_configs(osp.dirname(candidate))[0]:
            return osp.abspath(candidate)
    return None


def find_type(config: Any, type_name: str) -> Optional[Dict[str, Any]]:
    """The first dict (depth first) with ``type == type_name`` inside ``config``."""
    if isinstance(config, dict):
        if config.get('type') == type_name:
            return config
        values = config.values()
    elif isinstance(config, (list, tuple)):
        values = config
    else:
        return None
    for value in values:
        found = find_type(value, type_name)
        if found is not None:
            return found
    return None


def pretraining_method(model: Dict[str, Any]) -> str:
    """``seqclr-<mapping>``, ``simclr`` or ``simclr-contextual`` of a pretraining model."""
    method = PRETRAINING_METHODS[model['type']]
    if method == 'seqclr':
        mapper = (model.get('instance_mapper') or {}).get('type', 'WindowToInstance')
        return f'{method}-{MAPPING_NAMES.get(mapper, mapper)}'
    return f'{method}-contextual' if model.get('representation') == 'contextual' else method


def config_dataset(config: Dict[str, Any]) -> Optional[str]:
    """The first dataset prefix of the evaluator, else the test data root's name."""
    for key in ('test_evaluator', 'val_evaluator'):
        evaluator = config.get(key)
        if isinstance(evaluator, dict) and evaluator.get('dataset_prefixes'):
            return str(evaluator['dataset_prefixes'][0])
    for key in ('test_dataloader', 'val_dataloader', 'train_dataloader'):
        data_root = find_key(config.get(key), 'data_root')
        if data_root:
            return osp.basename(osp.normpath(data_root))
    return None


def find_key(config: Any, key: str) -> Any:
    """The first value of ``key`` (depth first) inside ``config``."""
    if isinstance(config, dict):
        if config.get(key):
            return config[key]
        values = config.values()
    elif isinstance(config, (list, tuple)):
        values = config
    else:
        return None
    for value in values:
        found = find_key(value, key)
        if found:
            return found
    return None


def checked_run_info(run_info: Any, where: str) -> Dict[str, Any]:
    """The valid fields of a config's ``run_info`` dict; bad ones raise naming the field."""
    if not isinstance(run_info, dict):
        raise RunError(f'{where}: run_info must be a dict, got {run_info!r}')
    unknown = set(run_info) - set(RUN_INFO_KEYS)
    if unknown:
        raise RunError(
            f'{where}: run_info has unknown field(s) {sorted(unknown)}; '
            f'known: {list(RUN_INFO_KEYS)}'
        )
    for key in ('method', 'dataset'):
        if key in run_info and (not isinstance(run_info[key], str) or not run_info[key]):
            raise RunError(
                f'{where}: run_info field "{key}" must be a non-empty string, got {run_info[key]!r}'
            )
    if 'protocol' in run_info and run_info['protocol'] not in PROTOCOLS:
        raise RunError(
            f'{where}: run_info field "protocol" must be one of {PROTOCOLS}, '
            f'got {run_info["protocol"]!r}'
        )
    if 'decoder' in run_info and run_info['decoder'] not in DECODERS:
        raise RunError(
            f'{where}: run_info field "decoder" must be one of {DECODERS}, '
            f'got {run_info["decoder"]!r}'
        )
    fraction = run_info.get('label_fraction', 1.0)
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, (int, float))
        or not 0 < fraction <= 1
    ):
        raise RunError(
            f'{where}: run_info field "label_fraction" must be a number in (0, 1], got {fraction!r}'
        )
    if 'seed' in run_info and not is_int(run_info['seed']):
        raise RunError(f'{where}: run_info field "seed" must be an int, got {run_info["seed"]!r}')
    return dict(run_info)


def is_int(value: Any) -> bool:
    """Whether ``value`` is an int (a bool is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def config_seed(config: Dict[str, Any], where: str) -> Optional[int]:
    """The config's ``randomness['seed']``; None when absent or None."""
    randomness = config.get('randomness')
    seed = randomness.get('seed') if isinstance(randomness, dict) else None
    if seed is not None and not is_int(seed):
        raise RunError(f'{where}: randomness.seed must be an int or None, got {seed!r}')
    return seed


def method_from_load_from(load_from: str, work_dir: str, where: str, depth: int) -> str:
    """The method of the run whose checkpoint ``load_from`` names."""
    path = resolve_path(load_from, work_dir)
    folder = osp.dirname(path) if path else osp.dirname(load_from)
    if path is None or not dumped_configs(folder)[0]:
        return osp.basename(osp.normpath(folder)) if folder else osp.basename(load_from)
    if osp.abspath(folder) == osp.abspath(work_dir):
        raise RunError(
            f'{where}: load_from is its own checkpoint {load_from!r} '
            '(a config that an older tools/test.py overwrote); add '
            'run_info=dict(method=...) to it'
        )
    try:
        return read_run_identity(folder, depth + 1)['method']
    except PretrainingRun as pretraining:
        return pretraining.args[1]


def read_run_identity(work_dir: str, depth: int = 0) -> Dict[str, Any]:
    """Method, protocol, decoder, label fraction, dataset and seed of a work dir, from the
    config dumped in it (see the module docstring).

    Raises:
        PretrainingRun: If the work dir holds a pretraining run (args: message, method).
        RunError: If no dumped config is found or a field cannot be read.
    """
    if depth > MAX_LOAD_FROM_DEPTH:
        raise RunError(f'{work_dir}: more than {MAX_LOAD_FROM_DEPTH} load_from links')
    training, test = dumped_configs(work_dir)
    if not training and not test:
        raise RunError(
            f'work dir {work_dir!r} holds no config dumped by MMEngine '
            '(<work_dir>/<config name>.py)'
        )
    where = (training or test)[0]
    config = load_dumped_config(where)
    model = config.get('model') or {}
    if model.get('type') in PRETRAINING_METHODS:
        raise PretrainingRun(
            f'{work_dir}: pretraining run ({model["type"]})', pretraining_method(model)
        )
    run_info = checked_run_info(config.get('run_info', {}), where)
    if not training:
        # Only tools/test.py wrote here: the run is the tested checkpoint's.
        checkpoint = resolve_path(str(config.get('load_from') or ''), work_dir)
        if (
            checkpoint is not None
            and dumped_configs(osp.dirname(checkpoint))[0]
            and osp.dirname(checkpoint) != osp.abspath(work_dir)
        ):
            identity = read_run_identity(osp.dirname(checkpoint), depth + 1)
            identity.update(run_info)
            return identity
    decoder = model.get('decoder') or {}
    if not decoder and 'decoder' not in run_info:
        raise RunError(f'{where}: model has no decoder; is it a recognizer?')
    frozen = model.get('type') == 'FrozenEncoderRecognizer' or bool(model.get('frozen_modules'))
    fraction_dataset = find_type(config.get('train_dataloader'), 'LabelFractionDataset')
    identity = dict(
        protocol='decoder_eval' if frozen else 'finetune',
        decoder='ctc'
        if (decoder.get('module_loss') or {}).get('type') == 'CTCModuleLoss'
        else 'attention',
        label_fraction=float(fraction_dataset['fraction']) if fraction_dataset else 1.0,
        dataset=config_dataset(config),
        seed=config_seed(config, where),
    )
    if 'method' not in run_info:
        load_from = config.get('load_from')
        if load_from and not training:
            raise RunError(
                f'{where}: the tested checkpoint {load_from!r} has no training '
                'config dumped beside it; add run_info=dict(method=...)'
            )
        if load_from:
            identity['method'] = method_from_load_from(str(load_from), work_dir, where, depth)
        else:
            identity['method'] = 'random-init' if frozen else 'supervised'
    identity.update(run_info)
    return identity


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


def ordered(names: Iterable[str], preferred: Sequence[str]) -> List[str]:
    """``names`` with those in ``preferred`` first (in its order), the rest
    sorted."""
    names = set(names)
    head = [name for name in preferred if name in names]
    return head + sorted(names - set(head))


def fraction_label(fraction: float) -> str:
    return f'{fraction * 100:g}%'


def percent(value: Optional[float]) -> str:
    return MISSING if value is None else f'{value * 100:.1f}'


def seed_label(seed: Optional[int]) -> str:
    return MISSING if seed is None else str(seed)


class Spread(NamedTuple):
    """A number over the runs (one per seed) of a cell that have it."""

    mean: float
    std: Optional[float]  # sample standard deviation (ddof=1); None for one run
    n: int


def spread_of(values: Sequence[float]) -> Optional[Spread]:
    """Mean, sample standard deviation and count of ``values``; None when empty."""
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return Spread(mean, None, 1)
    return Spread(mean, math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1)), n)


def percent_spread(spread: Optional[Spread], decimals: int = 1) -> str:
    """``mean ± std`` in percent when several runs give the number, else the plain value."""
    if spread is None:
        return MISSING
    if spread.std is None:
        return f'{spread.mean * 100:.{decimals}f}'
    return f'{spread.mean * 100:.{decimals}f} ± {spread.std * 100:.{decimals}f}'


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ['| ' + ' | '.join(header) + ' |', '| ' + ' | '.join('---' for _ in header) + ' |']
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    return '\n'.join(lines)


class ResultGrid:
    """Runs indexed by (protocol, decoder, method, dataset, fraction).

    A cell holds one run per seed: runs of the same key with different seeds
    are aggregated. When two runs give the same key and the same seed (both
    None included), the first in sorted work-dir order is kept and a warning
    names both.
    """

    def __init__(self, runs: Sequence[Run]) -> None:
        self.runs = sorted(runs, key=lambda run: run.work_dir)
        self.cells: Dict[Tuple, List[Tuple[Run, Dict[str, float]]]] = {}
        for run in self.runs:
            for dataset, metrics in run.metrics.items():
                key = (run.protocol, run.decoder, run.method, dataset, run.label_fraction)
                cell = self.cells.setdefault(key, [])
                kept = next((other for other, _ in cell if other.seed == run.seed), None)
                if kept is not None:
                    warn(
                        f'{kept.work_dir} and {run.work_dir} both give {key} with seed '
                        f'{run.seed}; keeping the first'
                    )
                    continue
                cell.append((run, metrics))

    def cell_metrics(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float
    ) -> List[Dict[str, float]]:
        """The metrics of each run (one per seed) of a cell; empty when none."""
        cell = self.cells.get((protocol, decoder, method, dataset, fraction), [])
        return [metrics for _, metrics in cell]

    def spread(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float, column: str
    ) -> Optional[Spread]:
        """(mean, std, n) of a metric over the cell's runs that have it; None when none."""
        cell = self.cell_metrics(protocol, decoder, method, dataset, fraction)
        return spread_of([metrics[column] for metrics in cell if column in metrics])

    def get(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float, column: str
    ) -> Optional[float]:
        """A value (the mean over seeds), or None when no run or no such metric."""
        spread = self.spread(protocol, decoder, method, dataset, fraction, column)
        return None if spread is None else spread.mean

    def seed_counts(self) -> List[int]:
        """The numbers of runs of the cells that have several, sorted, without repeats."""
        return sorted({len(cell) for cell in self.cells.values() if len(cell) > 1})

    def keys(self, protocol: str) -> List[Tuple]:
        """The keys of one protocol."""
        return [key for key in self.cells if key[0] == protocol]

    def decoders(self) -> List[str]:
        """The decoders present, in ``DECODERS`` order."""
        present = {run.decoder for run in self.runs}
        return [decoder for decoder in DECODERS if decoder in present]


def format_results(
    grid: ResultGrid,
    mode: str = 'exact',
    method_order: Sequence[str] = (),
    dataset_order: Sequence[str] = (),
) -> str:
    """The Markdown report: Tables 1-3 and the Runs table.

    Args:
        grid (ResultGrid): The collected runs.
        mode (str): The case mode the numbers were read in (for the text).
        method_order (Sequence[str]): Methods to list first, in order; the
            others follow sorted.
        dataset_order (Sequence[str]): Datasets to list first, in order.

    Returns:
        str: The report.
    """
    sections = [
        '# SeqCLR results',
        '',
        'Values in %, from tools/test.py results where a work dir has them,',
        f'else from the best validation step (see Runs). Case mode: {mode}.',
    ]
    counts = grid.seed_counts()
    if counts:
        seeds = str(counts[0]) if len(counts) == 1 else f'{counts[0]}-{counts[-1]}'
        sections.append(
            f'Tables 1-3: mean ± std over {seeds} seeds where a cell has several runs (sample std).'
        )
    sections.append('')
    sections += ['## Table 1: decoder evaluation (Acc and ED1)', '']
    sections.append(
        decoder_eval_table(grid, method_order, dataset_order) or '_No decoder_eval runs._'
    )
    sections += ['', '## Table 2: fine-tuning accuracy per label fraction', '']
    sections.append(finetune_table(grid, method_order, dataset_order) or '_No finetune runs._')
    sections += ['', '## Table 3: WER and CER (fine-tuning on 100% of the labels)', '']
    sections.append(
        error_rate_table(grid, method_order, dataset_order)
        or '_No finetune runs with label fraction 100%._'
    )
    sections += [
        '',
        '## Every run: Acc, ED1, CER and WER',
        '',
        all_metrics_table(grid, dataset_order),
    ]
    sections += ['', '## Runs', '', runs_table(grid), '']
    return '\n'.join(sections)


def methods_of(keys: Iterable[Tuple], method_order: Sequence[str], **fixed: str) -> List[str]:
    """Methods among ``keys`` with the given decoder and/or dataset."""
    positions = dict(decoder=1, dataset=3)
    return ordered(
        {
            key[2]
            for key in keys
            if all(key[positions[name]] == value for name, value in fixed.items())
        },
        method_order,
    )


def decoder_eval_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 1: Acc and ED1 per dataset; rows are decoder x method.

    A cell uses the decoder_eval run with the largest label fraction
    (normally the only one, 100%).
    """
    keys = grid.keys('decoder_eval')
    if not keys:
        return ''
    datasets = ordered({key[3] for key in keys}, dataset_order)
    header = ['Method', 'Decoder']
    for dataset in datasets:
        header += [f'{dataset} Acc', f'{dataset} ED1']
    rows = []
    for decoder in grid.decoders():
        for method in methods_of(keys, method_order, decoder=decoder):
            row = [method, decoder]
            for dataset in datasets:
                fractions = [key[4] for key in keys if key[1:4] == (decoder, method, dataset)]
                fraction = max(fractions, default=1.0)
                row += [
                    percent_spread(
                        grid.spread('decoder_eval', decoder, method, dataset, fraction, column)
                    )
                    for column in ('acc', 'ed1')
                ]
            rows.append(row)
    return markdown_table(header, rows)


def finetune_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 2: accuracy per dataset and label fraction; rows are
    decoder x method."""
    keys = grid.keys('finetune')
    if not keys:
        return ''
    columns = [
        (dataset, fraction)
        for dataset in ordered({key[3] for key in keys}, dataset_order)
        for fraction in sorted({key[4] for key in keys if key[3] == dataset})
    ]
    header = ['Method', 'Decoder'] + [
        f'{dataset} {fraction_label(fraction)}' for dataset, fraction in columns
    ]
    rows = []
    for decoder in grid.decoders():
        for method in methods_of(keys, method_order, decoder=decoder):
            rows.append(
                [method, decoder]
                + [
                    percent_spread(
                        grid.spread('finetune', decoder, method, dataset, fraction, 'acc')
                    )
                    for dataset, fraction in columns
                ]
            )
    return markdown_table(header, rows)


def error_rate_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 3: WER, CER and their mean for fine-tuning on all labels; rows
    are dataset x decoder x method. Over seeds, the average is the mean of each
    run's (WER + CER) / 2."""
    keys = [key for key in grid.keys('finetune') if key[4] == 1.0]
    if not keys:
        return ''
    rows = []
    for dataset in ordered({key[3] for key in keys}, dataset_order):
        for decoder in grid.decoders():
            for method in methods_of(keys, method_order, decoder=decoder, dataset=dataset):
                wer, cer = (
                    grid.spread('finetune', decoder, method, dataset, 1.0, column)
                    for column in ('wer', 'cer')
                )
                average = spread_of(
                    [
                        (metrics['wer'] + metrics['cer']) / 2
                        for metrics in grid.cell_metrics('finetune', decoder, method, dataset, 1.0)
                        if 'wer' in metrics and 'cer' in metrics
                    ]
                )
                rows.append(
                    [
                        dataset,
                        method,
                        decoder,
                        percent_spread(wer),
                        percent_spread(cer),
                        percent_spread(average, decimals=2),
                    ]
                )
    return markdown_table(['Dataset', 'Method', 'Decoder', 'WER', 'CER', 'Average'], rows)


def all_metrics_table(grid: ResultGrid, dataset_order: Sequence[str]) -> str:
    """Every run's four numbers per dataset; at small scale, where word accuracy is
    still 0 everywhere, CER is where methods differ."""
    rows = []
    for run in grid.runs:
        for dataset in ordered(set(run.metrics), dataset_order):
            values = run.metrics[dataset]
            rows.append(
                [
                    run.method,
                    run.protocol,
                    run.decoder,
                    fraction_label(run.label_fraction),
                    dataset,
                    seed_label(run.seed),
                ]
                + [percent(values.get(column)) for column in ('acc', 'ed1', 'cer', 'wer')]
            )
    return markdown_table(
        [
            'Method',
            'Protocol',
            'Decoder',
            'Label fraction',
            'Dataset',
            'Seed',
            'Acc',
            'ED1',
            'CER',
            'WER',
        ],
        rows,
    )


def runs_table(grid: ResultGrid) -> str:
    """Where every number came from: one row per run."""
    rows = [
        [
            osp.basename(run.work_dir),
            run.method,
            run.protocol,
            run.decoder,
            fraction_label(run.label_fraction),
            seed_label(run.seed),
            ', '.join(sorted(run.metrics)),
            run.source,
        ]
        for run in grid.runs
    ]
    return markdown_table(
        [
            'Work dir',
            'Method',
            'Protocol',
            'Decoder',
            'Label fraction',
            'Seed',
            'Datasets',
            'Source',
        ],
        rows,
    )


def plot_accuracy_vs_fraction(
    grid: ResultGrid,
    out_file: str,
    method_order: Sequence[str] = (),
    dataset_order: Sequence[str] = (),
) -> bool:
    """Plot fine-tuning accuracy against label fraction; one line per method.

    One panel per (dataset, decoder) with fine-tuning runs; the x axis is
    logarithmic, with a tick at each label fraction present. A point is the
    mean over seeds, with an error bar (sample std) where it has several runs.

    Args:
        grid (ResultGrid): The collected runs.
        out_file (str): The PNG file to write.
        method_order (Sequence[str]): Methods to list first in legends.
        dataset_order (Sequence[str]): Datasets to show first.

    Returns:
        bool: Whether a plot was written (False without fine-tuning runs).
    """
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    keys = [key for key in grid.keys('finetune') if grid.get(*key, column='acc') is not None]
    if not keys:
        return False
    panels = [
        (dataset, decoder)
        for dataset in ordered({key[3] for key in keys}, dataset_order)
        for decoder in grid.decoders()
        if any(key[3] == dataset and key[1] == decoder for key in keys)
    ]
    # One colour per method across panels.
    colours = plt.rcParams['axes.prop_cycle'].by_key()['color']
    colour_of = {
        method: colours[i % len(colours)] for i, method in enumerate(methods_of(keys, method_order))
    }
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
    for ax, (dataset, decoder) in zip(axes[0], panels):
        panel_keys = [key for key in keys if key[3] == dataset and key[1] == decoder]
        for method in methods_of(panel_keys, method_order):
            points = sorted(
                (key[4], grid.spread(*key, column='acc')) for key in panel_keys if key[2] == method
            )
            errors = [100 * (acc.std or 0.0) for _, acc in points]
            ax.errorbar(
                [100 * fraction for fraction, _ in points],
                [100 * acc.mean for _, acc in points],
                yerr=errors if any(errors) else None,
                capsize=3,
                marker='o',
                color=colour_of[method],
                label=method,
            )
        fractions = sorted({key[4] for key in panel_keys})
        ax.set_xscale('log')
        ax.set_xticks([100 * fraction for fraction in fractions])
        ax.set_xticklabels([fraction_label(f) for f in fractions])
        ax.minorticks_off()
        ax.set_title(f'{dataset} ({decoder} decoder)')
        ax.set_xlabel('Label fraction')
        ax.set_ylabel('Word accuracy (%)')
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle('Fine-tuning accuracy vs. label fraction')
    fig.tight_layout()
    fig.savefig(out_file, dpi=100)
    plt.close(fig)
    return True


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Collect SeqCLR results from work dirs into Markdown tables and a plot.'
    )
    parser.add_argument(
        'work_dirs',
        nargs='+',
        help='work dirs or glob patterns (quote them to let this tool expand them)',
    )
    parser.add_argument('--out-dir', default='.', help='where results.md and the plot go')
    parser.add_argument(
        '--mode', default='exact', choices=MODES, help='which case variant of the metrics to report'
    )
    parser.add_argument(
        '--method-order', default='', help='comma-separated methods to list first, in this order'
    )
    parser.add_argument(
        '--dataset-order', default='', help='comma-separated datasets to list first, in this order'
    )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    method_order = [m for m in args.method_order.split(',') if m]
    dataset_order = [d for d in args.dataset_order.split(',') if d]
    runs, _ = collect_runs(args.work_dirs, args.mode)
    if not runs:
        print('ERROR: no readable run among the given work dirs', file=sys.stderr)
        return 1
    grid = ResultGrid(runs)
    report = format_results(grid, args.mode, method_order, dataset_order)
    print(report)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, RESULTS_FILE), 'w', encoding='utf-8') as f:
        f.write(report)
    plot_file = osp.join(args.out_dir, PLOT_FILE)
    if plot_accuracy_vs_fraction(grid, plot_file, method_order, dataset_order):
        print(f'Plot written to {plot_file}')
    else:
        print('No fine-tuning runs: no plot written')
    return 0


if __name__ == '__main__':
    sys.exit(main())
