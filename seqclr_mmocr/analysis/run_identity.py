"""Which run a work dir holds: its identity, read from the config MMEngine dumped into it.

Every work dir holds the config MMEngine dumped into it when the run started
(``<work_dir>/<config name>.py``; ``tools/test.py`` dumps its own as ``<config name>_test.py``
beside it). The run's identity is read from that config, so work dirs may have any name:

- protocol: ``decoder_eval`` when the encoder is frozen (``FrozenEncoderRecognizer`` or
  ``frozen_modules``), else ``finetune``;
- decoder: ``ctc`` when the decoder's loss is ``CTCModuleLoss``, else ``attention``;
- label fraction: the ``fraction`` of a ``LabelFractionDataset`` in the training data, else
  1.0;
- dataset: the first of the evaluator's ``dataset_prefixes`` (metric keys that carry a
  dataset prefix override it, see :mod:`.run_metrics`), else the base name of the test data
  root;
- method: from the run that ``load_from`` names: the config dumped in that checkpoint's
  folder. A SeqCLR pretraining gives ``seqclr-<mapping>`` (``all``, ``window``, ``frame``,
  ``fixed-window``), a SimCLR one ``simclr`` or ``simclr-contextual``, a downstream run its
  own method; a folder without a dumped config gives the folder's name. Without
  ``load_from`` the method is ``supervised`` (trained encoder) or ``random-init`` (frozen
  randomly initialised encoder). A relative ``load_from`` is looked up from the current
  directory, then from each folder above the work dir;
- seed: ``run_info['seed']``, else the config's ``randomness['seed']`` (none when absent or
  ``None``).

A ``run_info`` dict in the config overrides any of ``method``, ``protocol``, ``decoder``,
``label_fraction``, ``dataset`` and ``seed``. A config dumped by ``tools/test.py`` alone
(testing into a fresh work dir) takes the identity, seed included, of the tested
checkpoint's run. Pretraining runs (``SeqCLR``/``SimCLR`` models) raise
:class:`PretrainingRun`; work dirs without a dumped config, or whose identity cannot be
read, raise :class:`RunError`.
"""

import os
import os.path as osp
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

PROTOCOLS = ('decoder_eval', 'finetune')
DECODERS = ('ctc', 'attention')
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


class RunError(ValueError):
    """A work dir that cannot be read as a run."""


class PretrainingRun(RunError):
    """A work dir of a pretraining run: nothing to table."""


def warn(message: str) -> None:
    print(f'WARNING: {message}', file=sys.stderr)


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
