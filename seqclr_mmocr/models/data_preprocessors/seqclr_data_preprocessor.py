"""Normalises and pads the augmented views of a SeqCLR batch."""

from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.model import ImgDataPreprocessor
from mmengine.model.utils import stack_batch
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class SeqCLRDataPreprocessor(ImgDataPreprocessor):
    """Data preprocessor for contrastive pretraining on several views of each image.

    The dataloader yields, per sample, a list of view tensors (C, H, W) (see
    ``PackSeqCLRInputs``), which MMEngine's ``pseudo_collate`` regroups into one list of
    samples per view. Each view index is normalised and right-padded with MMEngine's
    :class:`ImgDataPreprocessor`, then all views are padded to one common width so the model
    can run them as one batch. Each data sample gets ``view_valid_ratios``: for every view,
    its unpadded width over the padded width, from which the model derives how many frames
    are real (padding frames never become instances).

    Args:
        mean, std, pad_size_divisor, pad_value, bgr_to_rgb, rgb_to_bgr: as in
            :class:`mmengine.model.ImgDataPreprocessor`.
        num_views (int): Views per sample. Defaults to 2.
        view_augment (dict, optional): A batched augmentation (e.g. ``BatchSeqCLRAugment``)
            that makes the views here, on the training device, from one loaded image per
            sample (pipeline without ``MultiView``). None (default): the pipeline made the
            views (imgaug path).

    Example:
        >>> # imgaug path: the pipeline's MultiView made two views per sample
        >>> data_preprocessor = dict(type='SeqCLRDataPreprocessor', mean=[127.5],
        ...                          std=[127.5], num_views=2)
        >>> # batched path: one image per sample, both views made on the device
        >>> data_preprocessor = dict(type='SeqCLRDataPreprocessor', mean=[127.5],
        ...                          std=[127.5], view_augment=dict(type='BatchSeqCLRAugment'))
    """

    def __init__(
        self,
        mean: Optional[Sequence[Union[float, int]]] = None,
        std: Optional[Sequence[Union[float, int]]] = None,
        pad_size_divisor: int = 1,
        pad_value: Union[float, int] = 0,
        bgr_to_rgb: bool = False,
        rgb_to_bgr: bool = False,
        num_views: int = 2,
        view_augment: Optional[dict] = None,
    ) -> None:
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=pad_size_divisor,
            pad_value=pad_value,
            bgr_to_rgb=bgr_to_rgb,
            rgb_to_bgr=rgb_to_bgr,
        )
        if num_views < 1:
            raise ValueError(f'SeqCLRDataPreprocessor.num_views must be >= 1, got {num_views}')
        self.num_views = num_views
        self.view_augment = MODELS.build(view_augment) if view_augment is not None else None

    def _check_views(self, views: List[Sequence[Tensor]], data_samples) -> None:
        expected = 1 if self.view_augment is not None else self.num_views
        # A view is a list of images (pseudo_collate) or one stacked batch (default_collate).
        if (
            isinstance(views, (list, tuple))
            and len(views) == expected
            and all(isinstance(v, (list, tuple, Tensor)) for v in views)
        ):
            return
        found = len(views) if isinstance(views, (list, tuple)) else 1
        path = data_samples[0].get('img_path', '') if data_samples else ''
        hint = (
            (
                'view_augment makes the views: the pipeline must pack one image per sample '
                '(no MultiView)'
            )
            if self.view_augment is not None
            else 'check the MultiView transform of the pipeline'
        )
        raise ValueError(
            f'SeqCLRDataPreprocessor expects {expected} view(s) per sample, got {found} '
            f'(first sample: {path!r}): {hint}'
        )

    def _augment_views(self, images: Sequence[Tensor]) -> List[Tensor]:
        """Make ``num_views`` normalised views of one raw image batch with ``view_augment``.

        The views are made in float32 with autocast disabled: under ``--amp`` the runner
        calls the data preprocessor inside the autocast region, where the warps' sampling
        grids and the filters would otherwise run in float16 (on CUDA).
        """
        with torch.autocast(device_type=images[0].device.type, enabled=False):
            return self._augment_views_float32(images)

    def _augment_views_float32(self, images: Sequence[Tensor]) -> List[Tensor]:
        raw = [img.float() for img in images]
        if self._channel_conversion:
            raw = [img[[2, 1, 0], ...] for img in raw]
        widths = torch.tensor([img.shape[-1] for img in raw], device=raw[0].device)
        batch = stack_batch(raw, self.pad_size_divisor, 0)
        padding = torch.arange(batch.shape[-1], device=batch.device)[None, :] >= widths[:, None]
        views = []
        for _ in range(self.num_views):
            view = self.view_augment(batch, widths)
            if self._enable_normalize:
                view = (view - self.mean) / self.std
            views.append(view.masked_fill(padding[:, None, None, :], self.pad_value))
        return views

    def forward(self, data: Dict, training: bool = False) -> Dict:
        data = self.cast_data(data)
        views, data_samples = data['inputs'], data.get('data_samples')
        self._check_views(views, data_samples)

        if self.view_augment is not None:
            batches = self._augment_views(views[0])
            widths = [[view.shape[-1] for view in views[0]]] * self.num_views
        else:
            # pseudo_collate turns per-sample view lists into one list per view.
            batches, widths = [], []
            for view_list in views:
                batches.append(super().forward(dict(inputs=view_list), training)['inputs'])
                widths.append([view.shape[-1] for view in view_list])

        height = batches[0].shape[-2]
        if any(b.shape[-2] != height for b in batches):
            raise ValueError(
                'all views of a batch must share one height after the pipeline, '
                f'got heights {[b.shape[-2] for b in batches]}: resize the views '
                'to a fixed height (e.g. Resize or RescaleToHeight)'
            )
        width = max(b.shape[-1] for b in batches)
        batches = [F.pad(b, (0, width - b.shape[-1]), value=self.pad_value) for b in batches]

        if data_samples is not None:
            for i, sample in enumerate(data_samples):
                sample.set_metainfo(
                    dict(
                        view_valid_ratios=tuple(w[i] / width for w in widths),
                        batch_input_shape=(height, width),
                    )
                )
        return dict(inputs=batches, data_samples=data_samples)
