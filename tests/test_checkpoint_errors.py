"""A checkpoint path that is no checkpoint gets the error that says so: a text file or an
image is corrupt (not unsafe), a folder is named as a folder, and a file with pickled code is
still refused as unsafe."""

import os

import numpy as np
import pytest
import torch
from mmengine.runner import CheckpointLoader

import seqclr_mmocr  # noqa: F401  (installs the safe loaders)
from seqclr_mmocr.utils import CorruptCheckpointError, UnsafeCheckpointError
from seqclr_mmocr.utils.checkpoint_safety import is_torch_file


class Payload:
    """An object whose unpickling would run a command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def load(path):
    return CheckpointLoader.load_checkpoint(str(path), map_location='cpu')


@pytest.mark.parametrize(
    'content',
    [b'hello world\n', b'iter_4.pth\n', b'{"state_dict": {}}', b'\x89PNG\r\n\x1a\n' + bytes(40)],
    ids=['text', 'last_checkpoint-like', 'json', 'png'],
)
def test_a_file_that_is_no_torch_file_is_corrupt_not_unsafe(tmp_path, content):
    path = tmp_path / 'model.pth'
    path.write_bytes(content)
    with pytest.raises(CorruptCheckpointError, match='model.pth.*not a file written by torch.save'):
        load(path)


def test_a_folder_is_named_as_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError, match=f'{tmp_path} is a folder, not a checkpoint'):
        load(tmp_path)


@pytest.mark.parametrize('legacy', [False, True], ids=['zip', 'legacy'])
def test_real_checkpoints_of_both_torch_formats_still_load(tmp_path, legacy):
    path = tmp_path / 'model.pth'
    torch.save(
        dict(state_dict=dict(weight=torch.arange(3.0))),
        path,
        _use_new_zipfile_serialization=not legacy,
    )
    assert is_torch_file(str(path))
    assert torch.equal(load(path)['state_dict']['weight'], torch.arange(3.0))


def test_a_truncated_checkpoint_is_corrupt(tmp_path):
    path = tmp_path / 'model.pth'
    torch.save(dict(state_dict=dict(weight=torch.from_numpy(np.ones(1000)))), path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(CorruptCheckpointError, match='model.pth'):
        load(path)


def test_pickled_code_is_still_refused_as_unsafe(tmp_path):
    marker = tmp_path / 'payload_ran'
    path = tmp_path / 'model.pth'
    torch.save(dict(state_dict=dict(weight=torch.ones(1)), extra=Payload(marker)), path)
    with pytest.raises(UnsafeCheckpointError, match='model.pth'):
        load(path)
    assert not marker.exists()
