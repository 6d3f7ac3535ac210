"""Checkpoints a user can ship, and the stock-MMOCR recipes started from SeqCLR encoders.

"Without the plug-in" runs a fresh Python that imports MMOCR and MMEngine only (never
seqclr_mmocr), as stock MMOCR's tools do, with torch's default ``weights_only`` loading.
"""

import hashlib
import importlib.util
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import PYTHON, REPO_ROOT, python_env
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.registry import DefaultScope

RECIPES = {
    'crnn': (
        'configs/textrecog/crnn_mini-vgg_seqclr-init_own-data.py',
        'configs/seqclr/seqclr_window-mlp_mini-vgg_200k_own-data.py',
        'mmocr::textrecog/crnn/',
    ),
    'sar': (
        'configs/textrecog/sar_resnet31_parallel-decoder_seqclr-init_own-data.py',
        'configs/seqclr/seqclr_window-mlp_resnet31-sar_200k_own-data.py',
        'mmocr::textrecog/sar/',
    ),
}


def load_tool(name, relative):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


publish = load_tool('publish_model', 'tools/model_converters/publish_model.py')
export = load_tool('export_encoder', 'tools/model_converters/export_encoder.py')


def training_checkpoint(config: str, path: Path) -> Path:
    """A checkpoint shaped like MMEngine's: the model of ``config``, an optimizer state and
    a message hub holding HistoryBuffers, numpy values in meta."""
    from mmocr.registry import MODELS

    import seqclr_mmocr  # noqa: F401

    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(str(REPO_ROOT / config)).model)
    optimizer = torch.optim.Adam(model.parameters())
    torch.save(
        dict(
            meta=dict(
                iter=np.int64(10),
                seed=np.int64(3),
                cfg='model = dict()',
                dataset_meta=dict(classes=None),
                array=np.zeros(3),
            ),
            state_dict=model.state_dict(),
            optimizer=optimizer.state_dict(),
            message_hub=dict(log_scalars={'train/loss': HistoryBuffer([1.0, 2.0], [1, 1])}),
        ),
        path,
    )
    return path


def run_without_plugin(code: str) -> dict:
    """Run ``code`` in a fresh Python without the plug-in; it prints one JSON line."""
    prelude = 'import json, sys\nassert "seqclr_mmocr" not in sys.modules\n'
    proc = subprocess.run(
        [PYTHON, '-c', prelude + code + '\nassert "seqclr_mmocr" not in sys.modules\n'],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


LOAD_CODE = """
from mmengine.runner import CheckpointLoader
try:
    checkpoint = CheckpointLoader.load_checkpoint({path!r}, map_location='cpu')
    print(json.dumps(dict(ok=True, keys=sorted(checkpoint))))
except Exception as error:
    print(json.dumps(dict(ok=False, error=type(error).__name__)))
"""


def test_published_checkpoint_keeps_weights_and_plain_meta_under_its_sha256(tmp_path):
    src = training_checkpoint(
        'configs/own_data/finetune_ctc_small-resnet-bilstm_4000it_own-data.py',
        tmp_path / 'iter_10.pth',
    )
    final = Path(publish.publish_model(str(src), str(tmp_path / 'out' / 'my_model.pth')))
    digest = hashlib.sha256(final.read_bytes()).hexdigest()
    assert final.name == f'my_model-{digest[:8]}.pth'
    assert not (tmp_path / 'out' / 'my_model.pth').exists()
    published = torch.load(final, weights_only=True)
    assert sorted(published) == ['meta', 'state_dict']
    assert published['meta'] == dict(
        iter=10, seed=3, cfg='model = dict()', dataset_meta=dict(classes=None)
    )
    original = torch.load(src, weights_only=False)['state_dict']
    assert published['state_dict'].keys() == original.keys()
    assert all(torch.equal(published['state_dict'][k], v) for k, v in original.items())
    assert final.stat().st_size < src.stat().st_size


@pytest.mark.slow
def test_published_checkpoint_loads_without_the_plugin_where_the_raw_one_does_not(tmp_path):
    src = training_checkpoint(
        'configs/own_data/finetune_ctc_small-resnet-bilstm_4000it_own-data.py',
        tmp_path / 'iter_10.pth',
    )
    final = publish.publish_model(str(src), str(tmp_path / 'model.pth'))
    assert run_without_plugin(LOAD_CODE.format(path=final)) == dict(
        ok=True, keys=['meta', 'state_dict']
    )
    assert run_without_plugin(LOAD_CODE.format(path=str(src)))['ok'] is False


def test_publish_refuses_an_output_name_without_pth(tmp_path):
    with pytest.raises(ValueError, match='must end with .pth'):
        publish.publish_model(str(tmp_path / 'in.pth'), str(tmp_path / 'out.ckpt'))


@pytest.mark.slow
@pytest.mark.parametrize('recipe', sorted(RECIPES))
def test_stock_recipe_inherits_mmocr_and_loads_the_exported_seqclr_encoder(recipe, tmp_path):
    config, pretrain_config, stock_base = RECIPES[recipe]
    assert stock_base in (REPO_ROOT / config).read_text()
    src = training_checkpoint(pretrain_config, tmp_path / 'iter_10.pth')
    encoder = tmp_path / 'encoder.pth'
    report = export.export_encoder(str(src), str(encoder))
    assert report['kept_keys'] and all(k.startswith('backbone.') for k in report['kept_keys'])
    result = run_without_plugin(f"""
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
import mmocr.models  # noqa: F401
from mmocr.registry import MODELS
cfg = Config.fromfile({str(REPO_ROOT / config)!r})
assert 'custom_imports' not in cfg
with DefaultScope.overwrite_default_scope('mmocr'):
    model = MODELS.build(cfg.model)
loaded = load_checkpoint(model, {str(encoder)!r}, map_location='cpu', strict=False)
state = model.state_dict()
backbone = sorted(k for k in state if k.startswith('backbone.'))
same = all(torch.equal(state[k], loaded['state_dict'][k]) for k in backbone)
print(json.dumps(dict(model=type(model).__name__, backbone=backbone,
                      loaded=sorted(loaded['state_dict']), same=same)))
""")
    assert result['model'] == dict(crnn='CRNN', sar='SARNet')[recipe]
    assert result['backbone'] == result['loaded'] and result['same'] is True
