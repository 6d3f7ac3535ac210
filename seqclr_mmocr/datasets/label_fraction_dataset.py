"""A reproducible random fraction of a labelled dataset (SeqCLR Table 2)."""

import copy
import json
import logging
import numbers
import os
import os.path as osp
from typing import Any, List, Optional, Union

import numpy as np
from mmengine.dataset import BaseDataset, force_full_init
from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmocr.registry import DATASETS


def label_fraction_indices(dataset_length: int, fraction: float, seed: int) -> List[int]:
    """Indices of the ``fraction`` subset of a dataset of given length.

    The subset is the first ``max(1, round(fraction * dataset_length))``
    entries of one random permutation of ``range(dataset_length)``, drawn
    from ``numpy.random.RandomState(seed)``, returned sorted. It depends only
    on ``(dataset_length, fraction, seed)``, so every method compared on the
    same dataset and seed trains on the same samples; and for one seed the
    subsets are nested (the 5% subset lies inside the 10% subset).
    ``RandomState`` is used because NumPy keeps its stream fixed across
    versions (``Generator`` streams may change).

    Args:
        dataset_length (int): Number of samples of the full dataset.
        fraction (float): Share of samples to keep, in (0, 1].
        seed (int): Seed of the permutation.

    Returns:
        list[int]: The chosen indices, in increasing order.
    """
    num_samples = max(1, round(fraction * dataset_length))
    permutation = np.random.RandomState(seed).permutation(dataset_length)
    return sorted(permutation[:num_samples].tolist())


@DATASETS.register_module()
class LabelFractionDataset:
    """A wrapper keeping a reproducible random fraction of a dataset.

    Used to fine-tune on 5% or 10% of the labels, as in the paper's
    semi-supervised experiments ("the same randomly selected data for all
    the experiments"). The subset has
    ``max(1, round(fraction * len(dataset)))`` samples (Python's ``round``:
    halves go to the even number) and is chosen by
    :func:`label_fraction_indices`: it depends only on the length of the
    wrapped dataset, ``fraction`` and ``seed``, not on the method or model,
    and subsets of one seed are nested. Sample ``i`` of the wrapper is
    sample ``indices[i]`` of the wrapped dataset, with ``indices`` sorted.

    Like MMEngine's ``RepeatDataset``, this wrapper does not inherit
    ``BaseDataset``; ``get_subset`` and ``get_subset_`` are not supported
    (set ``indices`` on the wrapped dataset instead).

    Args:
        dataset (BaseDataset or dict): The dataset, or its config. Any MMOCR
            dataset works (``OCRDataset``, ``RecogTextDataset``,
            ``RecogLMDBDataset``, ``ConcatDataset``, ...).
        fraction (float): Share of the samples to keep, in (0, 1].
        seed (int): Seed of the random choice. Defaults to 0.
        indices_file (str, optional): If given, the main process writes the
            chosen indices there as JSON (with ``fraction``, ``seed``,
            ``dataset_length`` and ``num_samples``) so the subset can be
            checked. Defaults to None.
        lazy_init (bool): Whether to defer loading the annotations and
            choosing the subset until first needed. Defaults to False.

    Example:
        >>> train_dataset = dict(
        ...     type='LabelFractionDataset',
        ...     fraction=0.05,
        ...     seed=0,
        ...     indices_file='work_dirs/iam_5pct/label_fraction_indices.json',
        ...     dataset=dict(
        ...         type='OCRDataset',
        ...         data_root='data/iam',
        ...         ann_file='textrecog_train.json',
        ...         pipeline=train_pipeline))
    """

    def __init__(
        self,
        dataset: Union[BaseDataset, dict],
        fraction: float,
        seed: int = 0,
        indices_file: Optional[str] = None,
        lazy_init: bool = False,
    ) -> None:
        if (
            isinstance(fraction, bool)
            or not isinstance(fraction, numbers.Real)
            or not 0 < fraction <= 1
        ):
            raise ValueError(
                f'LabelFractionDataset: `fraction` must be a number in (0, 1], got {fraction!r}'
            )
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f'LabelFractionDataset: `seed` must be an int, got {seed!r}')
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if not (hasattr(dataset, '__getitem__') and hasattr(dataset, '__len__')):
            raise TypeError(
                'LabelFractionDataset: `dataset` must be a '
                'dataset or a dataset config dict, got '
                f'{type(dataset)}'
            )
        self.dataset = dataset
        self.fraction = float(fraction)
        self.seed = int(seed)
        self.indices_file = indices_file
        self._indices: List[int] = []

        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """The meta information of the wrapped dataset (a copy).

        Read from the wrapped dataset each time: a lazily initialised
        ``BaseDataset`` only loads the meta information of its annotation
        file in ``full_init``.
        """
        return copy.deepcopy(getattr(self.dataset, 'metainfo', {}))

    @property
    @force_full_init
    def indices(self) -> List[int]:
        """The chosen indices into the wrapped dataset, sorted (a copy)."""
        return list(self._indices)

    def full_init(self) -> None:
        """Fully initialise the wrapped dataset and choose the subset."""
        if self._fully_initialized:
            return
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()
        dataset_length = len(self.dataset)
        if dataset_length == 0:
            raise ValueError(
                f'LabelFractionDataset: the wrapped dataset {type(self.dataset).__name__} is empty'
            )
        self._indices = label_fraction_indices(dataset_length, self.fraction, self.seed)
        print_log(
            f'LabelFractionDataset: keeping {len(self._indices)} of '
            f'{dataset_length} samples (fraction={self.fraction}, '
            f'seed={self.seed})',
            logger='current',
            level=logging.INFO,
        )
        if self.indices_file is not None and is_main_process():
            self._write_indices(dataset_length)
        self._fully_initialized = True

    def _write_indices(self, dataset_length: int) -> None:
        dir_name = osp.dirname(osp.abspath(self.indices_file))
        os.makedirs(dir_name, exist_ok=True)
        with open(self.indices_file, 'w', encoding='utf-8') as f:
            json.dump(
                dict(
                    fraction=self.fraction,
                    seed=self.seed,
                    dataset_length=dataset_length,
                    num_samples=len(self._indices),
                    indices=self._indices,
                ),
                f,
            )

    @force_full_init
    def _get_ori_dataset_idx(self, idx: int) -> int:
        return self._indices[idx]

    @force_full_init
    def get_data_info(self, idx: int) -> dict:
        """The annotation of sample ``idx`` of the subset.

        Args:
            idx (int): Index into the subset.

        Returns:
            dict: The annotation, from the wrapped dataset.
        """
        return self.dataset.get_data_info(self._get_ori_dataset_idx(idx))

    def __getitem__(self, idx: int) -> Any:
        if not self._fully_initialized:
            print_log(
                'Please call `full_init` method manually to accelerate the speed.',
                logger='current',
                level=logging.WARNING,
            )
            self.full_init()
        return self.dataset[self._get_ori_dataset_idx(idx)]

    @force_full_init
    def __len__(self) -> int:
        return len(self._indices)

    def get_subset_(self, indices: Union[List[int], int]) -> None:
        """Not supported: the sub-dataset would be ambiguous."""
        raise NotImplementedError(
            '`LabelFractionDataset` does not support `get_subset` and '
            '`get_subset_`; set `indices` on the wrapped dataset instead.'
        )

    def get_subset(self, indices: Union[List[int], int]) -> Any:
        """Not supported: the sub-dataset would be ambiguous."""
        raise NotImplementedError(
            '`LabelFractionDataset` does not support `get_subset` and '
            '`get_subset_`; set `indices` on the wrapped dataset instead.'
        )
