"""SeqCLR: sequence-to-sequence contrastive learning (Aberdam et al., CVPR 2021)."""

from typing import Optional, Tuple

from mmocr.registry import MODELS
from torch import Tensor

from .base_contrastive_recognizer import BaseContrastiveRecognizer


@MODELS.register_module()
class SeqCLR(BaseContrastiveRecognizer):
    """SeqCLR pretraining of a text recognizer's encoder (paper §4, Fig. 4).

    Both views go through the base encoder f(.) (TPS, backbone, optional BiLSTM), an optional
    projection head g(.) per frame sequence, then an instance mapping m(.) that turns each
    image's valid frames into instances; the contrastive loss pairs instance r of view a with
    instance r of view b, and every other instance of the (global) batch is a negative.

    Args:
        head (dict, optional): Projection head over frames (``FrameMLPHead`` or
            ``BiLSTMProjectionHead``); None for no head. Discarded after pretraining.
        instance_mapper (dict): ``AllToInstance``, ``WindowToInstance``, ``FrameToInstance``
            or ``FixedWindowToInstance``. Defaults to window-to-instance with T'=5.
        **kwargs: ``backbone``, ``loss``, ``preprocessor``, ``encoder``,
            ``representation`` (default 'contextual'), ``data_preprocessor`` and
            ``init_cfg`` of :class:`BaseContrastiveRecognizer`.

    Example:
        >>> model = dict(
        ...     type='SeqCLR',
        ...     backbone=dict(type='MiniVGG', input_channels=1),
        ...     encoder=dict(type='BiLSTMEncoder', in_channels=512),
        ...     representation='contextual',
        ...     head=dict(type='BiLSTMProjectionHead', in_channels=256),
        ...     instance_mapper=dict(type='WindowToInstance', num_windows=5),
        ...     loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
        ...     data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[127.5],
        ...                            std=[127.5]))
    """

    def __init__(
        self,
        *,
        head: Optional[dict] = None,
        instance_mapper: dict = dict(type='WindowToInstance', num_windows=5),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.head = None
        if head is not None:
            self.head = MODELS.build(head)
            if getattr(self.head, 'input_kind', 'sequence') != 'sequence':
                raise ValueError(
                    f'model.head={head["type"]!r} projects one vector per image, but SeqCLR '
                    'projects frame sequences: use FrameMLPHead or BiLSTMProjectionHead '
                    '(or the SimCLR algorithm for whole-image vectors)'
                )
        self.instance_mapper = MODELS.build(instance_mapper)

    def mapping_name(self) -> str:
        return f'{type(self.instance_mapper).__name__}({self.instance_mapper.extra_repr()})'

    def embed(self, frames: Tensor, lengths: Tensor, num_images: int) -> Tuple[Tensor, Tensor]:
        projected = frames if self.head is None else self.head(frames, lengths)
        instances, image_index = self.instance_mapper(projected, lengths)
        from_view_a = image_index < num_images
        return instances[from_view_a], instances[~from_view_a]
