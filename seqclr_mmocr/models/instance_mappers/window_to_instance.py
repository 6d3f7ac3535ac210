# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from typing import Tuple

import torch
from mmocr.registry import MODELS
from torch import Tensor

from .base_instance_mapper import BaseInstanceMapper, instance_positions


@MODELS.register_module()
class WindowToInstance(BaseInstanceMapper):
    """Window-to-instance mapping (SeqCLR Fig. 5b): adaptive average pooling
    of each image's L valid frames, along the width only, to
    ``num_windows`` (T') instances.

    Window j of an image covers frames ``floor(j * L / T')`` to
    ``ceil((j + 1) * L / T')`` (exclusive), torch's adaptive pooling rule, so
    for L >= T' the instances equal
    ``adaptive_avg_pool1d(valid_frames, T')``.

    An image with fewer valid frames than T' (L < T') yields L instances, one
    per frame. Adaptive pooling would instead repeat frames, and the
    identical copies would then be negatives of each other.

    Args:
        num_windows (int): Number of instances T' per image (when L >= T').
            Defaults to 5, the paper's setting.

    Example:
        >>> mapper = dict(type='WindowToInstance', num_windows=5)
    """

    def __init__(self, num_windows: int = 5) -> None:
        super().__init__()
        if num_windows < 1:
            raise ValueError(f'WindowToInstance: num_windows must be >= 1, got {num_windows}')
        self.num_windows = num_windows

    def windows(self, lengths: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        counts = torch.clamp(lengths, max=self.num_windows)
        image_index, position = instance_positions(counts)
        length, count = lengths[image_index], counts[image_index]
        start = torch.div(position * length, count, rounding_mode='floor')
        end = -torch.div(-(position + 1) * length, count, rounding_mode='floor')  # ceil
        return image_index, start, end

    def extra_repr(self) -> str:
        return f'num_windows={self.num_windows}'
