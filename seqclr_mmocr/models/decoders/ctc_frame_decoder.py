"""A CTC decoder over the frames F in {V, H, (H, V)} of the encoder (paper App. A.2)."""

from typing import Dict, Optional, Sequence, Union

import torch
from mmocr.models.common.dictionary import Dictionary
from mmocr.models.textrecog.decoders import BaseDecoder
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor, nn

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


@MODELS.register_module()
class CTCFrameDecoder(BaseDecoder):
    """A per-frame linear classifier trained with CTC, over the frames F of the encoder.

    MMOCR's ``CRNNDecoder`` reads only the backbone map and ignores the encoder output, so it
    cannot decode the contextual frames H of a pretrained BiLSTM. This decoder applies one
    fully connected layer to every frame f_t of F in {V, H, (H, V)} (paper App. A.2) and uses
    MMOCR's ``CTCModuleLoss`` and ``CTCPostProcessor``; the blank is the dictionary's padding
    token, so the dictionary needs ``with_padding=True``.

    Args:
        in_channels (int): Size of each frame of F: the backbone channels for ``'V'``, the
            encoder's output size for ``'H'``, their sum for ``'HV'``.
        dictionary (dict or :obj:`Dictionary`): Dictionary config or instance.
        in_features (str): Which frames to decode: ``'V'`` (the backbone map pooled over its
            height), ``'H'`` (the encoder output) or ``'HV'`` (concat(H, V)). Defaults to 'H'.
        module_loss (dict, optional): Loss config, usually ``CTCModuleLoss``.
        postprocessor (dict, optional): Postprocessor config, usually ``CTCPostProcessor``.
        frame_norm (bool): Standardise each channel of F over the batch's frames
            (``BatchNorm1d``) before the linear layer. At test time this is a fixed affine
            map, so the decoder stays linear. Decoder evaluation needs it: the frames of a
            frozen encoder can vary across images by 1e-3 or less (a random encoder with
            its BatchNorm in eval mode: per-channel std 0.003), too little for Adam to move
            a linear CTC layer off the all-blank output. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.

    Example:
        >>> decoder = dict(
        ...     type='CTCFrameDecoder',
        ...     in_channels=256,
        ...     in_features='H',
        ...     dictionary=dict(type='Dictionary', dict_file='english_95.txt',
        ...                     with_padding=True, with_unknown=True),
        ...     module_loss=dict(type='CTCModuleLoss', zero_infinity=True),
        ...     postprocessor=dict(type='CTCPostProcessor'),
        ...     frame_norm=True)
    """

    def __init__(
        self,
        in_channels: int,
        dictionary: Union[Dictionary, Dict],
        in_features: str = 'H',
        module_loss: Optional[Dict] = None,
        postprocessor: Optional[Dict] = None,
        frame_norm: bool = False,
        init_cfg: Optional[Union[Dict, Sequence[Dict]]] = None,
    ) -> None:
        super().__init__(
            dictionary=dictionary,
            module_loss=module_loss,
            postprocessor=postprocessor,
            init_cfg=init_cfg,
        )
        if in_features not in IN_FEATURES:
            raise ValueError(
                f'decoder.in_features must be one of {IN_FEATURES}, got {in_features!r}'
            )
        if self.dictionary.padding_idx is None:
            raise ValueError(
                'CTCFrameDecoder uses the padding token as the CTC blank: set '
                'with_padding=True in decoder.dictionary'
            )
        self.in_channels = in_channels
        self.in_features = in_features
        self.frame_norm = nn.BatchNorm1d(in_channels) if frame_norm else None
        self.classifier = nn.Linear(in_channels, self.dictionary.num_classes)

    def forward_train(
        self,
        feat: Optional[Tensor] = None,
        out_enc: Optional[Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
    ) -> Tensor:
        """Raw logits (N, T, num_classes), one row per frame of F."""
        frames = select_decoder_frames(self.in_features, feat, out_enc, self.in_channels)
        if self.frame_norm is not None:
            frames = self.frame_norm(frames.transpose(1, 2)).transpose(1, 2)
        return self.classifier(frames)

    def forward_test(
        self,
        feat: Optional[Tensor] = None,
        out_enc: Optional[Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
    ) -> Tensor:
        """Character probabilities (N, T, num_classes)."""
        return self.forward_train(feat, out_enc, data_samples).softmax(dim=-1)
