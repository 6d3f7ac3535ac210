from .nt_xent import nt_xent_rows
from .sequence_contrastive_loss import SequenceContrastiveLoss

__all__ = ['nt_xent_rows', 'SequenceContrastiveLoss']
