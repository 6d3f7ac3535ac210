"""Every checkpoint source MMEngine knows loads with weights_only=True (issue 10, item 1),
and unreadable checkpoints are named (item 5)."""

import functools
import http.server
import os
import threading

import pytest
import torch
from mmengine.runner import CheckpointLoader, load_checkpoint

import seqclr_mmocr  # noqa: F401  (installs the safe loaders)
from seqclr_mmocr.utils import CorruptCheckpointError, UnsafeCheckpointError


class Payload:
    """An object whose unpickling would run a command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


@pytest.fixture
def http_dir(tmp_path, monkeypatch):
    """A directory served on 127.0.0.1 (port chosen by the OS); yields (dir, base URL)."""
    served = tmp_path / 'served'
    served.mkdir()
    # torch.hub caches downloads under $TORCH_HOME: keep them in the test's directory.
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True
    )
    thread.start()
    try:
        yield served, f'http://127.0.0.1:{server.server_address[1]}'
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_checkpoint_over_http_with_pickled_code_is_refused_naming_the_url(http_dir, tmp_path):
    served, base = http_dir
    marker = tmp_path / 'payload_ran'
    torch.save(
        dict(state_dict=dict(weight=torch.ones(1, 1), bias=torch.ones(1)), extra=Payload(marker)),
        served / 'evil.pth',
    )
    url = f'{base}/evil.pth'
    with pytest.raises(UnsafeCheckpointError) as err:
        load_checkpoint(torch.nn.Linear(1, 1), url, map_location='cpu')
    assert url in str(err.value)
    assert not marker.exists(), 'the pickled payload was executed'


def test_plain_checkpoint_over_http_still_loads(http_dir):
    served, base = http_dir
    torch.save(
        dict(state_dict=dict(weight=torch.full((1, 1), 2.0), bias=torch.zeros(1))),
        served / 'good.pth',
    )
    model = torch.nn.Linear(1, 1)
    load_checkpoint(model, f'{base}/good.pth', map_location='cpu')
    assert model.weight.item() == 2.0


@pytest.mark.parametrize('prefix', sorted(CheckpointLoader._schemes))
def test_every_registered_scheme_resolves_to_a_weights_only_loader(prefix):
    loader = CheckpointLoader._get_checkpoint_loader(prefix + 'some/checkpoint.pth')
    assert getattr(loader, '_seqclr_weights_only', False), (
        f'scheme {prefix!r} resolves to {loader!r}, which may unpickle code'
    )


@pytest.mark.parametrize(
    'path',
    [
        'http://host/a.pth',
        'https://host/a.pth',
        'open-mmlab://a',
        'openmmlab://a',
        'torchvision://resnet50',
        'modelzoo://resnet50',
        'mmcls://a',
        'pavi://a',
        's3://b/a.pth',
        'open-mmlab:s3://b/a.pth',
        '/local/a.pth',
    ],
)
def test_remote_and_local_sources_resolve_to_weights_only_loaders(path):
    loader = CheckpointLoader._get_checkpoint_loader(path)
    assert getattr(loader, '_seqclr_weights_only', False), f'{path}: {loader!r}'


def test_scheme_registered_later_that_asks_for_weights_only_false_is_refused(tmp_path):
    marker = tmp_path / 'payload_ran'
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, extra=Payload(marker)), path)

    def load_from_custom(filename, map_location=None):
        return torch.load(
            filename.replace('custom-test://', ''), map_location=map_location, weights_only=False
        )

    CheckpointLoader.register_scheme('custom-test://', load_from_custom)
    try:
        with pytest.raises(UnsafeCheckpointError) as err:
            CheckpointLoader.load_checkpoint(f'custom-test://{path}', map_location='cpu')
    finally:
        CheckpointLoader._schemes.pop('custom-test://')
    assert f'custom-test://{path}' in str(err.value)
    assert not marker.exists(), 'the pickled payload was executed'


def test_torch_load_is_restored_after_a_scheme_loader_runs(tmp_path):
    path = tmp_path / 'ok.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1))), path)
    before = torch.load
    CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert torch.load is before


def test_truncated_checkpoint_error_names_the_file(tmp_path):
    path = tmp_path / 'iter_4.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(1000))), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptCheckpointError) as err:
        load_checkpoint(torch.nn.Linear(1, 1), str(path), map_location='cpu')
    assert str(path) in str(err.value)
