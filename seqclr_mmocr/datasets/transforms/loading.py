# Copyright (c) OpenMMLab. All rights reserved.
"""Image loading that skips unreadable files instead of stopping training, and composites
transparent images over a background instead of dropping their alpha channel."""

import logging
import os
from typing import Dict, List, Optional, Tuple

import cv2
import mmcv
import numpy as np
from mmengine import fileio
from mmengine.logging import print_log
from mmocr.datasets.transforms import InferencerLoader, LoadImageFromFile
from mmocr.registry import TRANSFORMS

from seqclr_mmocr.datasets.bad_inputs import PLACEHOLDER_SHAPE, count_bad_input

ON_ERROR = ('skip', 'placeholder')
PLACEHOLDER_SIZE = 32
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
# cv2's BGR-to-gray weights.
_GRAY_WEIGHTS = np.array([0.114, 0.587, 0.299], np.float32)


def may_have_transparency(img_bytes: bytes) -> bool:
    """Whether an encoded image can carry transparency, read from its header only.

    True for a PNG with an alpha channel (RGBA, gray + alpha) or a ``tRNS`` chunk (palette
    or single-colour transparency), and for a WebP with alpha. Other formats give False.
    """
    if img_bytes[:8] == PNG_SIGNATURE:
        if len(img_bytes) > 25 and img_bytes[25] in (4, 6):  # IHDR colour type with alpha
            return True
        pos = 8
        while pos + 8 <= len(img_bytes):  # tRNS comes before the first IDAT
            kind = img_bytes[pos + 4 : pos + 8]
            if kind == b'tRNS':
                return True
            if kind in (b'IDAT', b'IEND'):
                return False
            pos += 12 + int.from_bytes(img_bytes[pos : pos + 4], 'big')
        return False
    if img_bytes[:4] == b'RIFF' and img_bytes[8:12] == b'WEBP' and len(img_bytes) > 24:
        chunk = img_bytes[12:16]
        if chunk == b'VP8X':
            return bool(img_bytes[20] & 0x10)  # alpha flag
        if chunk == b'VP8L':
            return bool(img_bytes[24] & 0x10)  # alpha_is_used bit
    return False


def composite_over_background(image: np.ndarray) -> Tuple[np.ndarray, Optional[int]]:
    """Flatten a BGRA image to BGR as a viewer shows it; return it and the background.

    The background is white, or black when the opaque part is light (white text drawn
    in the alpha channel), so that the text keeps its contrast. An image that is fully
    opaque, or has no alpha channel, comes back unchanged but for the dropped alpha,
    with background None.
    """
    if image.ndim != 3 or image.shape[2] != 4:
        return image, None
    scale = float(np.iinfo(image.dtype).max) if image.dtype.kind == 'u' else 1.0
    alpha = image[..., 3].astype(np.float32) / scale
    colour = image[..., :3].astype(np.float32) * (255.0 / scale)
    if alpha.min() >= 1.0:
        return np.round(colour).astype(np.uint8), None
    weight = float(alpha.sum())
    luminance = colour @ _GRAY_WEIGHTS
    foreground = float((luminance * alpha).sum()) / weight if weight > 0 else 0.0
    background = 0 if foreground > 127.5 else 255
    alpha = alpha[..., None]
    flat = colour * alpha + background * (1.0 - alpha)
    return np.clip(np.round(flat), 0, 255).astype(np.uint8), background


