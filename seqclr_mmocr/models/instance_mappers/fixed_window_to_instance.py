# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from typing import Tuple

import torch
from mmocr.registry import MODELS
from torch import Tensor

from .base_instance_mapper import BaseInstanceMapper, instance_positions


@MODELS.register_module()
class FixedWindowToInstance(BaseInstanceMapper):
    """Fixed-window mapping (SeqCLR §4, "every W consecutive frames"): the
    mean of every ``window`` consecutive valid frames is an instance.

    An image of L valid frames yields floor(L / W) instances and drops the
    last L mod W frames, like ``AvgPool1d(W, W)``. An image shorter than the
    window (L < W) yields one instance, the mean of its L frames, so that
    every image contributes.

    Args:
        window (int): Number of frames W averaged into one instance.

    Example:
        >>> mapper = dict(type='FixedWindowToInstance', window=4)
    """

    def __init__(self, window: int) -> None:
        super().__init__()
        if window < 1:
            raise ValueError(f'FixedWindowToInstance: window must be >= 1, got {window}')
        self.window = window

    def windows(self, lengths: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        counts = torch.clamp(torch.div(lengths, self.window, rounding_mode='floor'), min=1)
        image_index, position = instance_positions(counts)
        start = position * self.window
        end = torch.minimum(start + self.window, lengths[image_index])
        return image_index, start, end

    def extra_repr(self) -> str:
        return f'window={self.window}'
