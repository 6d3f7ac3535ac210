# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Base class of SeqCLR instance-mapping functions (paper §4, Fig. 5)."""

from abc import ABCMeta, abstractmethod
from typing import Tuple

import torch
from torch import Tensor, nn


def instance_positions(counts: Tensor) -> Tuple[Tensor, Tensor]:
    """Lay out ``counts[i]`` instances per image, image by image.

    Args:
        counts (Tensor): (N,) int64, number of instances of each image.

    Returns:
        tuple[Tensor, Tensor]: ``image_index`` (M,), the image of each
        instance, and ``position`` (M,), its index within its image
        (0, 1, ..., counts[i] - 1), with M = counts.sum().
    """
    image_index = torch.repeat_interleave(
        torch.arange(counts.numel(), device=counts.device), counts
    )
    first_instance = torch.cumsum(counts, dim=0) - counts
    position = torch.arange(image_index.numel(), device=counts.device) - first_instance[image_index]
    return image_index, position


def window_means(frames: Tensor, image_index: Tensor, start: Tensor, end: Tensor) -> Tensor:
    """Mean of ``frames[image_index[m], start[m]:end[m]]`` for every m.

    Vectorised with prefix sums over the frame axis, so only frames inside a
    window enter its mean (and receive gradient), whatever the padding holds.
    The sums are accumulated in float64 (on devices that have it) to avoid
    cancellation when subtracting prefix sums.

    Args:
        frames (Tensor): (N, T, F) frames.
        image_index (Tensor): (M,) int64 image of each window.
        start (Tensor): (M,) int64 first frame of each window (inclusive).
        end (Tensor): (M,) int64 end of each window (exclusive), with
            ``start < end <= T``.

    Returns:
        Tensor: (M, F) window means, in the dtype of ``frames``.
    """
    accumulate_dtype = torch.float32 if frames.device.type == 'mps' else torch.float64
    prefix_sums = torch.cumsum(frames.to(accumulate_dtype), dim=1)
    # prefix_sums[:, t] = sum of frames[:, :t]
    prefix_sums = nn.functional.pad(prefix_sums, (0, 0, 1, 0))
    sums = prefix_sums[image_index, end] - prefix_sums[image_index, start]
    means = sums / (end - start).to(accumulate_dtype)[:, None]
    return means.to(frames.dtype)


class BaseInstanceMapper(nn.Module, metaclass=ABCMeta):
    """Maps each image's projected frames to the instances of the
    contrastive loss.

    Subclasses only describe the windows of consecutive valid frames that
    each image yields (:meth:`windows`); an instance is the mean of its
    window. Padding frames (beyond an image's valid length) never contribute,
    so ``frames`` may hold anything there.

    The instances are ordered image by image, left to right. Two views of a
    batch with the same ``lengths`` therefore give the same number of
    instances in aligned order, which is how positives are paired.
    """

    @abstractmethod
    def windows(self, lengths: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Windows of valid frames of every image.

        Args:
            lengths (Tensor): (N,) int64 valid lengths, each in [1, T].

        Returns:
            tuple[Tensor, Tensor, Tensor]: ``image_index``, ``start`` and
            ``end`` (exclusive), each (M,) int64, ordered image by image and
            left to right.
        """

    def forward(self, frames: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        """Map frames to instances.

        Args:
            frames (Tensor): (N, T, F) projected frames; anything (zeros,
                garbage) beyond each image's valid length.
            lengths (Tensor): (N,) integer, number of valid frames per image
                (1 <= lengths[i] <= T).

        Returns:
            tuple[Tensor, Tensor]: ``instances`` (M, F) and ``image_index``
            (M,) int64, the image each instance came from.
        """
        # The window layout is tiny; building it on the CPU costs one
        # synchronisation, which computing M would need anyway.
        lengths = lengths.detach().cpu()
        self._check_inputs(frames, lengths)
        image_index, start, end = (
            index.to(frames.device) for index in self.windows(lengths.long())
        )
        return window_means(frames, image_index, start, end), image_index

    def _check_inputs(self, frames: Tensor, lengths: Tensor) -> None:
        name = type(self).__name__
        if frames.dim() != 3:
            raise ValueError(f'{name}: frames must be (N, T, F), got shape {tuple(frames.shape)}')
        if lengths.shape != frames.shape[:1]:
            raise ValueError(
                f'{name}: lengths must have shape ({frames.shape[0]},) (one '
                f'per image of frames {tuple(frames.shape)}), got '
                f'{tuple(lengths.shape)}'
            )
        if lengths.dtype.is_floating_point or lengths.dtype == torch.bool:
            raise ValueError(f'{name}: lengths must be integers, got {lengths.dtype}')
        if lengths.numel() == 0:
            return
        shortest, longest = int(lengths.min()), int(lengths.max())
        if shortest < 1 or longest > frames.shape[1]:
            raise ValueError(
                f'{name}: lengths must lie in [1, T={frames.shape[1]}], got '
                f'values from {shortest} to {longest}'
            )