def decode_image(
    img_bytes: bytes, color_type: str = 'color', backend: str = 'cv2'
) -> Tuple[Optional[np.ndarray], Optional[int]]:
    """Decode like ``mmcv.imfrombytes``, but composite a transparent image over its
    background (:func:`composite_over_background`) instead of dropping its alpha channel,
    which leaves an all-black image when the text is drawn only in the alpha channel.

    Returns the image (BGR, or gray for a ``'grayscale'`` colour type) and the background
    it was composited over (None when nothing was composited). ``color_type='unchanged'``
    keeps the channels as stored.
    """
    if color_type != 'unchanged' and may_have_transparency(img_bytes):
        image = cv2.imdecode(np.frombuffer(img_bytes, np.uint8), cv2.IMREAD_UNCHANGED)
        if image is not None and image.ndim == 3 and image.shape[2] == 4:
            flat, background = composite_over_background(image)
            if color_type.startswith('grayscale'):
                flat = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)
            return flat, background
    return mmcv.imfrombytes(img_bytes, flag=color_type, backend=backend), None


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
    ``color_type='color'`` every file gives HxWx3 BGR, with
    ``color_type='grayscale'`` HxW. A transparent image (PNG with an alpha
    channel or a transparent palette colour, WebP with alpha) is first
    composited over white, or over black when its opaque part is light, as
    an image viewer shows it (:func:`decode_image`): cv2 alone drops the
    alpha channel, and a word drawn only in it (common for crops exported
    from drawing tools) would load as an all-black image. Composited images
    are counted in ``LoadImageSafe.num_composited``, and the first one of
    each process is named in a warning.

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
    num_composited: int = 0

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
            img_bytes = fileio.get(filename, backend_args=self.backend_args)
            img, background = decode_image(img_bytes, self.color_type, self.imdecode_backend)
        except Exception as error:  # any read/decode failure skips the file
            self._record_skip(filename, f'{type(error).__name__}: {error}')
            return self._skipped(results)
        if img is None or img.size == 0:
            self._record_skip(filename, 'decoded to an empty image')
            return self._skipped(results)
        if min(img.shape[:2]) < self.min_size:
            self._record_skip(
                filename, f'{img.shape[1]}x{img.shape[0]} is below min_size {self.min_size}'
            )
            return self._skipped(results)
        if background is not None:
            self._record_composite(filename, background)
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    @classmethod
    def _record_composite(cls, filename: str, background: int) -> None:
        LoadImageSafe.num_composited += 1
        if LoadImageSafe.num_composited == 1:
            print_log(
                f"{cls.__name__}: image '{filename}' is transparent: composited over "
                f'{"white" if background == 255 else "black"} (alpha channel flattened '
                'as a viewer shows it). Further transparent images are composited without '
                f'a warning; LoadImageSafe.num_composited counts them (pid {os.getpid()}).',
                logger='current',
                level=logging.WARNING,
            )

    def _skipped(self, results: Dict) -> Optional[Dict]:
        if self.on_error == 'skip':
            return None
        channels = () if self.color_type == 'grayscale' else (3,)
        img = np.full((PLACEHOLDER_SIZE, PLACEHOLDER_SIZE) + channels, 255, np.uint8)
        results['img'] = img.astype(np.float32) if self.to_float32 else img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = PLACEHOLDER_SHAPE
        return results


class SafeLoadingInferencerMixin:
    """Image loading of an MMOCR inferencer (``TextRecInferencer`` and the like) through
    :class:`LoadImageSafe`, so that inference composites transparent images as training
    and testing do.

    MMOCR's inferencers look for ``LoadImageFromFile`` in the config's test pipeline and
    load with it (``InferencerLoader``): transparent images would load as in plain cv2,
    and a config whose test pipeline loads with ``LoadImageSafe`` (the one that
    ``tools/train.py`` and ``tools/test.py`` dump into the work dir) would be refused
    ("None of ['LoadImageFromFile', ...] is found in the test pipeline"). Put the mixin
    first in the bases::

        class SafeTextRecInferencer(SafeLoadingInferencerMixin, TextRecInferencer):
            pass
    """

    def _init_pipeline(self, cfg):
        for transform in cfg.test_dataloader.dataset.pipeline:
            type_ = transform.get('type') if isinstance(transform, dict) else None
            if isinstance(type_, str) and type_.split('.')[-1] == 'LoadImageSafe':
                transform.pop('on_error', None)
                transform['type'] = 'LoadImageFromFile'
        pipeline = super()._init_pipeline(cfg)
        for transform in pipeline.transforms:
            if isinstance(transform, InferencerLoader):
                plain = transform.from_file
                transform.from_file = LoadImageSafe(
                    to_float32=plain.to_float32,
                    color_type=plain.color_type,
                    imdecode_backend=plain.imdecode_backend,
                    min_size=plain.min_size,
                    on_error='placeholder',
                    backend_args=plain.backend_args,
                )
        return pipeline
