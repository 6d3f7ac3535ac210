"""Check, before training, that a pretrained encoder checkpoint fits the model."""

import logging
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import CheckpointLoader
from mmocr.registry import HOOKS
from torch import nn

from seqclr_mmocr.utils.resume import resumes_from_checkpoint

ENCODER_PREFIXES = ('preprocessor.', 'backbone.', 'encoder.')
MAX_LISTED_KEYS = 50


def normalize_prefixes(prefixes: Sequence[str]) -> Tuple[str, ...]:
    """Prefixes as given, each ending with a dot so that 'encoder' never matches 'encoder2.'."""
    if isinstance(prefixes, str):
        prefixes = (prefixes,)
    if not prefixes:
        raise ValueError('prefixes must name at least one module, e.g. ("backbone.", )')
    return tuple(p if p.endswith('.') else p + '.' for p in prefixes)


def checkpoint_state_dict(checkpoint, filename: str = 'checkpoint') -> Dict[str, object]:
    """The state dict of a loaded checkpoint: its ``state_dict`` entry, or the checkpoint
    itself when it is a raw state dict. DDP's ``module.`` prefix is stripped, as MMEngine's
    ``load_checkpoint`` does."""
    if not isinstance(checkpoint, dict):
        raise RuntimeError(f'{filename} holds a {type(checkpoint).__name__}, not a checkpoint dict')
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state_dict, dict):
        raise RuntimeError(f"{filename}: 'state_dict' is a {type(state_dict).__name__}, not a dict")
    return OrderedDict((re.sub(r'^module\.', '', key), value) for key, value in state_dict.items())


def load_checkpoint_state_dict(filename: str) -> Dict[str, object]:
    """Load a checkpoint on CPU through MMEngine's ``CheckpointLoader`` (weights-only safe
    once :mod:`seqclr_mmocr` is imported) and return its state dict."""
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    return checkpoint_state_dict(checkpoint, filename)


def _shape(value) -> Optional[Tuple[int, ...]]:
    return tuple(value.shape) if isinstance(value, torch.Tensor) else None


def compare_state_dicts(
    model_state: Dict[str, object],
    checkpoint_state: Dict[str, object],
    prefixes: Sequence[str] = ENCODER_PREFIXES,
) -> dict:
    """Compare the keys and shapes of a model and a checkpoint under ``prefixes``.

    Returns:
        dict: ``matched`` (keys with equal shapes), ``matched_per_prefix``,
        ``missing_in_checkpoint``, ``unexpected_in_checkpoint``, ``shape_mismatches``
        (``(key, checkpoint_shape, model_shape)``), and the keys outside the prefixes,
        which are not checked: ``unchecked_model_keys``, ``unchecked_checkpoint_keys``.
    """
    prefixes = normalize_prefixes(prefixes)

    def checked(key: str) -> bool:
        return key.startswith(prefixes)

    matched, mismatches = [], []
    for key in model_state:
        if checked(key) and key in checkpoint_state:
            model_shape = _shape(model_state[key])
            checkpoint_shape = _shape(checkpoint_state[key])
            if model_shape == checkpoint_shape:
                matched.append(key)
            else:
                mismatches.append((key, checkpoint_shape, model_shape))
    return dict(
        prefixes=prefixes,
        matched=matched,
        matched_per_prefix={p: sum(k.startswith(p) for k in matched) for p in prefixes},
        missing_in_checkpoint=[k for k in model_state if checked(k) and k not in checkpoint_state],
        unexpected_in_checkpoint=[
            k for k in checkpoint_state if checked(k) and k not in model_state
        ],
        shape_mismatches=mismatches,
        unchecked_model_keys=[k for k in model_state if not checked(k)],
        unchecked_checkpoint_keys=[k for k in checkpoint_state if not checked(k)],
    )


def _listed(keys: List[str]) -> str:
    shown = ', '.join(keys[:MAX_LISTED_KEYS])
    more = len(keys) - MAX_LISTED_KEYS
    return shown + (f', ... and {more} more' if more > 0 else '')


def _mismatch_lines(mismatches: List[tuple]) -> List[str]:
    lines = [
        f'    {key}: checkpoint {ckpt_shape} vs model {model_shape}'
        for key, ckpt_shape, model_shape in mismatches[:MAX_LISTED_KEYS]
    ]
    if len(mismatches) > MAX_LISTED_KEYS:
        lines.append(f'    ... and {len(mismatches) - MAX_LISTED_KEYS} more')
    return lines


