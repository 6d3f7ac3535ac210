from .contrastive_metric import ContrastiveRetrievalMetric
from .recognition_metrics import SeqCLRRecogMetric

__all__ = ['ContrastiveRetrievalMetric', 'SeqCLRRecogMetric']
