"""The base encoder f(.) shared by SeqCLR and the SimCLR baselines."""

import logging
from abc import abstractmethod
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import print_log
from mmengine.model import BaseModel
from mmocr.registry import MODELS
from torch import Tensor

from ..losses.sequence_contrastive_loss import NoNegativesError
from ..preprocessors import keep_tps_in_float32
from ..utils.sequence_utils import map_to_sequence, valid_lengths

REPRESENTATIONS = ('visual', 'contextual')


class BaseContrastiveRecognizer(BaseModel):
    """Base encoder of a text recognizer, pretrained by a contrastive loss on two views.

    The submodules are named ``preprocessor``, ``backbone`` and ``encoder`` exactly as in
    MMOCR's ``EncoderDecoderRecognizer``, so a pretraining checkpoint loads into the
    matching MMOCR recognizer with no key surgery (only the decoder is missing, and the
    pretraining-only ``head`` is unexpected).

    The representation R (paper §4) is either the visual frames V (the backbone map pooled
    over its height, ``representation='visual'``) or the encoder's output
    (``representation='contextual'``: H, or concat(H, V) with ``BiLSTMEncoder(output='HV')``).

    Subclasses turn the frames of both views into aligned instances (:meth:`embed`).

    Args:
        backbone (dict): MMOCR backbone config (``ResNet``, ``ResNet31OCR``, ``MiniVGG``...).
        loss (dict): Contrastive loss config, e.g. ``dict(type='SequenceContrastiveLoss')``.
        preprocessor (dict, optional): MMOCR preprocessor config, e.g. ``STN`` (TPS).
        encoder (dict, optional): Sequence model config, e.g. ``BiLSTMEncoder``.
        representation (str): ``'visual'`` or ``'contextual'``. Defaults to 'contextual'.
        data_preprocessor (dict, optional): ``SeqCLRDataPreprocessor`` config.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(
        self,
        backbone: dict,
        loss: dict,
        preprocessor: Optional[dict] = None,
        encoder: Optional[dict] = None,
        representation: str = 'contextual',
        data_preprocessor: Optional[dict] = None,
        init_cfg: Optional[dict] = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if representation not in REPRESENTATIONS:
            raise ValueError(
                f'model.representation must be one of {REPRESENTATIONS}, got {representation!r}'
            )
        if representation == 'contextual' and encoder is None:
            raise ValueError(
                "model.representation='contextual' needs a sequence model in "
                "model.encoder (e.g. dict(type='BiLSTMEncoder', ...)); use "
                "representation='visual' for the backbone frames V"
            )
        self.representation = representation
        if preprocessor is not None:
            self.preprocessor = MODELS.build(preprocessor)
            # MMOCR's TPS breaks under float16 autocast (--amp): control points and grid in float32.
            keep_tps_in_float32(self.preprocessor)
        self.backbone = MODELS.build(backbone)
        if encoder is not None:
            self.encoder = MODELS.build(encoder)
        self.loss_module = MODELS.build(loss)

    @property
    def with_preprocessor(self) -> bool:
        return getattr(self, 'preprocessor', None) is not None

    @property
    def with_encoder(self) -> bool:
        return getattr(self, 'encoder', None) is not None

    def extract_frames(
        self, inputs: Tensor, valid_ratios: Optional[Sequence[float]] = None
    ) -> Tuple[Tensor, Tensor]:
        """Run f(.) on a batch: returns frames R (N, T, F) and valid lengths (N,)."""
        if self.with_preprocessor:
            inputs = self.preprocessor(inputs)
            # TPS resamples the whole padded input to a fixed size: every frame is real.
            valid_ratios = None
        feat = self.backbone(inputs)
        if self.representation == 'visual':
            frames = map_to_sequence(feat)
        else:
            samples = None if valid_ratios is None else [dict(valid_ratio=r) for r in valid_ratios]
            frames = self.encoder(feat, samples)
        lengths = valid_lengths(valid_ratios, frames.size(1), frames.size(0), frames.device)
        return frames, lengths

    @staticmethod
    def _view_ratios(data_samples: Optional[list], views: Sequence[int]) -> Optional[List[float]]:
        """Valid-width ratios of the given views, view-major, as the views are batched;
        None when the data preprocessor did not record them."""
        if data_samples is None or not all('view_valid_ratios' in s for s in data_samples):
            return None
        return [s.view_valid_ratios[v] for v in views for s in data_samples]

    def _frames_of_views(
        self, inputs: Union[Tensor, List[Tensor]], data_samples: Optional[list]
    ) -> Tuple[Tensor, Tensor, int]:
        """Run both views as one batch; returns frames, common lengths and N."""
        if isinstance(inputs, Tensor) or len(inputs) != 2:
            raise ValueError(
                'contrastive training needs exactly two views per batch, got '
                f'{1 if isinstance(inputs, Tensor) else len(inputs)}'
            )
        num_images = inputs[0].size(0)
        ratios = self._view_ratios(data_samples, views=(0, 1))
        frames, lengths = self.extract_frames(torch.cat(list(inputs), dim=0), ratios)
        # Both views of one image must give the same instances: keep the shorter length.
        common = torch.minimum(lengths[:num_images], lengths[num_images:])
        return frames, torch.cat([common, common]), num_images

    @abstractmethod
    def embed(self, frames: Tensor, lengths: Tensor, num_images: int) -> Tuple[Tensor, Tensor]:
        """Turn the frames of both views (2N, T, F) into aligned instances (M, F') each."""

    @abstractmethod
    def mapping_name(self) -> str:
        """How images become instances, for error messages (e.g. ``AllToInstance()``)."""

    def loss(self, inputs: List[Tensor], data_samples: Optional[list] = None) -> Dict:
        frames, lengths, num_images = self._frames_of_views(inputs, data_samples)
        instances_a, instances_b = self.embed(frames, lengths, num_images)
        try:
            loss, retrieval_acc = self.loss_module(instances_a, instances_b)
        except NoNegativesError as err:
            # Every rank sees the same global count, so every rank stops here together.
            paths = [s.get('img_path') for s in data_samples or [] if s.get('img_path')]
            raise NoNegativesError(err.num_global, err.num_local).with_message(
                f'Contrastive batch without negatives: batch size {num_images} on this rank, '
                f'mapping {self.mapping_name()} -> {err.num_local} instance(s) per view here, '
                f'{err.num_global} over all ranks. Every instance needs at least one other '
                'instance in the batch to contrast with; use a larger batch (or more '
                'instances per image), and drop_last=True so that a short last batch cannot '
                f'hold a single image{f" (first image: {paths[0]})" if paths else ""}.'
            ) from err
        return dict(loss=loss, retrieval_acc=retrieval_acc)

    def predict(self, inputs: List[Tensor], data_samples: Optional[list] = None) -> list:
        """Label-free validation: the batch's loss and positive-pair retrieval accuracy.

        Both are batch-level quantities; each sample carries its batch's values and the
        metric averages them weighted by batch size.

        A batch with a single instance per view over all ranks (a short last batch of one
        image, with one instance per image) has nothing to contrast its instance with: its
        samples are marked ``no_negatives`` instead of scored, and the metric leaves them
        out and counts them. Every rank sees the same global count, so all ranks do so
        together.
        """
        try:
            losses = self.loss(inputs, data_samples)
        except NoNegativesError as err:
            print_log(
                f'{type(self).__name__}: a validation batch of {len(data_samples or [1])} '
                f'image(s) on this rank holds {err.num_global} instance per view over all '
                'ranks: no negative to score it against, so it is left out of the metric '
                "(a short last batch; see ContrastiveRetrievalMetric's unscored_samples)",
                logger='current',
                level=logging.WARNING,
            )
            if data_samples is None:
                return [dict(no_negatives=True)]
            for sample in data_samples:
                sample.set_metainfo(dict(no_negatives=True))
            return data_samples
        loss = float(losses['loss'])
        acc = float(losses['retrieval_acc'])
        if data_samples is None:
            return [dict(contrastive_loss=loss, retrieval_acc=acc)]
        for sample in data_samples:
            sample.set_metainfo(dict(contrastive_loss=loss, retrieval_acc=acc))
        return data_samples

    def _forward(
        self, inputs: Union[Tensor, List[Tensor]], data_samples: Optional[list] = None
    ) -> Tensor:
        """Frames R (N, T, F) of the first view (or of a plain image batch)."""
        images = inputs if isinstance(inputs, Tensor) else inputs[0]
        ratios = self._view_ratios(data_samples, views=(0,))
        return self.extract_frames(images, ratios)[0]

    def forward(
        self,
        inputs: Union[Tensor, List[Tensor]],
        data_samples: Optional[list] = None,
        mode: str = 'tensor',
    ):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": use "loss", "predict" or "tensor"')
