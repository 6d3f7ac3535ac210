# Copyright (c) OpenMMLab. All rights reserved.
"""Image loading that skips unreadable files instead of stopping training."""
import logging
import os
from typing import Dict, List, Optional

from mmengine.logging import print_log

from mmocr.datasets.transforms import LoadImageFromFile
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadImageSafe(LoadImageFromFile):
    """Load an image, or skip it with a warning when it cannot be read.

    A file that is missing, unreadable, truncated, empty, decodes to nothing
    or is smaller than ``min_size`` makes the transform log a warning naming
    the file and the reason, count it, and return None. In training mode
    MMEngine's ``BaseDataset.__getitem__`` then draws another random index
    (up to ``max_refetch`` times), so one corrupt image in millions does not
    stop a pretraining run. In ``test_mode`` ``BaseDataset`` raises on None
    instead: evaluation data must be clean, so use ``LoadImageFromFile``
    there.

    The count is per process (each dataloader worker counts its own skips):
    ``LoadImageSafe.num_skipped`` and the first
    ``LoadImageSafe.MAX_EXAMPLES`` paths in ``LoadImageSafe.skipped_examples``.

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
        backend_args (dict, optional): File backend arguments, see
            ``mmengine.fileio.get``. Defaults to None.

    Example:
        >>> dict(type='LoadImageSafe', color_type='grayscale')
    """

    MAX_EXAMPLES = 5
    num_skipped: int = 0
    skipped_examples: List[str] = []

    def __init__(self,
                 to_float32: bool = False,
                 color_type: str = 'color',
                 imdecode_backend: str = 'cv2',
                 min_size: int = 0,
                 *,
                 backend_args: Optional[dict] = None) -> None:
        super().__init__(
            to_float32=to_float32,
            color_type=color_type,
            imdecode_backend=imdecode_backend,
            min_size=min_size,
            ignore_empty=False,
            backend_args=backend_args)

    @classmethod
    def _record_skip(cls, filename: str, reason: str) -> None:
        # Always count on LoadImageSafe itself so subclasses share the tally.
        LoadImageSafe.num_skipped += 1
        if len(LoadImageSafe.skipped_examples) < cls.MAX_EXAMPLES:
            LoadImageSafe.skipped_examples.append(filename)
        print_log(
            f"{cls.__name__}: skipped corrupt image '{filename}' "
            f'({LoadImageSafe.num_skipped} skipped so far in this process, '
            f'pid {os.getpid()}): {reason}',
            logger='current',
            level=logging.WARNING)

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
            return None
        if loaded is None or loaded['img'].size == 0:
            self._record_skip(filename, 'decoded to an empty image')
            return None
        return loaded
