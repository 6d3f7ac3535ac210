"""The paper's non-sequential baselines: SimCLR and SimCLR-Contextual."""

from typing import Tuple

import torch
from mmocr.registry import MODELS
from torch import Tensor

from .base_contrastive_recognizer import BaseContrastiveRecognizer


@MODELS.register_module()
class SimCLR(BaseContrastiveRecognizer):
    """SimCLR on a text recognizer's encoder: one vector per image (paper §5 baselines).

    The frames R of each view are pooled (mean over valid frames) or flattened into one
    vector, projected by SimCLR's MLP head, and contrasted image against image.
    ``representation='visual'`` gives the paper's *SimCLR* (R = V) and
    ``representation='contextual'`` its *SimCLR Contextual* (R = H).

    Args:
        head (dict): A vector head, ``SimCLRMLPHead``.
        pooling (str): ``'mean'`` over valid frames, or ``'flatten'`` (SimCLR's
            vectorisation; needs every image to have all T frames valid, i.e. a fixed-width
            pipeline, and ``head.in_channels = T * F``). Defaults to 'mean'.
        representation (str): ``'visual'`` (SimCLR) or ``'contextual'`` (SimCLR
            Contextual). Defaults to 'visual'.
        **kwargs: ``backbone``, ``loss``, ``preprocessor``, ``encoder``,
            ``data_preprocessor`` and ``init_cfg`` of :class:`BaseContrastiveRecognizer`.

    Example:
        >>> model = dict(
        ...     type='SimCLR',
        ...     backbone=dict(type='MiniVGG', input_channels=1),
        ...     representation='visual',
        ...     pooling='mean',
        ...     head=dict(type='SimCLRMLPHead', in_channels=512),
        ...     loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
        ...     data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[127.5],
        ...                            std=[127.5]))
    """

    def __init__(
        self,
        *,
        head: dict,
        representation: str = 'visual',
        pooling: str = 'mean',
        **kwargs,
    ) -> None:
        super().__init__(representation=representation, **kwargs)
        if pooling not in ('mean', 'flatten'):
            raise ValueError(f"model.pooling must be 'mean' or 'flatten', got {pooling!r}")
        self.pooling = pooling
        self.head = MODELS.build(head)
        if getattr(self.head, 'input_kind', 'sequence') != 'vector':
            raise ValueError(
                f'model.head={head["type"]!r} projects frame sequences, but SimCLR pools '
                f'each image to one vector (model.pooling={pooling!r}): use SimCLRMLPHead'
            )

    def mapping_name(self) -> str:
        return f'SimCLR (one {self.pooling}-pooled vector per image)'

    def embed(self, frames: Tensor, lengths: Tensor, num_images: int) -> Tuple[Tensor, Tensor]:
        num_frames = frames.size(1)
        if self.pooling == 'flatten':
            if bool((lengths != num_frames).any()):
                raise ValueError(
                    "SimCLR pooling='flatten' needs fixed-width inputs with no "
                    "padding frames; use pooling='mean' for variable widths"
                )
            vectors = frames.flatten(1)
        else:
            steps = torch.arange(num_frames, device=frames.device)
            mask = (steps[None, :] < lengths[:, None]).to(frames.dtype)
            vectors = (frames * mask[..., None]).sum(1) / lengths[:, None].to(frames.dtype)
        projected = self.head(vectors)
        return projected[:num_images], projected[num_images:]
