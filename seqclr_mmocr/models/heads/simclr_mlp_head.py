"""SimCLR's projection head for whole-image vectors (the non-sequential baselines)."""

from typing import Optional

from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class SimCLRMLPHead(BaseModule):
    """Linear-BN-ReLU-Linear on one vector per image, as in SimCLR (Chen et al. 2020).

    Input (N, F); output (N, out_channels). Only valid after a whole-image pooling, so it
    declares ``input_kind = 'vector'``; sequence algorithms refuse it at build time.

    Args:
        in_channels (int): Input vector size.
        hidden_channels (int): Hidden size. Defaults to 2048.
        out_channels (int): Projected size. Defaults to 128.

    Example:
        >>> head = dict(type='SimCLRMLPHead', in_channels=512, hidden_channels=2048,
        ...             out_channels=128)
    """

    input_kind = 'vector'

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int = 2048,
        out_channels: int = 128,
        init_cfg: Optional[dict] = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.mlp = nn.Sequential(
            nn.Linear(in_channels, hidden_channels),
            nn.BatchNorm1d(hidden_channels),
            nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, out_channels),
        )
        self.out_channels = out_channels

    def forward(self, vectors: Tensor) -> Tensor:
        if vectors.dim() != 2:
            raise ValueError(
                'SimCLRMLPHead expects one vector per image (N, F), got shape '
                f'{tuple(vectors.shape)}'
            )
        return self.mlp(vectors)
