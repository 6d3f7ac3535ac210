# Copyright (c) OpenMMLab. All rights reserved.
"""Unlabelled text images from a folder, for self-supervised pretraining."""

import os
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset
from mmengine.fileio import list_from_file
from mmengine.logging import print_log
from mmocr.registry import DATASETS


@DATASETS.register_module()
class ImageFolderDataset(BaseDataset):
    """Every image file under a folder, without labels.

    Each sample is ``dict(img_path=..., instances=[])``: no text, so the
    pipeline's ``PackSeqCLRInputs`` sets no ``gt_text``. Files are found by
    extension (case-insensitive), recursively by default, and sorted by their
    path relative to the folder, so the order (and ``indices=``) is the same
    on every machine and in every run.

    Instead of listing the folder, ``ann_file`` may name a text file with
    one image path per line, relative to the image folder (blank lines are
    ignored); listing millions of files on a network file system can be slow.

    The folder is ``data_prefix['img_path']`` joined to ``data_root``, as in
    MMOCR's datasets. An empty or missing folder, or an empty ``ann_file``,
    raises a ``ValueError`` when the dataset is built (unless ``lazy_init``),
    so a wrong path fails before training starts.

    Args:
        data_root (str): Root of the data. Defaults to ''.
        data_prefix (dict): ``img_path``: the image folder relative to
            ``data_root``. Defaults to ``dict(img_path='')``.
        ann_file (str): Optional list of images, one path per line, relative
            to ``data_root`` itself. Defaults to '' (list the folder).
        extensions (Sequence[str]): File extensions of images.
            Defaults to ``('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff',
            '.webp')``.
        recursive (bool): Whether to look into sub-folders. Defaults to True.
        backend_args (dict, optional): File backend arguments for reading
            ``ann_file``. Defaults to None.
        metainfo, filter_cfg, indices, serialize_data, pipeline, test_mode,
        lazy_init, max_refetch: As in :class:`mmengine.dataset.BaseDataset`.

    Example:
        >>> dict(type='ImageFolderDataset',
        ...      data_root='data/iam_unlabelled',
        ...      data_prefix=dict(img_path='words/'),
        ...      pipeline=[dict(type='LoadImageSafe',
        ...                     color_type='grayscale'),
        ...                dict(type='Resize', scale=(100, 32),
        ...                     keep_ratio=False),
        ...                dict(type='PackSeqCLRInputs')])
    """

    def __init__(
        self,
        data_root: str = '',
        data_prefix: dict = dict(img_path=''),
        ann_file: str = '',
        extensions: Sequence[str] = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp'),
        recursive: bool = True,
        backend_args: Optional[dict] = None,
        metainfo: Optional[dict] = None,
        filter_cfg: Optional[dict] = None,
        indices: Optional[Union[int, Sequence[int]]] = None,
        serialize_data: bool = True,
        pipeline: List[Union[dict, Callable]] = [],
        test_mode: bool = False,
        lazy_init: bool = False,
        max_refetch: int = 1000,
    ) -> None:
        if isinstance(extensions, str):
            extensions = (extensions,)
        self.extensions = tuple(
            (ext if ext.startswith('.') else '.' + ext).lower() for ext in extensions
        )
        if not self.extensions:
            raise ValueError(
                'ImageFolderDataset needs at least one file extension in `extensions`.'
            )
        self.recursive = recursive
        self.backend_args = backend_args
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=data_prefix,
            filter_cfg=filter_cfg,
            indices=indices,
            serialize_data=serialize_data,
            pipeline=pipeline,
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch,
        )

    def _list_folder(self, img_dir: str) -> List[str]:
        """Sorted paths, relative to ``img_dir``, of the images in it."""
        if not osp.isdir(img_dir):
            raise ValueError(
                f'ImageFolderDataset: image folder {img_dir!r} does not exist '
                'or is not a directory (check data_root and '
                "data_prefix['img_path'])."
            )
        relative_paths = []
        for folder, sub_folders, files in os.walk(img_dir, followlinks=True):
            sub_folders.sort()
            for name in files:
                if name.lower().endswith(self.extensions):
                    relative_paths.append(osp.relpath(osp.join(folder, name), img_dir))
            if not self.recursive:
                break
        return sorted(relative_paths)

    def _read_ann_file(self) -> List[str]:
        lines = list_from_file(self.ann_file, backend_args=self.backend_args)
        return [line.strip() for line in lines if line.strip()]

    def load_data_list(self) -> List[dict]:
        """List the images of the folder (or of ``ann_file``).

        Returns:
            list[dict]: ``dict(img_path=..., instances=[])`` per image.

        Raises:
            ValueError: If no image is found.
        """
        img_dir = self.data_prefix.get('img_path', '')
        if self.ann_file:
            relative_paths = self._read_ann_file()
            if not relative_paths:
                raise ValueError(f'ImageFolderDataset: ann_file {self.ann_file!r} lists no image.')
            source = f'ann_file {self.ann_file!r}'
        else:
            if not img_dir:
                raise ValueError(
                    'ImageFolderDataset needs an image folder: set data_root '
                    "or data_prefix['img_path']."
                )
            relative_paths = self._list_folder(img_dir)
            if not relative_paths:
                where = 'under' if self.recursive else 'directly in'
                raise ValueError(
                    'ImageFolderDataset: no images with extensions '
                    f'{list(self.extensions)} found {where} {img_dir!r}.'
                )
            source = f'folder {img_dir!r}'
        print_log(
            f'ImageFolderDataset: {len(relative_paths)} images from {source}', logger='current'
        )
        return [dict(img_path=osp.join(img_dir, path), instances=[]) for path in relative_paths]
