from .base_contrastive_recognizer import BaseContrastiveRecognizer
from .negatives_check import check_contrastive_negatives
from .seqclr import SeqCLR
from .simclr import SimCLR

__all__ = ['BaseContrastiveRecognizer', 'check_contrastive_negatives', 'SeqCLR', 'SimCLR']
