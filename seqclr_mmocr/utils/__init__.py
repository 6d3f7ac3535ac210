"""Utilities shared across seqclr_mmocr."""

from .checkpoint_safety import (
    CorruptCheckpointError,
    UnsafeCheckpointError,
    install_safe_checkpoint_loading,
    safe_torch_load,
)

install_safe_checkpoint_loading()

__all__ = [
    'CorruptCheckpointError',
    'UnsafeCheckpointError',
    'install_safe_checkpoint_loading',
    'safe_torch_load',
]
