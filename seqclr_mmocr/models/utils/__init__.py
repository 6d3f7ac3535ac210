# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from .batch_augments import BatchSeqCLRAugment
from .distributed import gather_with_grad

__all__ = ['BatchSeqCLRAugment', 'gather_with_grad']
