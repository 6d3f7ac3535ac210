# Copyright (c) OpenMMLab. All rights reserved.
"""Packing of (multi-view) SeqCLR samples."""

from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmcv.transforms import to_tensor
from mmcv.transforms.base import BaseTransform
from mmengine.structures import LabelData
from mmocr.registry import TRANSFORMS
from mmocr.structures import TextRecogDataSample


def image_to_chw_tensor(img: np.ndarray) -> torch.Tensor:
    """HxW or HxWxC array to a CxHxW tensor of the same dtype."""
    if img.ndim == 2:
        img = img[..., None]
    if img.ndim != 3:
        raise ValueError(f'Expected an HxW or HxWxC image, got shape {img.shape}')
    # Permuting a contiguous tensor is 3-5 times faster than transposing the
    # array first (open-mmlab/mmdetection#9533), as in PackTextRecogInputs.
    if img.flags.c_contiguous:
        return to_tensor(img).permute(2, 0, 1).contiguous()
    return to_tensor(np.ascontiguousarray(img.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackSeqCLRInputs(BaseTransform):
    """Pack one or several views of a text image for SeqCLR.

    The output is ``dict(inputs=..., data_samples=...)``:

    - inputs (list[torch.Tensor]): one CxHxW tensor per view (dtype kept,
      normally uint8); a grayscale HxW view becomes 1xHxW. A single image
      (not a list) gives a list of one view, for pipelines whose views are
      made later, on the device.
    - data_samples (TextRecogDataSample): the ``meta_keys`` present in the
      results as metainfo, and ``gt_text`` (``LabelData(item=text)``) only
      when the sample has a text, taken from ``gt_texts`` (as set by
      ``LoadOCRAnnotations``) or else from ``instances[0]['text']``.
      Unlabelled samples get no ``gt_text``.

    Required Keys:

    - img (np.ndarray or list[np.ndarray])
    - gt_texts (optional)
    - instances (optional)

    Args:
        meta_keys (Sequence[str]): Keys copied to the metainfo when present.
            With several views ``img_shape`` is the list of view shapes.
            Defaults to ``('img_path', 'ori_shape', 'img_shape')``.

    Example:
        >>> dict(type='PackSeqCLRInputs',
        ...      meta_keys=('img_path', 'ori_shape', 'img_shape'))
    """

    def __init__(self, meta_keys: Sequence[str] = ('img_path', 'ori_shape', 'img_shape')) -> None:
        self.meta_keys = tuple(meta_keys)

    @staticmethod
    def _text_of(results: Dict) -> Optional[str]:
        gt_texts = results.get('gt_texts')
        if gt_texts:
            if len(gt_texts) != 1:
                raise ValueError(
                    'Each text image must carry one text, got '
                    f'{len(gt_texts)} in gt_texts of '
                    f'{results.get("img_path", "<no img_path>")}'
                )
            return gt_texts[0]
        instances = results.get('instances')
        if instances and 'text' in instances[0]:
            return instances[0]['text']
        return None

    def transform(self, results: Dict) -> Dict:
        """Pack the views and the data sample.

        Args:
            results (dict): Result dict from the data pipeline.

        Returns:
            dict: ``inputs`` (list of tensors) and ``data_samples``.
        """
        if 'img' not in results:
            raise KeyError(
                'PackSeqCLRInputs needs "img" in the results of '
                f'{results.get("img_path", "<no img_path>")}'
            )
        views = results['img']
        if not isinstance(views, (list, tuple)):
            views = [views]
        inputs: List[torch.Tensor] = [image_to_chw_tensor(v) for v in views]

        data_sample = TextRecogDataSample()
        text = self._text_of(results)
        if text is not None:
            data_sample.gt_text = LabelData(item=text)
        data_sample.set_metainfo({k: results[k] for k in self.meta_keys if k in results})
        return dict(inputs=inputs, data_samples=data_sample)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
