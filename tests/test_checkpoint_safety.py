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


@pytest.mark.parametrize('module', ['numpy.core.multiarray', 'numpy._core.multiarray'])
def test_numpy_arrays_load_whichever_numpy_major_version_wrote_the_checkpoint(tmp_path, module):
    """numpy 2 renamed numpy.core to numpy._core, and a pickle names the writer's module: a
    checkpoint saved on a numpy 2 machine names numpy._core.multiarray._reconstruct."""
    import io

    import numpy as np

    buffer = io.BytesIO()
    # The legacy format is one plain pickle stream, so the module name can be rewritten.
    torch.save(
        dict(state_dict=dict(w=torch.ones(2)), meta=dict(arr=np.arange(3), seed=np.int64(3))),
        buffer,
        _use_new_zipfile_serialization=False,
    )
    written = buffer.getvalue()
    local = next(m for m in (b'numpy._core.multiarray', b'numpy.core.multiarray') if m in written)
    path = tmp_path / 'other_numpy.pth'
    path.write_bytes(written.replace(local, module.encode()))
    assert module.encode() + b'\n_reconstruct' in path.read_bytes()

    ckpt = CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert ckpt['meta']['arr'].tolist() == [0, 1, 2]
    assert int(ckpt['meta']['seed']) == 3
