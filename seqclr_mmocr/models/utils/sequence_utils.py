"""Map-to-sequence and valid-length helpers shared by encoders, heads, decoders and algorithms."""

import math
from typing import Optional, Sequence

import torch
from torch import Tensor


def map_to_sequence(feat: Tensor) -> Tensor:
    """Turn a backbone map (N, C, H, W) into frames V of shape (N, W, C).

    Pools over the height only, so every frame keeps its own horizontal receptive field.
    """
    if feat.dim() != 4:
        raise ValueError(f'expected a feature map (N, C, H, W), got shape {tuple(feat.shape)}')
    return feat.mean(dim=2).transpose(1, 2).contiguous()


def valid_lengths(
    valid_ratios: Optional[Sequence[float]], num_frames: int, batch_size: int, device: torch.device
) -> Tensor:
    """Number of frames of each image that do not come from padding.

    Same rule as MMOCR's decoders: ``min(T, ceil(T * valid_ratio))``, at least 1.
    """
    if valid_ratios is None:
        return torch.full((batch_size,), num_frames, dtype=torch.long, device=device)
    lengths = [min(num_frames, max(1, math.ceil(num_frames * float(r)))) for r in valid_ratios]
    return torch.tensor(lengths, dtype=torch.long, device=device)


def valid_ratios_from_samples(data_samples) -> Optional[list]:
    """The ``valid_ratio`` of each data sample, or None when any is missing."""
    if not data_samples:
        return None
    ratios = [s.get('valid_ratio', None) for s in data_samples]
    return None if any(r is None for r in ratios) else ratios
