from .seqclr_data_preprocessor import SeqCLRDataPreprocessor

__all__ = ['SeqCLRDataPreprocessor']
