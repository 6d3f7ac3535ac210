# Copyright (c) OpenMMLab. All rights reserved.
"""Tests of tools/dataset_converters and configs/_base_/datasets.

Each converter runs on a tiny copy of its official format (annotation
fixtures under tests/data/converters/, images drawn here) and the JSON it
writes is read back with mmocr's OCRDataset.
"""

import os
import os.path as osp
import shutil
import sys
from pathlib import Path
from typing import Iterable, List, Tuple

import numpy as np
import pytest
from mmengine import Config
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / 'tests' / 'data' / 'converters'
CONFIG_DIR = REPO / 'configs' / '_base_' / 'datasets'
sys.path.insert(0, str(REPO / 'tools' / 'dataset_converters'))

import cvl_converter  # noqa: E402
import iam_converter  # noqa: E402
import icdar_converter  # noqa: E402
import iiit5k_converter  # noqa: E402
import rimes_converter  # noqa: E402
import synthtext_converter  # noqa: E402
from _common import read_text_lines  # noqa: E402

METAINFO = dict(dataset_type='TextRecogDataset', task_name='textrecog')


def draw_images(root: Path, rel_paths: Iterable[str]) -> None:
    """Write a tiny word-like image at each path (format from the suffix)."""
    rng = np.random.default_rng(0)
    for rel_path in rel_paths:
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        pixels = np.full((8, 24), 255, np.uint8)
        pixels[2:6, 3:21] = rng.integers(0, 128, (4, 18), dtype=np.uint8)
        Image.fromarray(pixels).save(path)


