"""Batch augmentations, applied by the data preprocessor to whole batches on the device
(as MMPretrain keeps its batch augmentations in ``models/utils/batch_augments/``)."""

from .batch_seqclr_augment import BatchSeqCLRAugment

__all__ = ['BatchSeqCLRAugment']
