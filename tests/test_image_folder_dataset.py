"""ImageFolderDataset: unlabelled images listed from a folder or from a list file."""

import os

import cv2
import numpy as np
import pytest
from mmocr.registry import DATASETS

from seqclr_mmocr.datasets.image_folder_dataset import ImageFolderDataset

IMAGES = ['z.PNG', 'a/x.png', 'a/b/y.jpg', 'c/w.bmp', 'c/v.tiff', 'b.webp']
NOT_IMAGES = ['notes.txt', 'a/labels.json', 'c/image.png.bak']


@pytest.fixture
def image_tree(tmp_path):
    root = tmp_path / 'unlabelled'
    img = np.full((8, 20), 128, np.uint8)
    for rel in IMAGES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        ext = os.path.splitext(rel)[1].lower()
        ok, encoded = cv2.imencode(ext if ext != '.tiff' else '.tif', img)
        assert ok
        (root / rel).write_bytes(encoded.tobytes())
    for rel in NOT_IMAGES:
        (root / rel).write_text('not an image')
    return root


def relative_paths(dataset, root):
    return [os.path.relpath(dataset[i]['img_path'], root) for i in range(len(dataset))]


def test_lists_images_recursively_in_sorted_order(image_tree):
    dataset = ImageFolderDataset(data_root=str(image_tree))
    assert relative_paths(dataset, image_tree) == sorted(IMAGES)
    for i in range(len(dataset)):
        assert dataset[i]['instances'] == []
        assert os.path.isfile(dataset[i]['img_path'])


def test_listing_is_deterministic(image_tree):
    first = relative_paths(ImageFolderDataset(data_root=str(image_tree)), image_tree)
    second = relative_paths(ImageFolderDataset(data_root=str(image_tree)), image_tree)
    assert first == second


def test_non_recursive_and_extension_filter(image_tree):
    top = ImageFolderDataset(data_root=str(image_tree), recursive=False)
    assert relative_paths(top, image_tree) == ['b.webp', 'z.PNG']
    pngs = ImageFolderDataset(data_root=str(image_tree), extensions=['png'])
    assert relative_paths(pngs, image_tree) == ['a/x.png', 'z.PNG']


def test_data_prefix_selects_a_sub_folder(image_tree):
    dataset = ImageFolderDataset(data_root=str(image_tree), data_prefix=dict(img_path='c'))
    assert relative_paths(dataset, image_tree / 'c') == ['v.tiff', 'w.bmp']


def test_empty_folder_error_names_the_folder(tmp_path):
    empty = tmp_path / 'empty_folder'
    (empty / 'sub').mkdir(parents=True)
    (empty / 'sub' / 'readme.txt').write_text('no images here')
    with pytest.raises(ValueError, match='no images with extensions.*empty_folder'):
        ImageFolderDataset(data_root=str(empty))


def test_missing_folder_error_names_the_folder(tmp_path):
    with pytest.raises(ValueError, match='does_not_exist'):
        ImageFolderDataset(data_root=str(tmp_path / 'does_not_exist'))


def test_ann_file_lists_the_images(image_tree):
    (image_tree / 'list.txt').write_text('a/x.png\n\nz.PNG\nc/w.bmp\n')
    dataset = ImageFolderDataset(data_root=str(image_tree), ann_file='list.txt')
    assert relative_paths(dataset, image_tree) == ['a/x.png', 'z.PNG', 'c/w.bmp']
    assert dataset[0]['instances'] == []


def test_empty_ann_file_raises_naming_it(image_tree):
    (image_tree / 'empty_list.txt').write_text('\n\n')
    with pytest.raises(ValueError, match='empty_list.txt'):
        ImageFolderDataset(data_root=str(image_tree), ann_file='empty_list.txt')


def test_built_from_registry_with_indices(image_tree):
    dataset = DATASETS.build(dict(type='ImageFolderDataset', data_root=str(image_tree), indices=2))
    assert relative_paths(dataset, image_tree) == sorted(IMAGES)[:2]
