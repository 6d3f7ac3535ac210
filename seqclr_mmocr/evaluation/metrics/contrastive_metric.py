"""Label-free validation metric for contrastive pretraining."""

from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmocr.registry import METRICS

from seqclr_mmocr.datasets.bad_inputs import is_placeholder

from .skipped_samples import split_skipped


@METRICS.register_module()
class ContrastiveRetrievalMetric(BaseMetric):
    """Contrastive loss and positive-pair top-1 retrieval accuracy on held-out images.

    Needs no labels: the model's ``predict`` mode (``SeqCLR``/``SimCLR``) stores each batch's
    ``contrastive_loss`` and ``retrieval_acc`` in every sample, and this metric averages them
    over all samples (so each batch weighs by its size). Retrieval accuracy is the share of
    instances whose most similar other instance is their positive.

    Example:
        >>> val_evaluator = dict(type='ContrastiveRetrievalMetric', prefix='pretrain')
    """

    default_prefix: Optional[str] = 'pretrain'

    def process(self, data_batch: Sequence, data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            if is_placeholder(sample):  # an unreadable image, skipped
                self.results.append(dict(skipped=True, img_path=sample.get('img_path')))
                continue
            self.results.append((float(sample['contrastive_loss']), float(sample['retrieval_acc'])))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if not results:
            raise ValueError(
                'ContrastiveRetrievalMetric got no samples: is the validation dataset empty?'
            )
        results, skipped = split_skipped(results, type(self).__name__)
        count = len(results)
        metrics = dict(
            loss=sum(r[0] for r in results) / count,
            retrieval_acc=sum(r[1] for r in results) / count,
        )
        if skipped:
            metrics.update(num_samples=count, skipped_images=skipped)
        return metrics
