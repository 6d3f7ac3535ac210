"""Safe checkpoint loading for MMEngine 0.10.x on torch>=2.6.

torch>=2.6 unpickles checkpoints with ``weights_only=True`` by default, and MMEngine 0.10.7 then
fails on its own checkpoints (``Unsupported global: mmengine.logging.history_buffer.HistoryBuffer``,
mmengine issue 1655). Instead of switching the safety off, this module

* allows exactly the globals that MMEngine's own checkpoints carry
  (:data:`MMENGINE_CHECKPOINT_GLOBALS`) through ``torch.serialization.add_safe_globals``, and
* replaces MMEngine's local-file checkpoint loader (the ``''`` scheme of
  :class:`mmengine.runner.CheckpointLoader`, used by ``load_from``, ``--resume`` and
  ``init_cfg=dict(type='Pretrained')``) by one that keeps ``weights_only=True`` and turns torch's
  refusal into an :class:`UnsafeCheckpointError` naming the file and the offending global, and
* wraps every other loader that ``CheckpointLoader`` resolves (``http://``, ``https://``,
  ``open-mmlab://``, ``torchvision://``, ``mmcls://``, ``pavi://``, ``s3://``, ... and any
  scheme registered later) so that each ``torch.load`` it makes runs with
  ``weights_only=True``. MMEngine's http(s) loader goes through
  ``torch.hub.load_state_dict_from_url``, whose ``weights_only`` defaults to False: unwrapped,
  a checkpoint served over http would run its pickled code.

A checkpoint that cannot be read (truncated, not a checkpoint) raises a
:class:`CorruptCheckpointError` that names the file or URL.

Importing :mod:`seqclr_mmocr` installs both, so every config with
``custom_imports=dict(imports=['seqclr_mmocr'])`` gets them.
"""

import functools
import os.path as osp
import pickle
import threading
import zipfile
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds a pickled object outside the allowed globals."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file cannot be read (truncated, or not a torch checkpoint)."""


# A pickle names the module of the numpy that wrote it: numpy 2 moved ``numpy.core`` to
# ``numpy._core``, so a checkpoint saved under numpy 2 (a GPU machine, say) names
# ``numpy._core.multiarray._reconstruct`` and one saved under numpy 1 ``numpy.core...``.
NUMPY_MULTIARRAY_MODULES = ('numpy.core.multiarray', 'numpy._core.multiarray')


def _numpy_globals() -> List[Any]:
    """The numpy callables needed to rebuild arrays and scalars that MMEngine stores
    (``HistoryBuffer`` keeps its values as ndarrays; the message hub may hold numpy scalars),
    under both numpy 1's and numpy 2's module names, whichever numpy reads them."""
    try:
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct, scalar

    allowed: List[Any] = [np.ndarray, np.dtype]
    for module in NUMPY_MULTIARRAY_MODULES:
        allowed += [(_reconstruct, f'{module}._reconstruct'), (scalar, f'{module}.scalar')]
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
        'only HistoryBuffer statistics methods may be looked up'
    )


MMENGINE_CHECKPOINT_GLOBALS: List[Any] = (
    [HistoryBuffer] + _numpy_globals() + [(history_buffer_getattr, 'builtins.getattr')]
)


def register_mmengine_safe_globals() -> None:
    """Allow the globals of MMEngine's own checkpoints for ``weights_only`` loading."""
    add_safe_globals: Optional[Callable] = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is not None:  # torch<2.4 has no weights_only default to satisfy
        add_safe_globals(MMENGINE_CHECKPOINT_GLOBALS)


def _unsafe_error(source: str, err: Exception) -> UnsafeCheckpointError:
    return UnsafeCheckpointError(
        f'Refusing to load checkpoint {source!r}: it contains a pickled object '
        'that is not an allowed tensor, container or MMEngine type, and unpickling '
        'it could run arbitrary code. Only load checkpoints you trust; if you do, '
        'add the type to torch.serialization.add_safe_globals. torch said: '
        f'{_torch_reason(err)}'
    )


def _corrupt_error(source: str, err: Exception) -> CorruptCheckpointError:
    return CorruptCheckpointError(
        f'Cannot load checkpoint {source!r}: {type(err).__name__}: {_torch_reason(err)} '
        '(a truncated file, or one that is not a torch checkpoint, fails this way)'
    )


# The real torch.load, bound before weights_only_torch_load replaces the module attribute.
_torch_load = torch.load