def format_key_report(report: dict, checkpoint: str) -> str:
    """A readable key report of :func:`compare_state_dicts`."""
    per_prefix = ', '.join(f'{p}: {n}' for p, n in report['matched_per_prefix'].items())
    lines = [
        f'Pretrained encoder check of {checkpoint} (prefixes {", ".join(report["prefixes"])}):',
        f'  matched: {len(report["matched"])} ({per_prefix})',
        f'  missing in checkpoint: {len(report["missing_in_checkpoint"])} '
        f'[{_listed(report["missing_in_checkpoint"])}]',
        f'  unexpected in checkpoint: {len(report["unexpected_in_checkpoint"])} '
        f'[{_listed(report["unexpected_in_checkpoint"])}]',
        f'  shape mismatches: {len(report["shape_mismatches"])}',
        *_mismatch_lines(report['shape_mismatches']),
        f'  not checked (outside the prefixes): {len(report["unchecked_model_keys"])} model '
        f'keys, {len(report["unchecked_checkpoint_keys"])} checkpoint keys '
        f'[{_listed(report["unchecked_checkpoint_keys"])}]',
    ]
    return '\n'.join(lines)


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside a DDP (or other MMEngine) wrapper."""
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class PretrainedEncoderCheckHook(Hook):
    """Check that a pretrained encoder checkpoint matches the model before training.

    In ``before_run`` (which MMEngine's runner calls before it initialises the weights and
    loads ``load_from``; only the keys and shapes matter here) it compares the checkpoint's
    state dict with the model's under ``prefixes`` and logs a key report: matched keys per
    prefix, keys missing in the checkpoint, unexpected keys in the checkpoint and shape
    mismatches. Keys outside the prefixes (the decoder, the pretraining ``head.``) are only
    counted. With ``strict=True`` a missing, unexpected or mismatched encoder key raises a
    ``RuntimeError`` — ``load_checkpoint(strict=False)`` would skip it silently and leave
    that part of the encoder randomly initialised.

    With ``check_loaded=True``, ``before_train`` also checks, when training starts from
    iteration 0, that the model's encoder tensors now equal the checkpoint's, which catches
    a config that checks a checkpoint but never loads it (``load_from`` or
    ``init_cfg=dict(type='Pretrained', ...)`` missing).

    A resumed run (``tools/train.py --resume``) skips both checks: its weights come from the
    checkpoint it resumes from, not from the pretrained encoder.

    Args:
        checkpoint (str, optional): Path or URL of the pretrained checkpoint. None (the
            default) checks the run's ``load_from``, and fails if that is not set either.
        prefixes (Sequence[str]): State-dict prefixes of the encoder. Defaults to
            ``('preprocessor.', 'backbone.', 'encoder.')``.
        strict (bool): Raise on any problem instead of logging a warning. Defaults to True.
        check_loaded (bool): Check the loaded values at the start of training.
            Defaults to True.

    Example:
        >>> load_from = 'work_dirs/seqclr/encoder.pth'
        >>> custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
    """

    priority = 'VERY_HIGH'

    def __init__(
        self,
        checkpoint: Optional[str] = None,
        prefixes: Sequence[str] = ENCODER_PREFIXES,
        strict: bool = True,
        check_loaded: bool = True,
    ) -> None:
        self.checkpoint = checkpoint
        self.prefixes = normalize_prefixes(prefixes)
        self.strict = strict
        self.check_loaded = check_loaded
        self._matched_state: Optional[Dict[str, torch.Tensor]] = None

    def _fail(self, message: str) -> None:
        if self.strict:
            raise RuntimeError(message)
        print_log(message, logger='current', level=logging.WARNING)

    def before_run(self, runner) -> None:
        if resumes_from_checkpoint(runner):
            print_log(
                'PretrainedEncoderCheckHook: resuming from a checkpoint, so the pretrained '
                'encoder is neither checked nor loaded.',
                logger='current',
            )
            return
        if self.checkpoint is None:
            self.checkpoint = runner.cfg.get('load_from')
        if not self.checkpoint:
            raise RuntimeError(
                'PretrainedEncoderCheckHook has no checkpoint to check: pass the pretrained '
                'encoder with --cfg-options load_from=PATH (or set checkpoint= on the hook)'
            )
        checkpoint_state = load_checkpoint_state_dict(self.checkpoint)
        model_state = unwrap_model(runner.model).state_dict()
        report = compare_state_dicts(model_state, checkpoint_state, self.prefixes)
        print_log(format_key_report(report, self.checkpoint), logger='current')

        problems = []
        if report['missing_in_checkpoint']:
            problems.append(f'  missing in checkpoint: {_listed(report["missing_in_checkpoint"])}')
        if report['unexpected_in_checkpoint']:
            problems.append(
                '  unexpected in checkpoint (the model has no such parameter): '
                f'{_listed(report["unexpected_in_checkpoint"])}'
            )
        if report['shape_mismatches']:
            problems.append('  shape mismatches:')
            problems += _mismatch_lines(report['shape_mismatches'])
        if not report['matched'] and not problems:
            problems.append('  no key under these prefixes in the model or the checkpoint')
        if problems:
            self._fail(
                f'The pretrained encoder {self.checkpoint} does not match the model '
                f'under the prefixes {", ".join(self.prefixes)}; the encoder configs '
                'of pretraining and of this run must be the same:\n' + '\n'.join(problems)
            )
        self._matched_state = {
            key: checkpoint_state[key]
            for key in report['matched']
            if isinstance(checkpoint_state[key], torch.Tensor)
        }

    def before_train(self, runner) -> None:
        matched_state, self._matched_state = self._matched_state, None
        if not self.check_loaded or not matched_state or runner.iter > 0:
            return
        model_state = unwrap_model(runner.model).state_dict()
        differing = [
            key
            for key, value in matched_state.items()
            if not torch.equal(model_state[key].detach().cpu(), value)
        ]
        if differing:
            self._fail(
                f'{len(differing)} of {len(matched_state)} encoder tensors of the model differ '
                f'from {self.checkpoint} at the start of training (e.g. '
                f'{_listed(differing[:5])}): the checkpoint was checked but not loaded. Set '
                f"load_from='{self.checkpoint}' or the encoder's init_cfg=dict("
                "type='Pretrained', ...)."
            )
        else:
            print_log(
                f'All {len(matched_state)} encoder tensors equal those of '
                f'{self.checkpoint} at the start of training.',
                logger='current',
            )
