"""Datasets, dataset wrappers and transforms (registered in MMOCR's DATASETS/TRANSFORMS)."""
from .label_fraction_dataset import LabelFractionDataset
from .transforms import *  # noqa: F401,F403

__all__ = ['LabelFractionDataset']
