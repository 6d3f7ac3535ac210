# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from typing import Tuple

from mmocr.registry import MODELS
from torch import Tensor

from .base_instance_mapper import BaseInstanceMapper, instance_positions


@MODELS.register_module()
class FrameToInstance(BaseInstanceMapper):
    """Frame-to-instance mapping (SeqCLR Fig. 5c): every valid frame is an
    instance, so an image of L valid frames yields L instances.

    Example:
        >>> mapper = dict(type='FrameToInstance')
    """

    def windows(self, lengths: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        image_index, position = instance_positions(lengths)
        return image_index, position, position + 1
