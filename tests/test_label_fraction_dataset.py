"""Tests of LabelFractionDataset on MMOCR's OCRDataset."""

import json

import numpy as np
import pytest
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from seqclr_mmocr.datasets.label_fraction_dataset import (
    LabelFractionDataset,
    label_fraction_indices,
)

NUM_SAMPLES = 40


def write_annotations(path, texts):
    ann = dict(
        metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
        data_list=[
            dict(img_path=f'img_{i}.png', instances=[dict(text=text)])
            for i, text in enumerate(texts)
        ],
    )
    path.write_text(json.dumps(ann), encoding='utf-8')
    return str(path)


@pytest.fixture
def ann_file(tmp_path):
    texts = [f'word{i}' for i in range(NUM_SAMPLES)]
    return write_annotations(tmp_path / 'train.json', texts)


@pytest.fixture
def ocr_dataset(ann_file):
    return OCRDataset(ann_file=ann_file, pipeline=[])


def test_subset_has_the_requested_size(ocr_dataset):
    for fraction, expected in [(0.05, 2), (0.1, 4), (0.25, 10), (1.0, 40), (0.001, 1)]:
        subset = LabelFractionDataset(ocr_dataset, fraction=fraction)
        assert len(subset) == expected
        assert len(set(subset.indices)) == expected


def test_subset_items_are_the_chosen_samples_of_the_wrapped_dataset(ocr_dataset):
    subset = LabelFractionDataset(ocr_dataset, fraction=0.25, seed=1)
    for i, index in enumerate(subset.indices):
        assert subset[i]['img_path'].endswith(f'img_{index}.png')
        assert subset.get_data_info(i)['instances'][0]['text'] == f'word{index}'
    assert subset.indices == sorted(subset.indices)
    assert all(0 <= index < NUM_SAMPLES for index in subset.indices)


def test_same_seed_gives_the_same_subset(ann_file):
    first = LabelFractionDataset(OCRDataset(ann_file=ann_file, pipeline=[]), fraction=0.1, seed=7)
    second = LabelFractionDataset(OCRDataset(ann_file=ann_file, pipeline=[]), fraction=0.1, seed=7)
    assert first.indices == second.indices


def test_subset_depends_only_on_length_fraction_and_seed(ocr_dataset, tmp_path):
    other_texts = [f'other{i}' for i in range(NUM_SAMPLES)]
    other = OCRDataset(
        ann_file=write_annotations(tmp_path / 'other.json', other_texts), pipeline=[]
    )
    assert (
        LabelFractionDataset(other, 0.25, seed=3).indices
        == LabelFractionDataset(ocr_dataset, 0.25, seed=3).indices
    )


def test_different_seeds_give_different_subsets(ocr_dataset):
    subsets = {
        tuple(LabelFractionDataset(ocr_dataset, fraction=0.25, seed=s).indices) for s in range(5)
    }
    assert len(subsets) == 5


def test_smaller_fractions_are_nested_in_larger_ones(ocr_dataset):
    for seed in (0, 1, 2):
        previous = set()
        for fraction in (0.05, 0.1, 0.25, 0.5, 1.0):
            current = set(LabelFractionDataset(ocr_dataset, fraction, seed).indices)
            assert previous <= current
            previous = current
        assert previous == set(range(NUM_SAMPLES))


def test_indices_are_a_prefix_of_numpy_legacy_permutation():
    # The recipe pinned: RandomState keeps its stream across NumPy versions,
    # and RandomState(0).permutation(10) is [2, 8, 4, 9, 1, 6, 7, 3, 0, 5].
    assert label_fraction_indices(10, 0.3, seed=0) == [2, 4, 8]
    assert label_fraction_indices(10, 0.5, seed=0) == [1, 2, 4, 8, 9]
    permutation = np.random.RandomState(5).permutation(1000)
    assert label_fraction_indices(1000, 0.05, seed=5) == sorted(permutation[:50].tolist())


@pytest.mark.parametrize('fraction', [0, 1.5, -0.1, float('nan'), True, '0.5'])
def test_fraction_outside_zero_one_is_refused_naming_the_field(ocr_dataset, fraction):
    with pytest.raises(ValueError, match='`fraction`'):
        LabelFractionDataset(ocr_dataset, fraction=fraction)


def test_indices_file_holds_the_chosen_indices(ocr_dataset, tmp_path):
    indices_file = tmp_path / 'sub' / 'indices.json'
    subset = LabelFractionDataset(ocr_dataset, fraction=0.1, seed=4, indices_file=str(indices_file))
    written = json.loads(indices_file.read_text())
    assert written == dict(
        fraction=0.1, seed=4, dataset_length=NUM_SAMPLES, num_samples=4, indices=subset.indices
    )


def test_built_from_config_with_lazy_init(ann_file):
    subset = DATASETS.build(
        dict(
            type='LabelFractionDataset',
            fraction=0.5,
            seed=2,
            lazy_init=True,
            dataset=dict(type='OCRDataset', ann_file=ann_file, pipeline=[], lazy_init=True),
        )
    )
    assert isinstance(subset, LabelFractionDataset)
    assert not subset._fully_initialized
    assert len(subset) == 20
    assert subset._fully_initialized
    assert subset.metainfo == subset.dataset.metainfo
    assert subset.metainfo['task_name'] == 'textrecog'


def test_empty_dataset_and_subset_requests_are_refused(tmp_path, ocr_dataset):
    empty = OCRDataset(
        ann_file=write_annotations(tmp_path / 'empty.json', []), pipeline=[], serialize_data=False
    )
    with pytest.raises(ValueError, match='empty'):
        LabelFractionDataset(empty, fraction=0.5)
    subset = LabelFractionDataset(ocr_dataset, fraction=0.5)
    with pytest.raises(NotImplementedError):
        subset.get_subset([0])
    with pytest.raises(TypeError, match='`dataset`'):
        LabelFractionDataset(42, fraction=0.5)
