"""Datasets, dataset wrappers and transforms (registered in MMOCR's DATASETS/TRANSFORMS)."""

from .image_folder_dataset import ImageFolderDataset
from .label_fraction_dataset import LabelFractionDataset
from .parsers import LabelOptionalLineStrParser
from .transforms import *  # noqa: F401,F403

__all__ = ['ImageFolderDataset', 'LabelFractionDataset', 'LabelOptionalLineStrParser']
