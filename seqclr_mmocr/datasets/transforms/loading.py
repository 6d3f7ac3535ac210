# Copyright (c) OpenMMLab. All rights reserved.
"""Image loading that skips unreadable files instead of stopping training."""

import logging
import os
from typing import Dict, List, Optional

import numpy as np
from mmengine.logging import print_log
from mmocr.datasets.transforms import LoadImageFromFile
from mmocr.registry import TRANSFORMS

from seqclr_mmocr.datasets.bad_inputs import PLACEHOLDER_SHAPE, count_bad_input

ON_ERROR = ('skip', 'placeholder')
PLACEHOLDER_SIZE = 32


@TRANSFORMS.register_module()
class LoadImageSafe(LoadImageFromFile):
    """Load an image, or skip it with a warning when it cannot be read.

    A file that is missing, unreadable, truncated, empty, decodes to nothing
    or is smaller than ``min_size`` makes the transform log a warning naming
    the file and the reason, count it, and return None. In training mode
    MMEngine's ``BaseDataset.__getitem__`` then draws another random index
    (up to ``max_refetch`` times), so one corrupt image in millions does not
    stop a pretraining run. In ``test_mode`` ``BaseDataset`` raises on None
    instead, so evaluation pipelines use ``on_error='placeholder'`` (the
    training and test tools set it): the bad image becomes a blank
    placeholder whose ``ori_shape`` is ``(0, 0)``, and the metrics leave it
    out and report it, so the skip shows in the evaluated sample count.

    The count is per process (each dataloader worker counts its own skips):
    ``LoadImageSafe.num_skipped`` and the first
    ``LoadImageSafe.MAX_EXAMPLES`` paths in ``LoadImageSafe.skipped_examples``;
    the totals over workers and ranks are in
    :mod:`seqclr_mmocr.datasets.bad_inputs`.

    Colour handling is ``mmcv.imfrombytes``'s (cv2 backend): with
    ``color_type='color'`` grayscale and RGBA files both give HxWx3 BGR (the
    alpha channel is dropped, not composited); with
    ``color_type='grayscale'`` every file gives HxW.

    Required Keys:

    - img_path

    Modified Keys:

    - img
    - img_shape
    - ori_shape

    Args:
        to_float32 (bool): Whether to convert the image to float32.
            Defaults to False.
        color_type (str): ``mmcv.imfrombytes`` flag: 'color', 'grayscale'
            or 'unchanged'. Defaults to 'color'.
        imdecode_backend (str): ``mmcv.imfrombytes`` backend.
            Defaults to 'cv2'.
        min_size (int): Images whose shorter side is below this are skipped
            as broken. Defaults to 0.
        on_error (str): ``'skip'`` (return None) or ``'placeholder'`` (return
            a blank image marked as skipped, for test-mode datasets).
            Defaults to 'skip'.
        backend_args (dict, optional): File backend arguments, see
            ``mmengine.fileio.get``. Defaults to None.

    Example:
        >>> dict(type='LoadImageSafe', color_type='grayscale')
    """

    MAX_EXAMPLES = 5
    num_skipped: int = 0
    skipped_examples: List[str] = []

    def __init__(
        self,
        to_float32: bool = False,
        color_type: str = 'color',
        imdecode_backend: str = 'cv2',
        min_size: int = 0,
        on_error: str = 'skip',
        *,
        backend_args: Optional[dict] = None,
    ) -> None:
        if on_error not in ON_ERROR:
            raise ValueError(f'LoadImageSafe: on_error must be one of {ON_ERROR}, got {on_error!r}')
        self.on_error = on_error
        super().__init__(
            to_float32=to_float32,
            color_type=color_type,
            imdecode_backend=imdecode_backend,
            min_size=min_size,
            ignore_empty=False,
            backend_args=backend_args,
        )

    @classmethod
    def _record_skip(cls, filename: str, reason: str) -> None:
        # Always count on LoadImageSafe itself so subclasses share the tally.
        LoadImageSafe.num_skipped += 1
        count_bad_input('skipped_images', item=filename)
        if len(LoadImageSafe.skipped_examples) < cls.MAX_EXAMPLES:
            LoadImageSafe.skipped_examples.append(filename)
        print_log(
            f"{cls.__name__}: skipped corrupt image '{filename}' "
            f'({LoadImageSafe.num_skipped} skipped so far in this process, '
            f'pid {os.getpid()}): {reason}',
            logger='current',
            level=logging.WARNING,
        )

    def transform(self, results: Dict) -> Optional[Dict]:
        """Load the image of ``results['img_path']``.

        Args:
            results (dict): Result dict with ``img_path``.

        Returns:
            dict or None: The results with the image, or None when the file
            cannot be used.
        """
        filename = results['img_path']
        try:
            loaded = super().transform(results)
        except Exception as error:  # any read/decode failure skips the file
            self._record_skip(filename, f'{type(error).__name__}: {error}')
            return self._skipped(results)
        if loaded is None or loaded['img'].size == 0:
            self._record_skip(filename, 'decoded to an empty image')
            return self._skipped(results)
        return loaded

    def _skipped(self, results: Dict) -> Optional[Dict]:
        if self.on_error == 'skip':
            return None
        channels = () if self.color_type == 'grayscale' else (3,)
        img = np.full((PLACEHOLDER_SIZE, PLACEHOLDER_SIZE) + channels, 255, np.uint8)
        results['img'] = img.astype(np.float32) if self.to_float32 else img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = PLACEHOLDER_SHAPE
        return results
