from .base_contrastive_recognizer import BaseContrastiveRecognizer
from .seqclr import SeqCLR
from .simclr import SimCLR

__all__ = ['BaseContrastiveRecognizer', 'SeqCLR', 'SimCLR']
