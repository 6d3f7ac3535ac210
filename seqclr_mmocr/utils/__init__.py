"""Utilities shared across seqclr_mmocr."""
from .checkpoint_safety import (UnsafeCheckpointError, install_safe_checkpoint_loading,
                                safe_torch_load)

install_safe_checkpoint_loading()

__all__ = ['UnsafeCheckpointError', 'install_safe_checkpoint_loading', 'safe_torch_load']
