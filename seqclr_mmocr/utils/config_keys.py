"""Stop a run before training when a config key would be silently ignored.

Two rules, both checked by ``tools/train.py`` before the runner is built:

1. A ``--cfg-options`` key must start with a top-level key that the runner reads
   (:data:`RUNNER_KEYS`). Other top-level names of a config are variables of the config file
   (``max_iters = 1200``, ``own_data_root``): they were substituted into the dicts that use
   them when the file was read, so setting them afterwards changes nothing.
2. Every argument of a hook in ``default_hooks`` and ``custom_hooks`` must be one its
   constructor takes. MMEngine's ``CheckpointHook`` (and so ``AtomicCheckpointHook``) takes
   ``**kwargs`` and hands them to ``runner.save_checkpoint`` at the first save, which takes
   none besides those the hook passes itself: a misspelt option would only fail then.
"""

import inspect
from typing import Dict, Iterator, List, Optional, Set, Tuple

from mmengine.config import Config
from mmengine.hooks import CheckpointHook

# The top-level keys that MMEngine's ``Runner`` (``from_cfg``, ``wrap_model``, ``train``,
# ``resume``), ``Config`` and ``tools/train.py`` read.
RUNNER_KEYS = frozenset(
    {
        'activation_checkpointing',
        'auto_scale_lr',
        'compile',
        'custom_hooks',
        'custom_imports',
        'data_preprocessor',
        'default_hooks',
        'default_scope',
        'efficient_conv_bn_eval',
        'env_cfg',
        'experiment_name',
        'find_unused_parameters',
        'gpu_ids',
        'launcher',
        'load_from',
        'log_level',
        'log_processor',
        'model',
        'model_wrapper_cfg',
        'optim_wrapper',
        'param_scheduler',
        'randomness',
        'resume',
        'runner_type',
        'sync_bn',
        'test_cfg',
        'test_dataloader',
        'test_evaluator',
        'train_cfg',
        'train_dataloader',
        'val_cfg',
        'val_dataloader',
        'val_evaluator',
        'visualizer',
        'work_dir',
    }
)

# What CheckpointHook passes to ``runner.save_checkpoint`` itself; its ``**kwargs`` come on top.
_PASSED_BY_CHECKPOINT_HOOK = frozenset(
    {
        'self',
        'out_dir',
        'filename',
        'file_client_args',
        'save_optimizer',
        'save_param_scheduler',
        'meta',
        'by_epoch',
        'backend_args',
    }
)
# Keys of a hook config that MMEngine's ``Runner.register_hook`` and registry read, not the
# hook (``_scope_`` is set by configs inherited across packages, ``mmocr::...``).
_REGISTRATION_KEYS = frozenset({'type', 'priority', '_scope_'})


class UnknownConfigKeyError(KeyError):
    """A config key that no part of the run reads."""

    def __str__(self) -> str:  # KeyError would print the message quoted
        return str(self.args[0])


def _paths_with_value(node, value, prefix: str = '') -> Iterator[str]:
    """Dotted paths of the entries of ``node`` equal to ``value``."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, (list, tuple))
        else ()
    )
    for key, child in items:
        path = f'{prefix}{key}'
        if isinstance(child, (dict, list, tuple)):
            yield from _paths_with_value(child, value, path + '.')
        elif type(child) is type(value) and child == value:
            yield path


def check_cfg_option_keys(cfg: Config, options: Optional[Dict[str, object]]) -> None:
    """Refuse ``--cfg-options`` whose top-level key the runner does not read (rule 1).

    Args:
        cfg (Config): The config as read from its file, before the options are merged.
        options (dict, optional): The parsed ``--cfg-options``.

    Raises:
        UnknownConfigKeyError: naming the option and, for a variable of the config file,
            the keys that hold its value (where to set it instead).
    """
    for option in options or {}:
        top = option.split('.')[0]
        if top in RUNNER_KEYS:
            continue
        message = f'--cfg-options {option}: no part of the run reads the top-level key {top!r}'
        if top in cfg and not isinstance(cfg[top], dict):
            used = sorted(
                path
                for key in RUNNER_KEYS
                if key in cfg
                for path in _paths_with_value(cfg[key], cfg[top], key + '.')
            )
            message += (
                '. It is a variable of the config file, substituted into the settings that '
                'use it when the file was read; set those instead'
                + (f' (holding its value {cfg[top]!r}: {", ".join(used[:8])})' if used else '')
            )
        elif top in cfg:
            message += (
                '. It is a dict of the config file that other settings were built from when '
                'the file was read; set the keys that use it instead'
            )
        else:
            message += '; check its spelling'
        raise UnknownConfigKeyError(message)


def hook_arguments(hook_type) -> Optional[Set[str]]:
    """The arguments a hook config may give, or None where they cannot be known (a
    constructor that takes ``**kwargs`` and hands them on, as ``EMAHook`` does)."""
    init = hook_type.__init__
    if init is object.__init__:
        return set(_REGISTRATION_KEYS)
    parameters = inspect.signature(init).parameters.values()
    named = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)} - {
        'self'
    }
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        if not issubclass(hook_type, CheckpointHook):
            return None
        from mmengine.runner import Runner

        save_arguments = set(inspect.signature(Runner.save_checkpoint).parameters)
        named |= save_arguments - _PASSED_BY_CHECKPOINT_HOOK
    return named | _REGISTRATION_KEYS


def _hook_configs(cfg: Config) -> Iterator[Tuple[str, dict]]:
    for name, hook in (cfg.get('default_hooks') or {}).items():
        if isinstance(hook, dict):
            yield f'default_hooks.{name}', hook
    for index, hook in enumerate(cfg.get('custom_hooks') or []):
        if isinstance(hook, dict):
            yield f'custom_hooks.{index}', hook


def check_hook_arguments(cfg: Config) -> None:
    """Refuse a hook config with an argument its hook does not take (rule 2).

    Raises:
        UnknownConfigKeyError: naming the key, the hook and the arguments it takes.
    """
    # MMOCR's registry falls back to MMEngine's, and finds 'scope.Name' in any scope.
    from mmocr.registry import HOOKS

    for where, hook in _hook_configs(cfg):
        hook_type = hook.get('type')
        if hook_type is None:
            raise UnknownConfigKeyError(
                f'{where} has no type: {dict(hook)}. Check the hook name (default hooks: '
                f'{", ".join(cfg.get("default_hooks") or {})})'
            )
        if isinstance(hook_type, str):
            hook_type = HOOKS.get(hook_type)
        if not inspect.isclass(hook_type):
            continue  # an unknown type: building the hook names it
        accepted = hook_arguments(hook_type)
        if accepted is None:
            continue
        unknown: List[str] = sorted(set(hook) - accepted)
        if unknown:
            takes = ', '.join(sorted(accepted - _REGISTRATION_KEYS)) or 'none'
            raise UnknownConfigKeyError(
                f'{where}: {hook_type.__name__} takes no argument '
                f'{", ".join(map(repr, unknown))}; the arguments it takes: {takes}. Check '
                'the spelling in the config or in --cfg-options.'
            )
