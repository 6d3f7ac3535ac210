from .batch_seqclr_augment import BatchSeqCLRAugment
from .seqclr_data_preprocessor import SeqCLRDataPreprocessor

__all__ = ['BatchSeqCLRAugment', 'SeqCLRDataPreprocessor']
