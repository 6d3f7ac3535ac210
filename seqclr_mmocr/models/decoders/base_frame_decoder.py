"""The base of the decoders over the frames F in {V, H, (H, V)} of the encoder."""

from typing import Dict, Optional, Sequence, Union

import torch
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders import BaseDecoder
from torch import Tensor

from ..utils.sequence_utils import map_to_sequence

IN_FEATURES = ('V', 'H', 'HV')


def select_decoder_frames(
    in_features: str,
    feat: Optional[Tensor],
    out_enc: Optional[Tensor],
    in_channels: int,
    owner: str = 'decoder',
) -> Tensor:
    """The frames F (N, T, in_channels) a decoder reads, as chosen by ``in_features``.

    Args:
        in_features (str): ``'V'``: the backbone map pooled over its height; ``'H'``: the
            encoder output; ``'HV'``: concat(H, V) along the channels.
        feat (Tensor, optional): Backbone map (N, C, H, W).
        out_enc (Tensor, optional): Encoder output (N, T, C).
        in_channels (int): The size of F the decoder was built for.
        owner (str): Config path of the decoder, used in error messages.
    """
    parts = []
    if 'H' in in_features:
        if out_enc is None:
            raise ValueError(
                f'{owner}.in_features={in_features!r} reads the encoder output (out_enc), but '
                'the recognizer has no encoder: add model.encoder (e.g. '
                "dict(type='BiLSTMEncoder', ...)) or use in_features='V'"
            )
        if out_enc.dim() != 3:
            raise ValueError(
                f'{owner}: expected the encoder output (out_enc) as (N, T, C), '
                f'got shape {tuple(out_enc.shape)}'
            )
        parts.append(out_enc)
    if 'V' in in_features:
        if feat is None:
            raise ValueError(
                f'{owner}.in_features={in_features!r} reads the backbone map '
                '(feat), but none was given'
            )
        parts.append(map_to_sequence(feat))
    if len(parts) == 2 and parts[0].size(1) != parts[1].size(1):
        raise ValueError(
            f"{owner}.in_features='HV' needs as many encoder frames as backbone columns, got "
            f'{parts[0].size(1)} frames in out_enc and {parts[1].size(1)} columns in feat'
        )
    frames = parts[0] if len(parts) == 1 else torch.cat(parts, dim=-1)
    if frames.size(-1) != in_channels:
        raise ValueError(
            f'{owner}.in_channels={in_channels} does not match the size of the frames '
            f'F={in_features!r}: {frames.size(-1)} (frames of shape {tuple(frames.shape)})'
        )
    return frames


class BaseFrameDecoder(BaseDecoder):
    """Base of the decoders that read the frames F in {V, H, (H, V)} of the encoder (paper
    App. A.2 and A.3).

    It holds what :class:`CTCFrameDecoder` and :class:`AdditiveAttentionDecoder` share: the
    checked choice of frames ``in_features``, their size ``in_channels``, and
    :meth:`select_frames`. Subclasses add their layers, their dictionary checks and
    ``forward_train`` / ``forward_test``; they are configured as usual, e.g.
    ``dict(type='CTCFrameDecoder', in_channels=256, in_features='H', dictionary=...)``.

    Args:
        in_channels (int): Size of each frame of F: the backbone channels for ``'V'``, the
            encoder's output size for ``'H'``, their sum for ``'HV'``.
        dictionary (dict or :obj:`Dictionary`): Dictionary config or instance.
        in_features (str): Which frames to read: ``'V'`` (the backbone map pooled over its
            height), ``'H'`` (the encoder output) or ``'HV'`` (concat(H, V)). Defaults to 'H'.
        module_loss (dict, optional): Loss config.
        postprocessor (dict, optional): Postprocessor config.
        max_seq_len (int): Maximum output length. Defaults to 40 (MMOCR's default).
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(
        self,
        in_channels: int,
        dictionary: Union[Dictionary, Dict],
        in_features: str = 'H',
        module_loss: Optional[Dict] = None,
        postprocessor: Optional[Dict] = None,
        max_seq_len: int = 40,
        init_cfg: Optional[Union[Dict, Sequence[Dict]]] = None,
    ) -> None:
        super().__init__(
            dictionary=dictionary,
            module_loss=module_loss,
            postprocessor=postprocessor,
            max_seq_len=max_seq_len,
            init_cfg=init_cfg,
        )
        if in_features not in IN_FEATURES:
            raise ValueError(
                f'decoder.in_features must be one of {IN_FEATURES}, got {in_features!r}'
            )
        self.in_channels = in_channels
        self.in_features = in_features

    def select_frames(self, feat: Optional[Tensor], out_enc: Optional[Tensor]) -> Tensor:
        """The frames F (N, T, in_channels) this decoder reads (see
        :func:`select_decoder_frames`)."""
        return select_decoder_frames(self.in_features, feat, out_enc, self.in_channels)
