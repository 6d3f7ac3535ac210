"""BiLSTM projection head (paper §4, for the all- and window-to-instance mappings)."""

from typing import Optional

from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor

from ..encoders.bilstm_encoder import BidirectionalLSTMLayer


@MODELS.register_module()
class BiLSTMProjectionHead(BaseModule):
    """Projects a frame sequence with one BiLSTM and a linear layer.

    Input frames (N, T, F) with valid lengths (N,); output (N, T, out_channels). Padding
    frames are packed away. Discarded after pretraining.

    Args:
        in_channels (int): Frame feature size F.
        hidden_channels (int): Hidden units per direction. Defaults to 256.
        out_channels (int): Projected size F'. Defaults to 128.

    Example:
        >>> head = dict(type='BiLSTMProjectionHead', in_channels=256, hidden_channels=256,
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
        self.bilstm = BidirectionalLSTMLayer(in_channels, hidden_channels, out_channels)
        self.out_channels = out_channels

    def forward(self, frames: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        return self.bilstm(frames, lengths)
