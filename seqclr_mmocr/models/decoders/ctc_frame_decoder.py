"""A CTC decoder over the frames F in {V, H, (H, V)} of the encoder (paper App. A.2)."""

from typing import Optional, Sequence

from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor, nn

from .base_frame_decoder import BaseFrameDecoder


@MODELS.register_module()
class CTCFrameDecoder(BaseFrameDecoder):
    """A per-frame linear classifier trained with CTC, over the frames F of the encoder.

    MMOCR's ``CRNNDecoder`` reads only the backbone map and ignores the encoder output, so it
    cannot decode the contextual frames H of a pretrained BiLSTM. This decoder applies one
    fully connected layer to every frame f_t of F in {V, H, (H, V)} (paper App. A.2) and uses
    MMOCR's ``CTCModuleLoss`` and ``CTCPostProcessor``; the blank is the dictionary's padding
    token, so the dictionary needs ``with_padding=True``.

    Args:
        frame_norm (bool): Standardise each channel of F over the batch's frames
            (``BatchNorm1d``) before the linear layer. At test time this is a fixed affine
            map, so the decoder stays linear. Decoder evaluation needs it: the frames of a
            frozen encoder can vary across images by 1e-3 or less (a random encoder with
            its BatchNorm in eval mode: per-channel std 0.003), too little for Adam to move
            a linear CTC layer off the all-blank output. Defaults to False.
        **kwargs: ``in_channels``, ``dictionary``, ``in_features`` (default 'H'),
            ``module_loss`` (usually ``CTCModuleLoss``), ``postprocessor`` (usually
            ``CTCPostProcessor``) and ``init_cfg`` of :class:`BaseFrameDecoder`.

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

    def __init__(self, *, frame_norm: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.dictionary.padding_idx is None:
            raise ValueError(
                'CTCFrameDecoder uses the padding token as the CTC blank: set '
                'with_padding=True in decoder.dictionary'
            )
        self.frame_norm = nn.BatchNorm1d(self.in_channels) if frame_norm else None
        self.classifier = nn.Linear(self.in_channels, self.dictionary.num_classes)

    def forward_train(
        self,
        feat: Optional[Tensor] = None,
        out_enc: Optional[Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
    ) -> Tensor:
        """Raw logits (N, T, num_classes), one row per frame of F."""
        frames = self.select_frames(feat, out_enc)
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
