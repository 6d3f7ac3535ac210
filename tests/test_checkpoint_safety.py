"""Checkpoints load with weights_only=True on torch>=2.6; arbitrary pickles are refused."""

import os

import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader, load_checkpoint

import seqclr_mmocr  # noqa: F401  (installs the safe loader)
from seqclr_mmocr.utils import UnsafeCheckpointError


class Payload:
    """An object whose unpickling would run a command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_mmengine_history_buffer_and_numpy_values_load_with_weights_only(tmp_path):
    import numpy as np

    buffer = HistoryBuffer()
    buffer.update(1.5)
    path = tmp_path / 'ok.pth'
    torch.save(
        dict(
            state_dict=dict(w=torch.ones(2)),
            message_hub=dict(loss=buffer),
            meta=dict(seed=np.int64(3), arr=np.arange(3)),
        ),
        path,
    )
    ckpt = CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert ckpt['message_hub']['loss'].current() == 1.5
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(2))
    assert int(ckpt['meta']['seed']) == 3


def test_checkpoint_with_arbitrary_pickled_object_is_refused_naming_the_file(tmp_path):
    marker = tmp_path / 'payload_ran'
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1)), extra=Payload(marker)), path)
    model = torch.nn.Linear(1, 1)
    with pytest.raises(UnsafeCheckpointError) as err:
        load_checkpoint(model, str(path), map_location='cpu')
    assert str(path) in str(err.value)
    assert not marker.exists(), 'the pickled payload was executed'
