# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from typing import Tuple

import torch
from mmocr.registry import MODELS
from torch import Tensor

from .base_instance_mapper import BaseInstanceMapper


@MODELS.register_module()
class AllToInstance(BaseInstanceMapper):
    """All-to-instance mapping (SeqCLR Fig. 5a): the mean of an image's valid
    frames is its single instance, so M = N.

    Example:
        >>> mapper = dict(type='AllToInstance')
    """

    def windows(self, lengths: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        image_index = torch.arange(lengths.numel())
        return image_index, torch.zeros_like(lengths), lengths
