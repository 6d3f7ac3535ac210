"""Plain-text annotation files (``path label`` lines, the own-data default) get the same
checks before a run as JSON ones, naming file and line (issue 36, item 3)."""

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import PYTHON, REPO_ROOT, python_env
from mmengine.config import Config
from mmengine.registry import init_default_scope

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.datasets.annotation_checks import check_annotation_entries
from seqclr_mmocr.utils.launch import check_annotation_files

SUPERVISED = REPO_ROOT / 'configs/own_data/supervised_ctc_small-resnet-bilstm_4000it_own-data.py'
NUM_IMAGES = 12
LINES = dict(
    train=[f'labeled/l{i:04d}.png word{i}' for i in range(0, 6)],
    val=[f'labeled/l{i:04d}.png word{i}' for i in range(6, 9)],
    test=[f'labeled/l{i:04d}.png word{i}' for i in range(9, 12)],
)


@pytest.fixture
def own_data(tmp_path, monkeypatch) -> Path:
    """$OWN_DATA with labeled/ images and clean train.txt, val.txt and test.txt."""
    root = tmp_path / 'own'
    (root / 'labeled').mkdir(parents=True)
    for i in range(NUM_IMAGES):
        img = np.full((32, 80), 230, np.uint8)
        cv2.putText(img, f'w{i}', (4, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 20, 2)
        assert cv2.imwrite(str(root / 'labeled' / f'l{i:04d}.png'), img)
    for split, lines in LINES.items():
        write_split(root, split, lines)
    monkeypatch.setenv('OWN_DATA', str(root))
    monkeypatch.setenv('OWN_DATA_LABELS', 'txt')
    return root


def write_split(root: Path, split: str, lines) -> None:
    (root / f'{split}.txt').write_text(''.join(f'{line}\n' for line in lines))


def edit_line(root: Path, split: str, number: int, new: str) -> None:
    """Replace line ``number`` (1-based) of ``<split>.txt``."""
    lines = list(LINES[split])
    lines[number - 1] = new
    write_split(root, split, lines)


def supervised_config() -> Config:
    return Config.fromfile(str(SUPERVISED))


def test_clean_text_splits_pass_and_every_line_is_counted(own_data):
    assert check_annotation_entries(supervised_config()) == NUM_IMAGES


@pytest.mark.parametrize('split', ['train', 'val', 'test'])
def test_missing_image_is_named_with_file_and_line(own_data, split):
    edit_line(own_data, split, 2, 'labeled/nowhere.png word')
    with pytest.raises(ValueError) as err:
        check_annotation_entries(supervised_config())
    message = str(err.value)
    assert f'{split}_dataloader' in message and str(own_data / f'{split}.txt') in message
    assert f'1 missing image(s): {own_data / "labeled/nowhere.png"} (line 2)' in message


@pytest.mark.parametrize('split', ['train', 'val'])
def test_zero_byte_image_is_named_with_file_and_line(own_data, split):
    name = LINES[split][2].split()[0]
    (own_data / name).write_bytes(b'')
    with pytest.raises(ValueError, match=rf'{split}\.txt has bad entries') as err:
        check_annotation_entries(supervised_config())
    assert f'1 empty (zero-byte) image(s): {own_data / name} (line 3)' in str(err.value)


def test_the_test_tool_checks_test_txt(own_data):
    """tools/test.py calls check_annotation_files on the test loader."""
    cfg = supervised_config()
    check_annotation_files(cfg, loaders=('test_dataloader',))
    (own_data / LINES['test'][0].split()[0]).unlink()
    with pytest.raises(ValueError, match=r'test\.txt has bad entries') as err:
        check_annotation_files(supervised_config(), loaders=('test_dataloader',))
    assert '(line 1)' in str(err.value)


@pytest.mark.parametrize('split', ['val', 'test'])
@pytest.mark.parametrize(
    'line, problem',
    [
        ('labeled/l{:04d}.png', 'line(s) with an image path and no label'),
        ('labeled/l{:04d}.png ', 'line(s) with an image path and no label'),
        ('labeled/l{:04d}.png  word', 'empty ground-truth label(s)'),  # two spaces
    ],
)
def test_evaluation_line_without_a_label_is_an_error_naming_file_and_line(
    own_data, split, line, problem
):
    index = int(LINES[split][1].split()[0][-8:-4])
    edit_line(own_data, split, 2, line.format(index))
    with pytest.raises(ValueError) as err:
        check_annotation_entries(supervised_config())
    message = str(err.value)
    assert str(own_data / f'{split}.txt') in message
    assert f'1 {problem}' in message and '(line 2)' in message


def test_blank_line_is_an_error_naming_the_line(own_data):
    write_split(own_data, 'val', [LINES['val'][0], '', *LINES['val'][1:]])
    with pytest.raises(ValueError, match=r'val\.txt has bad entries[^\n]*\n.*blank line.*line 2'):
        check_annotation_entries(supervised_config())


def build_train_dataset(cfg):
    from mmocr.registry import DATASETS

    init_default_scope('mmocr')
    return DATASETS.build(cfg.train_dataloader.dataset)


def test_train_lines_without_a_label_are_skipped_and_counted(own_data, warnings_logged):
    """The train pipeline skips empty labels (CheckTextInDictionary on_empty='skip'): a
    path-only line is skipped like an empty label, instead of failing the dataset build."""
    from seqclr_mmocr.datasets.transforms.text_checks import CheckTextInDictionary

    lines = list(LINES['train'])
    lines[1] = 'labeled/l0001.png'
    lines[3] = 'labeled/l0003.png  word3'  # an empty label (two spaces)
    write_split(own_data, 'train', lines)
    cfg = supervised_config()
    assert check_annotation_entries(cfg) == NUM_IMAGES
    notes = [m for m in warnings_logged if 'train.txt' in m]
    assert len(notes) == 1
    assert '2 of 6 entries have an empty label or none; they will be skipped' in notes[0]
    assert '(line 2)' in notes[0] and '(line 4)' in notes[0]

    dataset = build_train_dataset(cfg).datasets[0]  # the RecogTextDataset of train.txt
    assert len(dataset) == 6
    CheckTextInDictionary.reset_counts()
    kept = [dataset.prepare_data(i) is not None for i in range(len(dataset))]
    assert kept == [True, False, True, False, True, True]
    assert CheckTextInDictionary.counts['empty'] == 2


def test_dataset_build_of_a_path_only_train_line_fails_without_the_check(own_data):
    """What the check prevents: MMOCR's LineStrParser refuses the line, naming neither
    file nor line."""
    edit_line(own_data, 'train', 2, 'labeled/l0001.png')
    with pytest.raises(ValueError, match='key index: 1 out of range'):
        build_train_dataset(supervised_config())


@pytest.mark.slow
def test_train_tool_stops_before_training_naming_the_val_line(own_data, tmp_path):
    edit_line(own_data, 'val', 3, 'labeled/l0008.png')
    proc = subprocess.run(
        [PYTHON, 'tools/train.py', str(SUPERVISED), '--work-dir', str(tmp_path / 'work')],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'val.txt has bad entries' in output and '(line 3)' in output
    assert 'key index' not in output and 'Iter(train)' not in output
