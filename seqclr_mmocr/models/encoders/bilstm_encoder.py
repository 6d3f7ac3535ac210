"""The sequence model of the paper's recognizer: a stacked BiLSTM over the frames."""

from typing import Optional, Sequence

import torch
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..utils.sequence_utils import map_to_sequence, valid_lengths, valid_ratios_from_samples


class BidirectionalLSTMLayer(nn.Module):
    """One BiLSTM followed by a linear layer, as in Baek et al.'s benchmark recognizer."""

    def __init__(self, in_channels: int, hidden_channels: int, out_channels: int) -> None:
        super().__init__()
        self.rnn = nn.LSTM(in_channels, hidden_channels, bidirectional=True, batch_first=True)
        self.linear = nn.Linear(2 * hidden_channels, out_channels)

    def forward(self, frames: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        if lengths is not None and bool((lengths < frames.size(1)).any()):
            # Packing keeps padding frames out of the backward direction of valid frames.
            packed = pack_padded_sequence(
                frames, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
            out, _ = self.rnn(packed)
            out, _ = pad_packed_sequence(out, batch_first=True, total_length=frames.size(1))
        else:
            out, _ = self.rnn(frames)
        return self.linear(out)


@MODELS.register_module()
class BiLSTMEncoder(BaseModule):
    """A stacked BiLSTM sequence model that turns visual frames V into contextual frames H.

    It plugs into MMOCR's ``EncoderDecoderRecognizer`` as ``encoder`` (called as
    ``encoder(feat, data_samples)``): the backbone map (N, C, H, W) is pooled over its height
    into frames V (N, T, C), and each layer is a BiLSTM plus a linear layer (paper App. D:
    2 layers, 256 hidden units). Padding frames, known from each sample's ``valid_ratio``, are
    packed away so they never leak into valid frames.

    Args:
        in_channels (int): Channels C of the backbone map.
        hidden_channels (int): Hidden units per direction and output size of each layer.
            Defaults to 256.
        num_layers (int): Number of BiLSTM layers. Defaults to 2.
        output (str): ``'H'`` for the contextual frames, ``'HV'`` for concat(H, V) as in
            paper §3 (then ``out_channels = hidden_channels + in_channels``). Defaults to 'H'.
        init_cfg (dict, optional): Initialisation config.

    Example:
        >>> encoder = dict(type='BiLSTMEncoder', in_channels=512, hidden_channels=256,
        ...                num_layers=2, output='H')
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int = 256,
        num_layers: int = 2,
        output: str = 'H',
        init_cfg: Optional[dict] = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if output not in ('H', 'HV'):
            raise ValueError(f"BiLSTMEncoder.output must be 'H' or 'HV', got {output!r}")
        if num_layers < 1:
            raise ValueError(f'BiLSTMEncoder.num_layers must be >= 1, got {num_layers}')
        self.in_channels = in_channels
        self.output = output
        self.layers = nn.ModuleList(
            [
                BidirectionalLSTMLayer(
                    in_channels if i == 0 else hidden_channels, hidden_channels, hidden_channels
                )
                for i in range(num_layers)
            ]
        )
        self.out_channels = hidden_channels + (in_channels if output == 'HV' else 0)

    def forward_frames(self, frames: Tensor, lengths: Optional[Tensor] = None) -> Tensor:
        """Run the BiLSTM stack on frames V (N, T, C) with optional valid lengths (N,)."""
        hidden = frames
        for layer in self.layers:
            hidden = layer(hidden, lengths)
        if self.output == 'HV':
            hidden = torch.cat([hidden, frames], dim=-1)
        return hidden

    def forward(self, feat: Tensor, data_samples: Optional[Sequence] = None) -> Tensor:
        """MMOCR encoder interface: backbone map (N, C, H, W) -> frames (N, T, out_channels)."""
        frames = map_to_sequence(feat)
        ratios = valid_ratios_from_samples(data_samples)
        lengths = None
        if ratios is not None:
            lengths = valid_lengths(ratios, frames.size(1), frames.size(0), frames.device)
        return self.forward_frames(frames, lengths)
