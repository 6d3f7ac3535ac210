from .atomic_checkpoint_hook import (
    AtomicCheckpointHook,
    CheckpointSaveError,
    use_atomic_checkpoint_hook,
)
from .channels_last_hook import ChannelsLastHook
from .pretrained_encoder_check_hook import PretrainedEncoderCheckHook

__all__ = [
    'AtomicCheckpointHook',
    'ChannelsLastHook',
    'CheckpointSaveError',
    'PretrainedEncoderCheckHook',
    'use_atomic_checkpoint_hook',
]
