from .atomic_checkpoint_hook import (
    AtomicCheckpointHook,
    CheckpointSaveError,
    use_atomic_checkpoint_hook,
)
from .pretrained_encoder_check_hook import PretrainedEncoderCheckHook

__all__ = [
    'AtomicCheckpointHook',
    'CheckpointSaveError',
    'PretrainedEncoderCheckHook',
    'use_atomic_checkpoint_hook',
]
