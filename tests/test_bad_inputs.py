"""Bad validation and test inputs fail before training, or are skipped, named and counted
(issue 10, item 5)."""

import json
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, run_repo_tool
from mmengine.config import Config

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.datasets.annotation_checks import (
    check_annotation_entries,
    skip_unreadable_eval_images,
)

CRNN_CONFIG = REPO_ROOT / 'configs/textrecog/crnn_mini-vgg_300it_demo-handwriting.py'
SUPERVISED_CONFIG = (
    REPO_ROOT / 'configs/supervised/'
    'supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'
)
PRETRAIN_CONFIG = (
    REPO_ROOT / 'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)


def crnn_config(data_root: Path) -> Config:
    cfg = Config.fromfile(str(CRNN_CONFIG))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.datasets[0].data_root = str(data_root)
    return cfg


def edit_annotation(data_root: Path, split: str, index: int, **changes) -> str:
    ann = data_root / f'textrecog_{split}.json'
    data = json.loads(ann.read_text())
    entry = data['data_list'][index]
    for key, value in changes.items():
        if key == 'text':
            entry['instances'][0]['text'] = value
        else:
            entry[key] = value
    ann.write_text(json.dumps(data))
    return entry['img_path']


def test_clean_splits_pass_the_check(word_dataset):
    assert check_annotation_entries(crnn_config(word_dataset)) == 24 + 8 + 8


@pytest.mark.parametrize('split', ['val', 'test'])
def test_zero_byte_image_in_an_evaluation_split_stops_before_training_naming_it(
    word_dataset, split
):
    img_path = json.loads((word_dataset / f'textrecog_{split}.json').read_text())['data_list'][3][
        'img_path'
    ]
    (word_dataset / img_path).write_bytes(b'')
    with pytest.raises(ValueError) as err:
        check_annotation_entries(crnn_config(word_dataset))
    assert f'textrecog_{split}.json' in str(err.value)
    assert str(word_dataset / img_path) in str(err.value) and 'zero-byte' in str(err.value)


def test_missing_image_and_empty_label_in_val_are_both_reported(word_dataset):
    missing = edit_annotation(word_dataset, 'val', 1, img_path='imgs/val/nowhere.png')
    empty_label = edit_annotation(word_dataset, 'val', 2, text='')
    with pytest.raises(ValueError) as err:
        check_annotation_entries(crnn_config(word_dataset))
    message = str(err.value)
    assert str(word_dataset / missing) in message and '1 missing image' in message
    assert str(word_dataset / empty_label) in message and '1 empty ground-truth label' in message


def test_empty_train_label_is_reported_unless_the_pipeline_skips_empty_texts(word_dataset):
    edit_annotation(word_dataset, 'train', 0, text='')
    cfg = crnn_config(word_dataset)
    with pytest.raises(ValueError, match=r'train_dataloader.*\n.*1 empty ground-truth label'):
        check_annotation_entries(cfg)
    cfg.train_dataloader.dataset.pipeline.insert(
        0, dict(type='CheckTextInDictionary', dict_file='english_95', on_empty='skip')
    )
    check_annotation_entries(cfg)


def test_unlabelled_pretraining_split_is_not_checked_for_labels(word_dataset):
    edit_annotation(word_dataset, 'unlabeled', 0, text='')
    cfg = Config.fromfile(str(PRETRAIN_CONFIG))
    for loader in ('train_dataloader', 'val_dataloader'):
        cfg[loader].dataset.datasets[0].data_root = str(word_dataset)
    assert check_annotation_entries(cfg) == 24 + 8


def test_missing_test_annotation_file_is_reported_not_fatal_at_training_time(word_dataset):
    (word_dataset / 'textrecog_test.json').unlink()
    assert check_annotation_entries(crnn_config(word_dataset)) == 24 + 8


def test_evaluation_pipelines_load_images_with_placeholders(word_dataset):
    cfg = crnn_config(word_dataset)
    skip_unreadable_eval_images(cfg)
    for loader in ('val_dataloader', 'test_dataloader'):
        first = cfg[loader].dataset.pipeline[0]
        assert first.type == 'mmocr.LoadImageSafe' and first.on_error == 'placeholder'
    # Training pipelines keep theirs: there a bad image is refetched, not a placeholder.
    assert 'on_error' not in cfg.train_dataloader.dataset.pipeline[0]


@pytest.mark.slow
def test_undecodable_val_and_test_images_are_skipped_named_and_counted(word_dataset, tmp_path):
    """A file that exists and is not empty but does not decode passes the check and is
    skipped at validation and at test time, where the metrics report the evaluated count."""
    val_img = edit_annotation(word_dataset, 'val', 5)
    test_img = edit_annotation(word_dataset, 'test', 6)
    for img in (val_img, test_img):
        (word_dataset / img).write_bytes(b'not an image at all')
    work_dir = tmp_path / 'work'
    opts = [
        'train_cfg.max_iters=2',
        'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'train_dataloader.batch_size=4',
        'val_dataloader.batch_size=4',
        'test_dataloader.batch_size=4',
        f'train_dataloader.dataset.dataset.datasets.0.data_root={word_dataset}',
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if loader != 'train_dataloader':
            opts.append(f'{loader}.dataset.datasets.0.data_root={word_dataset}')
        opts += [f'{loader}.num_workers=0', f'{loader}.persistent_workers=False']
    output = run_repo_tool(
        ['tools/train.py', str(SUPERVISED_CONFIG), '--work-dir', str(work_dir), '--cfg-options']
        + opts
    )
    assert str(word_dataset / val_img) in output
    assert re.search(r'evaluated 7 of 8 samples; skipped 1 unreadable', output), output[-3000:]
    assert re.search(r'Bad inputs in this training run.*: 1 image\(s\) skipped', output)

    output = run_repo_tool(
        [
            'tools/test.py',
            str(SUPERVISED_CONFIG),
            str(work_dir / 'iter_2.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
        ]
        + opts
    )
    assert str(word_dataset / test_img) in output
    assert re.search(r'num_samples: 7\b', output) and re.search(r'skipped_images: 1\b', output)
    assert re.search(r'Bad inputs in this test run.*: 1 image\(s\) skipped', output)


def test_skips_in_forked_data_workers_reach_the_run_totals(tmp_path):
    import torch
    from conftest import make_word_images

    from seqclr_mmocr.datasets import ImageFolderDataset
    from seqclr_mmocr.datasets.bad_inputs import local_bad_input_counts, reset_bad_input_counts

    root = make_word_images(tmp_path / 'words', num=6)
    for name in ('0001.png', '0004.png'):
        (root / 'imgs/train' / name).write_bytes(b'garbage, not a png')
    dataset = ImageFolderDataset(
        data_root=str(root / 'imgs/train'),
        test_mode=True,
        extensions=['.png'],
        pipeline=[dict(type='mmocr.LoadImageSafe', color_type='grayscale', on_error='placeholder')],
    )
    reset_bad_input_counts()
    loader = torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=2, collate_fn=list)
    samples = [s for batch in loader for s in batch]
    assert len(samples) == 6
    assert sum(tuple(s['ori_shape']) == (0, 0) for s in samples) == 2
    assert local_bad_input_counts()['skipped_images'] == 2
