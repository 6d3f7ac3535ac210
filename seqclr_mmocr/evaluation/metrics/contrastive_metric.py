"""Label-free validation metric for contrastive pretraining."""

import logging
from typing import Dict, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmocr.registry import METRICS

from seqclr_mmocr.datasets.bad_inputs import is_placeholder

from .skipped_samples import MAX_LISTED, split_skipped


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
            if sample.get('no_negatives'):  # in a batch with nothing to contrast with
                self.results.append(dict(unscored=True, img_path=sample.get('img_path')))
                continue
            if is_placeholder(sample):  # an unreadable image, skipped
                self.results.append(dict(skipped=True, img_path=sample.get('img_path')))
                continue
            self.results.append((float(sample['contrastive_loss']), float(sample['retrieval_acc'])))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if not results:
            raise ValueError(
                'ContrastiveRetrievalMetric got no samples: is the validation dataset empty?'
            )
        unscored = [r for r in results if isinstance(r, dict) and r.get('unscored')]
        if unscored:
            results = [r for r in results if not (isinstance(r, dict) and r.get('unscored'))]
            paths = [str(r.get('img_path')) for r in unscored[:MAX_LISTED]]
            print_log(
                f'{type(self).__name__}: {len(unscored)} sample(s) left out, unscored: '
                'their batch held a single instance per view (a last batch of one image, '
                'with one instance per image), so no negative to contrast with: '
                f'{", ".join(paths)}{", ..." if len(unscored) > MAX_LISTED else ""}. A '
                'validation batch size that leaves no last batch of one scores every image.',
                logger='current',
                level=logging.WARNING,
            )
            if not results:
                return dict(unscored_samples=len(unscored))
        results, skipped = split_skipped(results, type(self).__name__)
        count = len(results)
        metrics = dict(
            loss=sum(r[0] for r in results) / count,
            retrieval_acc=sum(r[1] for r in results) / count,
        )
        if skipped or unscored:
            metrics.update(num_samples=count)
        if skipped:
            metrics.update(skipped_images=skipped)
        if unscored:
            metrics.update(unscored_samples=len(unscored))
        return metrics
