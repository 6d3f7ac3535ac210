"""Safe checkpoint loading for MMEngine 0.10.x on torch>=2.6.

torch>=2.6 unpickles checkpoints with ``weights_only=True`` by default, and MMEngine 0.10.7 then
fails on its own checkpoints (``Unsupported global: mmengine.logging.history_buffer.HistoryBuffer``,
mmengine issue 1655). Instead of switching the safety off, this module

* allows exactly the globals that MMEngine's own checkpoints carry
  (:data:`MMENGINE_CHECKPOINT_GLOBALS`) through ``torch.serialization.add_safe_globals``, and
* replaces MMEngine's local-file checkpoint loader (the ``''`` scheme of
  :class:`mmengine.runner.CheckpointLoader`, used by ``load_from``, ``--resume`` and
  ``init_cfg=dict(type='Pretrained')``) by one that keeps ``weights_only=True`` and turns torch's
  refusal into an :class:`UnsafeCheckpointError` naming the file and the offending global.

Importing :mod:`seqclr_mmocr` installs both, so every config with
``custom_imports=dict(imports=['seqclr_mmocr'])`` gets them.
"""
import os.path as osp
import pickle
from typing import Any, Callable, List, Optional

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds a pickled object outside the allowed globals."""


def _numpy_globals() -> List[Any]:
    """The numpy callables needed to rebuild arrays and scalars that MMEngine stores
    (``HistoryBuffer`` keeps its values as ndarrays; the message hub may hold numpy scalars)."""
    from numpy.core.multiarray import _reconstruct, scalar
    allowed: List[Any] = [_reconstruct, scalar, np.ndarray, np.dtype]
    # Each dtype pickles through its own class (numpy.dtype[float64], ...).
    allowed += sorted({type(np.dtype(code)) for code in np.typecodes['All']}, key=str)
    return allowed


# Registered by every HistoryBuffer's __init__, so not yet present in a fresh process.
_DEFAULT_STATISTICS = {'min', 'max', 'current', 'mean'}


def history_buffer_getattr(owner: Any, name: str) -> Any:
    """A ``getattr`` restricted to ``HistoryBuffer``'s statistics methods.

    A ``HistoryBuffer`` pickles its statistics methods (``min``, ``max``, ``mean``,
    ``current``, ...) as ``builtins.getattr(HistoryBuffer, name)``. Allowing ``getattr``
    itself would let a checkpoint reach any attribute of any allowed type; this stand-in
    resolves only those methods.
    """
    allowed = _DEFAULT_STATISTICS | set(HistoryBuffer._statistics_methods)
    if owner is HistoryBuffer and name in allowed:
        return getattr(owner, name)
    raise pickle.UnpicklingError(
        f'refused getattr({getattr(owner, "__name__", type(owner).__name__)}, {name!r}): '
        'only HistoryBuffer statistics methods may be looked up')


MMENGINE_CHECKPOINT_GLOBALS: List[Any] = [HistoryBuffer] + _numpy_globals() + [
    (history_buffer_getattr, 'builtins.getattr')
]


def register_mmengine_safe_globals() -> None:
    """Allow the globals of MMEngine's own checkpoints for ``weights_only`` loading."""
    add_safe_globals: Optional[Callable] = getattr(torch.serialization, 'add_safe_globals',
                                                   None)
    if add_safe_globals is not None:  # torch<2.4 has no weights_only default to satisfy
        add_safe_globals(MMENGINE_CHECKPOINT_GLOBALS)


def safe_torch_load(filename: str, map_location: Any = None) -> Any:
    """``torch.load`` with ``weights_only=True`` and an error that names the file."""
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(
            f'Refusing to load checkpoint {filename!r}: it contains a pickled object '
            'that is not an allowed tensor, container or MMEngine type, and unpickling '
            'it could run arbitrary code. Only load checkpoints you trust; if you do, '
            'add the type to torch.serialization.add_safe_globals. torch said: '
            f'{_torch_reason(err)}') from err


def _torch_reason(err: Exception) -> str:
    """The line of torch's message that names the refused global."""
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    named = [ln for ln in lines if 'global' in ln.lower() or 'but got' in ln]
    return (named or lines or [repr(err)])[0]


def load_from_local_safely(filename: str, map_location: Any = None) -> Any:
    """Drop-in for MMEngine's ``load_from_local`` that keeps ``weights_only=True``."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_torch_load(filename, map_location=map_location)


def install_safe_checkpoint_loading() -> None:
    """Register the safe globals and the safe local loader in MMEngine."""
    register_mmengine_safe_globals()
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local_safely, force=True)
