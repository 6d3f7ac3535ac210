"""Dump the resolved dict of every experiment config, or compare two dumps key by key.

An experiment config is any ``.py`` under ``configs/`` that is not under a ``_base_`` folder.
Each one is loaded with ``mmengine.Config.fromfile`` (bases, ``mmocr::`` files and
``{{ fileDirname }}`` resolved) and written as sorted JSON to ``OUT_DIR/<path>.json``, with
tuples as lists. Environment variables named by configs (``$OWN_DATA`` ...) take their
defaults unless set.

Use it before and after a config refactoring::

    python tools/analysis_tools/dump_resolved_configs.py dump /tmp/configs_before
    # ... restructure configs/ ...
    python tools/analysis_tools/dump_resolved_configs.py dump /tmp/configs_after
    python tools/analysis_tools/dump_resolved_configs.py compare /tmp/configs_before \\
        /tmp/configs_after

``compare`` prints every dotted key whose value differs, is missing or is new, per config, and
exits 1 if anything differs. Keys under a top-level name that the runner does not read (helper
variables of the config files, e.g. ``encoder_backbone``) are marked ``[helper]``.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

REPO_ROOT = Path(__file__).resolve().parents[2]
MISSING = '<missing>'
# Top-level config keys that MMEngine's Runner, MMOCR's tools or this project's tools read;
# the other top-level names are variables of the config files.
RUNNER_KEYS = {
    'auto_scale_lr',
    'custom_hooks',
    'custom_imports',
    'default_hooks',
    'default_scope',
    'env_cfg',
    'launcher',
    'load_from',
    'log_level',
    'log_processor',
    'model',
    'optim_wrapper',
    'param_scheduler',
    'randomness',
    'resume',
    'test_cfg',
    'test_dataloader',
    'test_evaluator',
    'train_cfg',
    'train_dataloader',
    'tta_model',
    'tta_pipeline',
    'val_cfg',
    'val_dataloader',
    'val_evaluator',
    'vis_backends',
    'visualizer',
    'work_dir',
}


def experiment_configs(config_dir: Path) -> List[Path]:
    """Every ``.py`` under ``config_dir`` that is not under a ``_base_`` folder, sorted."""
    return sorted(p for p in config_dir.rglob('*.py') if '_base_' not in p.parts)


def resolved_dict(path: Path) -> Dict[str, Any]:
    """The config at ``path`` as a plain dict (tuples become lists, as in JSON)."""
    from mmengine.config import Config

    cfg = Config.fromfile(str(path))
    return json.loads(json.dumps(cfg.to_dict(), default=repr))


def dump(config_dir: Path, out_dir: Path) -> int:
    """Write ``out_dir/<relative path>.json`` for every experiment config; return the count."""
    configs = experiment_configs(config_dir)
    for path in configs:
        target = out_dir / (str(path.relative_to(config_dir)) + '.json')
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(resolved_dict(path), indent=1, sort_keys=True) + '\n')
    return len(configs)


def flatten(value: Any, prefix: str = '') -> Iterator[Tuple[str, Any]]:
    """Dotted keys and leaf values; list items are keyed by index (``a.0.b``)."""
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from flatten(value[key], f'{prefix}.{key}' if prefix else str(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from flatten(item, f'{prefix}.{index}' if prefix else str(index))
    else:
        yield prefix, value


def compare(before_dir: Path, after_dir: Path) -> List[str]:
    """One line per differing key (``config: key: before -> after``) and per lone config."""
    lines = []
    before = {str(p.relative_to(before_dir)) for p in before_dir.rglob('*.json')}
    after = {str(p.relative_to(after_dir)) for p in after_dir.rglob('*.json')}
    for name in sorted(before ^ after):
        lines.append(f'{name}: only in {"before" if name in before else "after"}')
    for name in sorted(before & after):
        old = dict(flatten(json.loads((before_dir / name).read_text())))
        new = dict(flatten(json.loads((after_dir / name).read_text())))
        for key in sorted(old.keys() | new.keys()):
            if old.get(key, MISSING) != new.get(key, MISSING):
                helper = '' if key.split('.')[0] in RUNNER_KEYS else '[helper] '
                lines.append(
                    f'{name}: {helper}{key}: {old.get(key, MISSING)!r} -> {new.get(key, MISSING)!r}'
                )
    return lines


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    dump_parser = sub.add_parser('dump', help='dump every experiment config as JSON')
    dump_parser.add_argument('out_dir', type=Path)
    dump_parser.add_argument(
        '--config-dir', type=Path, default=REPO_ROOT / 'configs', help='default: configs/'
    )
    compare_parser = sub.add_parser('compare', help='compare two dumps key by key')
    compare_parser.add_argument('before_dir', type=Path)
    compare_parser.add_argument('after_dir', type=Path)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.command == 'dump':
        # Config files name the plug-in in custom_imports: import it from this checkout.
        config_dir, out_dir = args.config_dir.resolve(), args.out_dir.resolve()
        sys.path.insert(0, str(REPO_ROOT))
        os.chdir(REPO_ROOT)
        count = dump(config_dir, out_dir)
        print(f'dumped {count} configs to {out_dir}')
        return 0
    lines = compare(args.before_dir, args.after_dir)
    print('\n'.join(lines) if lines else 'no differences')
    return 1 if lines else 0


if __name__ == '__main__':
    sys.exit(main())
