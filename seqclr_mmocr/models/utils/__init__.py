# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from .batch_augments import BatchSeqCLRAugment
from .distributed import gather_with_grad
from .sequence_utils import map_to_sequence, valid_lengths

__all__ = ['BatchSeqCLRAugment', 'gather_with_grad', 'map_to_sequence', 'valid_lengths']