def safe_torch_load(filename: Any, map_location: Any = None, source: Optional[str] = None) -> Any:
    """``torch.load`` with ``weights_only=True`` and errors that name the checkpoint.

    Args:
        filename: A path or a file-like object, as for ``torch.load``.
        map_location: As for ``torch.load``.
        source (str, optional): What errors name (a URL, say). Defaults to ``filename``.
    """
    source = str(filename) if source is None else source
    try:
        return _torch_load(filename, map_location=map_location, weights_only=True)
    except UnsafeCheckpointError:
        raise
    except pickle.UnpicklingError as err:
        raise _unsafe_error(source, err) from err
    except (RuntimeError, EOFError, ValueError, KeyError) as err:
        raise _corrupt_error(source, err) from err


def _torch_reason(err: Exception) -> str:
    """The line of torch's message that names the refused global."""
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    named = [ln for ln in lines if 'global' in ln.lower() or 'but got' in ln]
    return (named or lines or [repr(err)])[0]


def is_torch_file(filename: str) -> bool:
    """Whether ``filename`` has the layout of a ``torch.save`` file: a zip archive (the
    default format) or a pickle stream (the legacy one, which starts with the PROTO opcode)."""
    if zipfile.is_zipfile(filename):
        return True
    with open(filename, 'rb') as f:
        head = f.read(2)
    return len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def load_from_local_safely(filename: str, map_location: Any = None) -> Any:
    """Drop-in for MMEngine's ``load_from_local`` that keeps ``weights_only=True``, and
    tells a folder or a file that is no checkpoint at all from an unsafe one."""
    filename = osp.expanduser(filename)
    if osp.isdir(filename):
        raise IsADirectoryError(
            f'{filename} is a folder, not a checkpoint file: name one of its .pth files (a '
            "work dir's last_checkpoint names its latest)"
        )
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    if not is_torch_file(filename):
        raise CorruptCheckpointError(
            f'Cannot load checkpoint {filename!r}: it is neither a zip archive nor a pickle '
            'stream, so not a file written by torch.save (a text file, an image, or the '
            'wrong path?)'
        )
    return safe_torch_load(filename, map_location=map_location)


_force_lock = threading.RLock()


@contextmanager
def weights_only_torch_load(source: str) -> Iterator[None]:
    """Within the block, every ``torch.load`` (module attribute, as MMEngine's loaders and
    ``torch.hub`` call it) loads with ``weights_only=True`` whatever its caller passed, and
    its errors name ``source``."""

    def forced_load(f: Any, map_location: Any = None, *args, **kwargs) -> Any:
        kwargs.pop('weights_only', None)
        kwargs.pop('pickle_module', None)
        return safe_torch_load(f, map_location=map_location, source=source)

    with _force_lock:
        previous = torch.load
        torch.load = forced_load
        try:
            yield
        finally:
            torch.load = previous


def weights_only_loader(loader: Callable) -> Callable:
    """Wrap a ``CheckpointLoader`` scheme loader so that it can only load weights."""
    if getattr(loader, '_seqclr_weights_only', False):
        return loader

    @functools.wraps(loader)
    def wrapped(filename: str, map_location: Any = None, *args, **kwargs) -> Any:
        with weights_only_torch_load(filename):
            return loader(filename, map_location, *args, **kwargs)

    wrapped._seqclr_weights_only = True  # type: ignore[attr-defined]
    return wrapped


def _get_weights_only_loader(cls, path: str) -> Optional[Callable]:
    """``CheckpointLoader._get_checkpoint_loader`` returning the scheme's loader wrapped by
    :func:`weights_only_loader`, so that schemes registered after this package was
    imported are covered too."""
    loader = _original_get_loader.__func__(cls, path)
    return None if loader is None else weights_only_loader(loader)


_original_get_loader = CheckpointLoader.__dict__['_get_checkpoint_loader']


def install_safe_checkpoint_loading() -> None:
    """Register the safe globals, the safe local loader, and wrap every scheme loader of
    MMEngine's ``CheckpointLoader`` (now and later registered) with
    :func:`weights_only_loader`."""
    register_mmengine_safe_globals()
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local_safely, force=True)
    if CheckpointLoader.__dict__['_get_checkpoint_loader'] is _original_get_loader:
        CheckpointLoader._get_checkpoint_loader = classmethod(_get_weights_only_loader)
    for prefix, loader in list(CheckpointLoader._schemes.items()):
        CheckpointLoader._schemes[prefix] = weights_only_loader(loader)
