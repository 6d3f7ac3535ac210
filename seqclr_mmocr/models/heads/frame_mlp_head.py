"""Per-frame MLP projection head (paper §4, 'MLP projection head ... on each frame')."""

from typing import Optional

from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class FrameMLPHead(BaseModule):
    """Projects each frame independently with Linear-ReLU-Linear.

    Input frames (N, T, F) of any length T; output (N, T, out_channels). Discarded after
    pretraining. No BatchNorm: padding frames would pollute its statistics.

    Args:
        in_channels (int): Frame feature size F.
        hidden_channels (int): Hidden size. Defaults to 256.
        out_channels (int): Projected size F'. Defaults to 128.

    Example:
        >>> head = dict(type='FrameMLPHead', in_channels=256, hidden_channels=256,
        ...             out_channels=128)
    """

    input_kind = 'sequence'

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int = 256,
        out_channels: int = 128,
        init_cfg: Optional[dict] = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.mlp = nn.Sequential(
            nn.Linear(in_channels, hidden_channels),
            nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, out_channels),
        )
        self.out_channels = out_channels

    def forward(self, frames: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        return self.mlp(frames)
