from .contrastive_metric import ContrastiveRetrievalMetric

__all__ = ['ContrastiveRetrievalMetric']