def copy_fixture(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return root


def load_pairs(data_root: Path, ann_file: str) -> List[Tuple[str, str]]:
    """(img_path relative to data_root, text) of every sample, read by
    OCRDataset; every image must exist."""
    from mmocr.datasets import OCRDataset

    dataset = OCRDataset(data_root=str(data_root), ann_file=ann_file, pipeline=[])
    assert dataset.metainfo == METAINFO
    pairs = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        assert osp.isfile(info['img_path']), info['img_path']
        assert len(info['instances']) == 1
        rel_path = osp.relpath(info['img_path'], data_root)
        pairs.append((rel_path.replace(os.sep, '/'), info['instances'][0]['text']))
    return pairs


def counts(stats) -> Tuple[int, int, dict]:
    return stats.total, stats.written, dict(stats.skipped)


# ---------------------------------------------------------------- IAM
IAM_IMAGES = [
    f'words/{w[:3]}/{w.rsplit("-", 2)[0]}/{w}.png'
    for w in [
        'a01-000u-00-00',
        'a01-000u-00-01',
        'a01-000u-00-02',
        'a01-000u-01-00',
        'a01-000u-01-01',
        'a01-000u-01-02',
        'a01-003-00-00',
        'a01-003-01-00',
        'a01-007-00-00',
        'a01-011-00-00',
        'a01-011-00-02',
    ]
]  # a01-011-00-01 is missing on disk


@pytest.mark.parametrize('split_dir', ['splits_official', 'splits_aachen'])
def test_iam_splits_words_by_line_or_form_id_and_drops_err_words(tmp_path, split_dir):
    root = copy_fixture('iam', tmp_path)
    draw_images(root, IAM_IMAGES)

    stats = iam_converter.convert_iam(str(root), split_dir=str(root / split_dir))

    assert load_pairs(root, 'textrecog_train.json') == [
        ('words/a01/a01-000u/a01-000u-00-00.png', 'A'),
        ('words/a01/a01-000u/a01-000u-00-01.png', 'MOVE'),
        ('words/a01/a01-000u/a01-000u-01-00.png', 'nominating'),
        ('words/a01/a01-000u/a01-000u-01-01.png', 'any'),
    ]
    assert load_pairs(root, 'textrecog_val.json') == [
        ('words/a01/a01-003/a01-003-00-00.png', 'Labour'),
        ('words/a01/a01-003/a01-003-01-00.png', 'tax'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [
        ('words/a01/a01-011/a01-011-00-00.png', 'some'),
        ('words/a01/a01-011/a01-011-00-02.png', 'New York'),
    ]
    assert counts(stats['train']) == (6, 4, {'err_segmentation': 1, 'malformed': 1})
    assert stats['train'].malformed_examples == [
        ('ascii/words.txt:17', 'a01-000u-01-02 ok 156 1112', '4 fields, expected at least 9')
    ]
    assert counts(stats['val']) == (2, 2, {})
    assert counts(stats['test']) == (3, 2, {'missing_image': 1})
    assert stats['test'].missing_examples == [
        ('ascii/words.txt:22', str(root / 'words/a01/a01-011/a01-011-00-01.png'))
    ]
    assert counts(stats['unassigned']) == (1, 0, {'not_in_split': 1})
    assert not (root / 'textrecog_unassigned.json').exists()


def test_iam_keep_err_keeps_err_words_and_cli_reads_split_files(tmp_path):
    root = copy_fixture('iam', tmp_path)
    draw_images(root, IAM_IMAGES)

    stats = iam_converter.main(
        [
            str(root),
            '--split-dir',
            str(root / 'splits_official'),
            '--keep-err',
            '--train-files',
            'trainset.txt',
            '--test-files',
            'testset.txt',
        ]
    )

    assert ('words/a01/a01-000u/a01-000u-00-02.png', 'to') in load_pairs(
        root, 'textrecog_train.json'
    )
    assert counts(stats['train']) == (6, 5, {'malformed': 1})
    assert set(stats) == {'train', 'test', 'unassigned'}
    # Without a val partition the val words are outside every split.
    assert counts(stats['unassigned']) == (3, 0, {'not_in_split': 3})


def test_iam_summary_reports_counts_and_malformed_line(tmp_path):
    root = copy_fixture('iam', tmp_path)
    draw_images(root, IAM_IMAGES)

    stats = iam_converter.convert_iam(str(root), split_dir=str(root / 'splits_official'))

    summary = stats['train'].summary('iam')
    assert summary.startswith(
        '[iam/train] total 6, written 4, skipped 2 (err_segmentation=1, malformed=1)'
    )
    assert "ascii/words.txt:17: 'a01-000u-01-02 ok 156 1112'" in summary
    assert 'a01-011-00-01.png (named at ascii/words.txt:22)' in stats['test'].summary('iam')


def test_iam_strict_fails_on_malformed_line(tmp_path):
    root = copy_fixture('iam', tmp_path)
    draw_images(root, IAM_IMAGES)
    with pytest.raises(ValueError, match=r'ascii/words.txt:17'):
        iam_converter.convert_iam(str(root), split_dir=str(root / 'splits_official'), strict=True)


def test_iam_rejects_id_listed_in_two_splits(tmp_path):
    root = copy_fixture('iam', tmp_path)
    (root / 'splits_official' / 'testset.txt').write_text('a01-000u-00\n')
    with pytest.raises(ValueError, match='a01-000u-00 is in both'):
        iam_converter.convert_iam(str(root), split_dir=str(root / 'splits_official'))


# ---------------------------------------------------------------- RIMES
def test_rimes_keeps_accents_from_cp1252_and_utf8_ground_truths(tmp_path):
    root = copy_fixture('rimes', tmp_path)
    draw_images(
        root,
        [f'training/lot_1/train_000{i}.png' for i in range(1, 5)]
        + ['training/lot_2/train_0005.png']
        + [f'test/lot_9/test_000{i}.png' for i in (1, 2)],
    )

    stats = rimes_converter.convert_rimes(str(root))

    assert load_pairs(root, 'textrecog_train.json') == [
        ('training/lot_1/train_0001.png', 'Monsieur'),
        ('training/lot_1/train_0002.png', 'Société'),
        ('training/lot_1/train_0003.png', 'à'),
        ('training/lot_2/train_0005.png', 'cœur'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [
        ('test/lot_9/test_0001.png', 'Été'),
        ('test/lot_9/test_0002.png', 'naïve'),
    ]
    assert counts(stats['train']) == (6, 4, {'malformed': 1, 'missing_image': 1})
    assert stats['train'].malformed_examples == [
        ('ground_truth_training_icdar2011.txt:4', 'lot_1/train_0004.png', 'no transcription')
    ]
    assert counts(stats['test']) == (2, 2, {})
    assert 'val' not in stats  # no validation ground truth in the fixture


def test_rimes_cli_with_explicit_files_and_encoding(tmp_path):
    root = copy_fixture('rimes', tmp_path)
    draw_images(root, ['imgs/lot_9/test_0001.png', 'imgs/lot_9/test_0002.png'])

    stats = rimes_converter.main(
        [
            str(root),
            '--val-gt',
            'ground_truth_test_icdar2011.txt',
            '--val-img-dir',
            'imgs',
            '--encoding',
            'utf-8',
        ]
    )

    assert list(stats) == ['val']
    assert load_pairs(root, 'textrecog_val.json') == [
        ('imgs/lot_9/test_0001.png', 'Été'),
        ('imgs/lot_9/test_0002.png', 'naïve'),
    ]


def test_rimes_wrong_encoding_is_refused_with_file_name(tmp_path):
    root = copy_fixture('rimes', tmp_path)
    with pytest.raises(
        ValueError, match='ground_truth_training_icdar2011.txt cannot be decoded as utf-8'
    ):
        rimes_converter.convert_rimes(
            str(root),
            {'train': ('ground_truth_training_icdar2011.txt', 'training')},
            encoding='utf-8',
        )


def test_read_text_lines_falls_back_to_cp1252_and_refuses_undecodable(tmp_path):
    cp1252 = tmp_path / 'cp1252.txt'
    cp1252.write_bytes('a.png cœur\r\nb.png été\r\n'.encode('cp1252'))
    assert read_text_lines(str(cp1252)) == (['a.png cœur', 'b.png été'], 'cp1252')
    bom = tmp_path / 'bom.txt'
    bom.write_bytes('a.png Été\n'.encode('utf-8-sig'))
    assert read_text_lines(str(bom)) == (['a.png Été'], 'utf-8')
    # 0x81 is neither UTF-8 nor cp1252, and latin-1 makes it a control char.
    broken = tmp_path / 'broken.txt'
    broken.write_bytes(b'a.png caf\xe9\x81\n')
    with pytest.raises(ValueError, match='broken.txt is neither valid UTF-8'):
        read_text_lines(str(broken))
    with pytest.raises(ValueError, match='broken.txt:1: decoding as latin-1'):
        read_text_lines(str(broken), 'latin-1')


# ---------------------------------------------------------------- CVL
CVL_FILES = [
    'trainset/words/0001/0001-1-0-0-Imagine.tif',
    'trainset/words/0001/0001-1-0-1-a.tif',
    'trainset/words/0001/0001-1-1-0-well-known.tif',
    'trainset/words/0002/0002-1-0-0-Mädchen.tif',
    'trainset/words/0002/0002-1-0-1.tif',
    'testset/words/0051/0051-1-0-0-house.tif',
    'testset/words/0051/0051-1-0-1-.tif',
]


def test_cvl_reads_transcription_after_fourth_dash(tmp_path):
    root = tmp_path / 'cvl'
    release = root / 'cvl-database-1-1'
    draw_images(release, CVL_FILES)
    (release / 'trainset/words/0002/Thumbs.db').write_bytes(b'\0')

    stats = cvl_converter.convert_cvl(str(root))

    prefix = 'cvl-database-1-1/trainset/words'
    assert load_pairs(root, 'textrecog_train.json') == [
        (f'{prefix}/0001/0001-1-0-0-Imagine.tif', 'Imagine'),
        (f'{prefix}/0001/0001-1-0-1-a.tif', 'a'),
        (f'{prefix}/0001/0001-1-1-0-well-known.tif', 'well-known'),
        (f'{prefix}/0002/0002-1-0-0-Mädchen.tif', 'Mädchen'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [
        ('cvl-database-1-1/testset/words/0051/0051-1-0-0-house.tif', 'house')
    ]
    assert counts(stats['train']) == (6, 4, {'malformed': 1, 'non_image_file': 1})
    assert stats['train'].malformed_examples == [
        (
            f'{prefix}/0002/0002-1-0-1.tif',
            '0002-1-0-1.tif',
            'file name is not <writer>-<page>-<line>-<word>-<text>',
        )
    ]
    assert counts(stats['test']) == (2, 1, {'malformed': 1})
    assert stats['test'].malformed_examples[0][2] == 'empty transcription'


def test_cvl_accepts_release_folder_as_root(tmp_path):
    release = tmp_path / 'cvl-database-1-1'
    draw_images(release, CVL_FILES[:1])
    out_dir = tmp_path / 'out'

    stats = cvl_converter.main([str(release), '-o', str(out_dir)])

    assert load_pairs(out_dir, 'textrecog_train.json') == [
        ('../cvl-database-1-1/trainset/words/0001/0001-1-0-0-Imagine.tif', 'Imagine')
    ]
    assert list(stats) == ['train']  # no testset folder


# ---------------------------------------------------------------- IIIT5K
def test_iiit5k_text_labels(tmp_path):
    root = copy_fixture('iiit5k', tmp_path)
    draw_images(
        root,
        [
            'train/1009_2.png',
            'train/1017_1.png',
            'train/1017_2.png',
            'test/1002_1.png',
            'test/1009_1.png',
        ],
    )

    stats = iiit5k_converter.convert_iiit5k(str(root))

    assert load_pairs(root, 'textrecog_train.json') == [
        ('train/1009_2.png', 'You'),
        ('train/1017_1.png', 'Rescue'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [
        ('test/1002_1.png', 'PRIVATE'),
        ('test/1009_1.png', '20'),
    ]
    assert counts(stats['train']) == (4, 2, {'malformed': 1, 'missing_image': 1})
    assert stats['train'].malformed_examples == [
        ('train_label.txt:3', 'train/1017_2.png', 'no transcription')
    ]
    assert stats['train'].missing_examples == [
        ('train_label.txt:4', str(root / 'train/1018_1.png'))
    ]
    assert counts(stats['test']) == (2, 2, {})


def test_iiit5k_official_mat_files(tmp_path):
    scipy_io = pytest.importorskip('scipy.io')
    root = tmp_path / 'iiit5k'
    root.mkdir()
    record = [('ImgName', 'O'), ('GroundTruth', 'O'), ('smallLexi', 'O')]
    scipy_io.savemat(
        str(root / 'traindata.mat'),
        {
            'traindata': np.array(
                [
                    ('train/1009_2.png', 'You', 'x'),
                    ('train/1017_1.png', 'Rescue', 'x'),
                    ('train/1017_2.png', '', 'x'),
                ],
                dtype=record,
            ).reshape(1, -1)
        },
    )
    scipy_io.savemat(
        str(root / 'testdata.mat'),
        {'testdata': np.array([('test/1002_1.png', 'PRIVATE', 'x')], dtype=record).reshape(1, -1)},
    )
    draw_images(root, ['train/1009_2.png', 'train/1017_1.png', 'test/1002_1.png'])

    stats = iiit5k_converter.main([str(root), '--format', 'mat'])

    assert load_pairs(root, 'textrecog_train.json') == [
        ('train/1009_2.png', 'You'),
        ('train/1017_1.png', 'Rescue'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [('test/1002_1.png', 'PRIVATE')]
    assert counts(stats['train']) == (3, 2, {'malformed': 1})
    assert stats['train'].malformed_examples[0][0] == 'traindata.mat[3]'


def test_strict_fails_on_missing_image_naming_it(tmp_path):
    root = tmp_path / 'iiit5k'
    root.mkdir()
    (root / 'test_label.txt').write_text('test/nothere.png word\n')
    with pytest.raises(
        FileNotFoundError,
        match=r'nothere\.png \(named at test_label\.txt:1\) does not '
        'exist',
    ):
        iiit5k_converter.main([str(root), '--strict'])


def test_empty_image_file_is_counted_not_written(tmp_path):
    root = tmp_path / 'iiit5k'
    draw_images(root, ['test/1002_1.png'])
    (root / 'test/1003_1.png').write_bytes(b'')
    (root / 'test_label.txt').write_text('test/1002_1.png PRIVATE\ntest/1003_1.png EMPTY\n')

    stats = iiit5k_converter.convert_iiit5k(str(root))

    assert load_pairs(root, 'textrecog_test.json') == [('test/1002_1.png', 'PRIVATE')]
    assert counts(stats['test']) == (2, 1, {'empty_image': 1})
    assert stats['test'].missing_examples == [('test_label.txt:2', str(root / 'test/1003_1.png'))]


# ---------------------------------------------------------------- ICDAR
def test_ic03_word_xml_with_entities_and_alphanumeric_subset(tmp_path):
    root = copy_fixture('icdar2003', tmp_path)
    draw_images(root / 'TrialTrain', ['word/1/1.jpg', 'word/1/2.jpg'])
    draw_images(
        root / 'TrialTest',
        [
            'word/1/1.jpg',
            'word/1/2.jpg',
            'word/1/3.jpg',
            'word/2/4.jpg',
            'word/2/5.jpg',
            'word/2/7.jpg',
        ],
    )

    stats = icdar_converter.convert_icdar(str(root), 'ic03', alphanumeric_min_len=3)

    assert load_pairs(root, 'textrecog_train.json') == [
        ('TrialTrain/word/1/1.jpg', 'Gobe'),
        ('TrialTrain/word/1/2.jpg', 'Lovely'),
    ]
    assert load_pairs(root, 'textrecog_test.json') == [
        ('TrialTest/word/1/1.jpg', 'Gobe'),
        ('TrialTest/word/1/2.jpg', 'A&E'),
        ('TrialTest/word/1/3.jpg', '1869'),
        ('TrialTest/word/2/7.jpg', 'Ok'),
    ]
    assert load_pairs(root, 'alphanumeric_textrecog_test.json') == [
        ('TrialTest/word/1/1.jpg', 'Gobe'),
        ('TrialTest/word/1/3.jpg', '1869'),
    ]
    assert counts(stats['train']) == (2, 2, {})
    assert counts(stats['test']) == (7, 4, {'malformed': 2, 'missing_image': 1})
    assert [(loc, reason) for loc, _, reason in stats['test'].malformed_examples] == [
        ('TrialTest/word.xml:6', 'empty transcription'),
        ('TrialTest/word.xml:7', 'no tag attribute'),
    ]
    assert stats['test'].missing_examples == [
        ('TrialTest/word.xml:8', str(root / 'TrialTest/word/2/6.jpg'))
    ]


def test_ic13_gt_with_bom_and_escaped_quotes(tmp_path):
    root = copy_fixture('icdar2013', tmp_path)
    draw_images(
        root / 'Challenge2_Training_Task3_Images_GT', [f'word_{i}.png' for i in range(1, 6)]
    )
    draw_images(root / 'Challenge2_Test_Task3_Images', [f'word_{i}.png' for i in range(1, 5)])
    out_dir = tmp_path / 'out'

    stats = icdar_converter.main(
        [str(root), '--dataset', 'ic13', '-o', str(out_dir), '--alphanumeric']
    )

    train_dir = '../icdar2013/Challenge2_Training_Task3_Images_GT'
    test_dir = '../icdar2013/Challenge2_Test_Task3_Images'
    assert load_pairs(out_dir, 'textrecog_train.json') == [
        (f'{train_dir}/word_1.png', 'Tiredness'),
        (f'{train_dir}/word_2.png', 'kills'),
        (f'{train_dir}/word_3.png', '"A"'),
    ]
    assert load_pairs(out_dir, 'textrecog_test.json') == [
        (f'{test_dir}/word_1.png', 'PROPER'),
        (f'{test_dir}/word_2.png', 'FOOD'),
        (f'{test_dir}/word_3.png', "it's"),
        (f'{test_dir}/word_4.png', 'AT'),
    ]
    assert load_pairs(out_dir, 'alphanumeric_textrecog_test.json') == [
        (f'{test_dir}/word_1.png', 'PROPER'),
        (f'{test_dir}/word_2.png', 'FOOD'),
        (f'{test_dir}/word_4.png', 'AT'),
    ]
    assert counts(stats['train']) == (6, 3, {'malformed': 2, 'missing_image': 1})
    assert [(loc, raw) for loc, raw, _ in stats['train'].malformed_examples] == [
        ('Challenge2_Training_Task3_Images_GT/gt.txt:4', 'word_4.png, ""'),
        ('Challenge2_Training_Task3_Images_GT/gt.txt:5', 'word_5.png Tiredness'),
    ]
    assert counts(stats['test']) == (4, 4, {})
    assert not (root / 'textrecog_train.json').exists()


# ---------------------------------------------------------------- SynthText
def test_synthtext_label_file_with_image_prefix(tmp_path):
    root = copy_fixture('synthtext', tmp_path)
    prefix = 'synthtext/SynthText_patch_horizontal'
    draw_images(
        root / prefix,
        [
            '1/ant+hill_1_0.jpg',
            '1/ant+hill_1_1.jpg',
            '1/ant+hill_1_2.jpg',
            '2/ballet_106_0.jpg',
            '2/ballet_106_1.jpg',
            '2/ballet_106_3.jpg',
        ],
    )

    stats = synthtext_converter.main([str(root), '--alphanumeric'])

    assert load_pairs(root, 'textrecog_train.json') == [
        (f'{prefix}/1/ant+hill_1_0.jpg', 'Lord'),
        (f'{prefix}/1/ant+hill_1_1.jpg', 'Ronald'),
        (f'{prefix}/2/ballet_106_0.jpg', '1995'),
        (f'{prefix}/2/ballet_106_1.jpg', 'e.g.'),
        (f'{prefix}/2/ballet_106_3.jpg', 'Hello'),
    ]
    assert [text for _, text in load_pairs(root, 'alphanumeric_textrecog_train.json')] == [
        'Lord',
        'Ronald',
        '1995',
        'Hello',
    ]
    assert counts(stats['train']) == (7, 5, {'malformed': 1, 'missing_image': 1})
    assert stats['train'].malformed_examples == [
        ('label.txt:3', './1/ant+hill_1_2.jpg', 'no transcription')
    ]


# ---------------------------------------------------------------- configs
# Dataset variables of our configs and the annotation file each must read.
CONVERTER_OUTPUTS = {
    'iam.py': (
        'data/iam',
        {
            'iam_textrecog_train': 'textrecog_train.json',
            'iam_textrecog_val': 'textrecog_val.json',
            'iam_textrecog_test': 'textrecog_test.json',
        },
    ),
    'rimes.py': (
        'data/rimes',
        {
            'rimes_textrecog_train': 'textrecog_train.json',
            'rimes_textrecog_val': 'textrecog_val.json',
            'rimes_textrecog_test': 'textrecog_test.json',
        },
    ),
    'cvl.py': (
        'data/cvl',
        {
            'cvl_textrecog_train': 'textrecog_train.json',
            'cvl_textrecog_test': 'textrecog_test.json',
        },
    ),
    'iiit5k.py': (
        'data/iiit5k',
        {
            'iiit5k_textrecog_train': 'textrecog_train.json',
            'iiit5k_textrecog_test': 'textrecog_test.json',
        },
    ),
    'icdar2003.py': (
        'data/icdar2003',
        {
            'icdar2003_textrecog_train': 'textrecog_train.json',
            'icdar2003_textrecog_test': 'textrecog_test.json',
            'icdar2003_alphanumeric_textrecog_test': 'alphanumeric_textrecog_test.json',
        },
    ),
    'icdar2013.py': (
        'data/icdar2013',
        {
            'icdar2013_textrecog_train': 'textrecog_train.json',
            'icdar2013_textrecog_test': 'textrecog_test.json',
            'icdar2013_alphanumeric_textrecog_test': 'alphanumeric_textrecog_test.json',
        },
    ),
    'synthtext.py': (
        'data/synthtext',
        {
            'synthtext_textrecog_train': 'textrecog_train.json',
            'synthtext_an_textrecog_train': 'alphanumeric_textrecog_train.json',
        },
    ),
}


@pytest.mark.parametrize('config', sorted(p.name for p in CONFIG_DIR.glob('*.py')))
def test_dataset_config_parses(config):
    cfg = Config.fromfile(str(CONFIG_DIR / config))
    assert any(isinstance(v, dict) and 'type' in v for v in cfg.values())


@pytest.mark.parametrize('config', sorted(CONVERTER_OUTPUTS))
def test_dataset_config_reads_the_files_the_converter_writes(config):
    cfg = Config.fromfile(str(CONFIG_DIR / config))
    data_root, datasets = CONVERTER_OUTPUTS[config]
    stem = config[:-3]
    assert cfg[f'{stem}_textrecog_data_root'] == data_root
    for name, ann_file in datasets.items():
        dataset = cfg[name]
        assert dataset.type == 'OCRDataset'
        assert dataset.data_root == data_root
        assert dataset.ann_file == ann_file
        assert dataset.pipeline is None
        assert dataset.get('test_mode', False) == ('train' not in name)


def test_image_folder_config():
    cfg = Config.fromfile(str(CONFIG_DIR / 'image_folder.py'))
    assert cfg.image_folder_data_root == 'data/unlabeled'
    assert cfg.image_folder_unlabeled == dict(
        type='ImageFolderDataset', data_root='data/unlabeled', pipeline=None
    )
