from .nt_xent import nt_xent_rows
from .sequence_contrastive_loss import NoNegativesError, SequenceContrastiveLoss

__all__ = ['NoNegativesError', 'nt_xent_rows', 'SequenceContrastiveLoss']
