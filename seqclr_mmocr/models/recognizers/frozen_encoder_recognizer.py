"""A recognizer whose pretrained encoder stays frozen: the paper's decoder evaluation."""

from typing import Dict, Optional, Sequence, Tuple

import torch
from mmocr.models.textrecog.recognizers import EncoderDecoderRecognizer
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptRecSampleList, RecSampleList
from torch import Tensor

from ..preprocessors import keep_tps_in_float32

FREEZABLE_MODULES = ('preprocessor', 'backbone', 'encoder')


@MODELS.register_module()
class FrozenEncoderRecognizer(EncoderDecoderRecognizer):
    """``EncoderDecoderRecognizer`` that trains only the decoder (paper §5.1).

    The modules named in ``frozen_modules`` (those the model has) get
    ``requires_grad=False`` when built, so neither the optimizer nor DDP ever sees a
    gradient for them, and they stay in eval mode even after the runner calls
    ``model.train()``: BatchNorm keeps its pretrained running statistics and Dropout is off.
    The leading frozen stages run under ``torch.no_grad()``, so no activation is kept for
    them.

    The submodule names are those of the SeqCLR pretraining model, so its checkpoint (or the
    one written by ``tools/model_converters/export_encoder.py``) loads with ``load_from`` or
    ``init_cfg=dict(type='Pretrained', ...)``.

    Args:
        frozen_modules (Sequence[str]): Names among ``('preprocessor', 'backbone',
            'encoder')`` to freeze; names the model lacks are skipped. Defaults to all three.
        **kwargs: The arguments of ``EncoderDecoderRecognizer`` (``preprocessor``,
            ``backbone``, ``encoder``, ``decoder``, ``data_preprocessor``, ``init_cfg``).

    Example:
        >>> model = dict(
        ...     type='FrozenEncoderRecognizer',
        ...     frozen_modules=('preprocessor', 'backbone', 'encoder'),
        ...     backbone=dict(type='ResNet31OCR', base_channels=1),
        ...     encoder=dict(type='BiLSTMEncoder', in_channels=512, hidden_channels=256),
        ...     decoder=dict(type='CTCFrameDecoder', in_channels=256, in_features='H',
        ...                  dictionary=dictionary, module_loss=dict(type='CTCModuleLoss'),
        ...                  postprocessor=dict(type='CTCPostProcessor')),
        ...     data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[127],
        ...                            std=[127]))
    """

    def __init__(self, frozen_modules: Sequence[str] = FREEZABLE_MODULES, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.with_preprocessor:
            # MMOCR's TPS breaks under float16 autocast (--amp): control points and grid in float32.
            keep_tps_in_float32(self.preprocessor)
        if isinstance(frozen_modules, str):
            frozen_modules = (frozen_modules,)
        unknown = [name for name in frozen_modules if name not in FREEZABLE_MODULES]
        if unknown:
            raise ValueError(
                f'model.frozen_modules has unknown module names {unknown}; '
                f'choose among {FREEZABLE_MODULES}'
            )
        # Keep the forward order so the leading frozen stages can skip autograd.
        self.frozen_modules = tuple(
            name
            for name in FREEZABLE_MODULES
            if name in frozen_modules and getattr(self, name, None) is not None
        )
        for name in self.frozen_modules:
            module = getattr(self, name)
            module.requires_grad_(False)
            module.eval()

    def train(self, mode: bool = True) -> 'FrozenEncoderRecognizer':
        """Set the train mode, keeping the frozen modules in eval mode."""
        super().train(mode)
        for name in self.frozen_modules:
            getattr(self, name).eval()
        return self

    def extract_feat_and_encode(
        self, inputs: Tensor, data_samples: OptRecSampleList = None
    ) -> Tuple[Tensor, Optional[Tensor]]:
        """Backbone map and encoder output; the leading frozen stages run without autograd.

        A frozen stage after a trainable one still runs with autograd, so that gradients
        reach the trainable stage through it.
        """
        outer_grad = torch.is_grad_enabled()
        grad_needed = False

        def run_stage(name: str, stage, *args):
            nonlocal grad_needed
            grad_needed = grad_needed or name not in self.frozen_modules
            with torch.set_grad_enabled(outer_grad and grad_needed):
                return stage(*args)

        feat = inputs
        if self.with_preprocessor:
            feat = run_stage('preprocessor', self.preprocessor, feat)
        if self.with_backbone:
            feat = run_stage('backbone', self.backbone, feat)
        out_enc = None
        if self.with_encoder:
            out_enc = run_stage('encoder', self.encoder, feat, data_samples)
        return feat, out_enc

    def loss(self, inputs: Tensor, data_samples: RecSampleList, **kwargs) -> Dict:
        feat, out_enc = self.extract_feat_and_encode(inputs, data_samples)
        return self.decoder.loss(feat, out_enc, data_samples)

    def predict(self, inputs: Tensor, data_samples: RecSampleList, **kwargs) -> RecSampleList:
        feat, out_enc = self.extract_feat_and_encode(inputs, data_samples)
        return self.decoder.predict(feat, out_enc, data_samples)

    def _forward(self, inputs: Tensor, data_samples: OptRecSampleList = None, **kwargs):
        feat, out_enc = self.extract_feat_and_encode(inputs, data_samples)
        return self.decoder(feat, out_enc, data_samples)
