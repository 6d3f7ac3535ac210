"""End to end through tools/train.py and tools/test.py on a tiny word set: SeqCLR pretraining
lowers its loss, its checkpoint loads into CTC and attention recognizers with every encoder
weight matched, decoder evaluation keeps the encoder bit-identical, and both decoders fit."""

import json
from pathlib import Path

import pytest
import torch
from conftest import REPO_ROOT, run_repo_tool

pytestmark = pytest.mark.slow

PRETRAIN_CONFIG = (
    'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)
DECODER_EVAL = {
    'ctc': 'configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py',
    'attn': 'configs/decoder_eval/decoder-eval_attn_small-resnet-bilstm_800it_demo-handwriting.py',
}
RECOGNIZERS = {
    'ctc': 'configs/_base_/models/ctc_small-resnet-bilstm.py',
    'attn': 'configs/_base_/models/attn_small-resnet-bilstm.py',
}
ENCODER_PREFIXES = ('preprocessor.', 'backbone.', 'encoder.')


def loader_options(data_root: Path, loaders=('train', 'val', 'test'), batch_size=8) -> list:
    opts = [
        f'train_dataloader.batch_size={batch_size}',
        'default_hooks.logger.interval=1',
        'randomness.seed=0',
    ]
    for name in loaders:
        opts += [
            f'{name}_dataloader.dataset.datasets.0.data_root={data_root}',
            f'{name}_dataloader.num_workers=0',
            f'{name}_dataloader.persistent_workers=False',
        ]
    return opts


def train_losses(work_dir: Path) -> list:
    scalars = sorted(work_dir.glob('*/vis_data/scalars.json'))[-1]
    rows = [json.loads(line) for line in scalars.read_text().splitlines()]
    return [row['loss'] for row in rows if 'loss' in row and 'lr' in row]


def load_state(path: Path) -> dict:
    from seqclr_mmocr.utils import safe_torch_load

    return safe_torch_load(str(path), map_location='cpu')['state_dict']


def encoder_items(state: dict) -> dict:
    return {k: v for k, v in state.items() if k.startswith(ENCODER_PREFIXES)}


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    """A 30-iteration SeqCLR pretraining on 24 unlabelled word images."""
    from conftest import make_word_images

    root = tmp_path_factory.mktemp('words')
    for seed, (split, num) in enumerate(
        [('train', 24), ('val', 8), ('test', 8), ('unlabeled', 24)]
    ):
        make_word_images(root, num=num, seed=seed, split=split)
    work_dir = root / 'pretrain'
    run_repo_tool(
        [
            'tools/train.py',
            PRETRAIN_CONFIG,
            '--work-dir',
            str(work_dir),
            '--cfg-options',
            'train_cfg.max_iters=30',
            'train_cfg.val_interval=30',
            'default_hooks.checkpoint.interval=30',
            'param_scheduler.0.milestones=[25,28]',
            'val_dataloader.batch_size=8',
        ]
        + loader_options(root, ('train', 'val'))
    )
    return root, work_dir / 'iter_30.pth', train_losses(work_dir)


def test_tiny_seqclr_pretraining_through_train_py_lowers_the_loss(pretrained):
    _, checkpoint, losses = pretrained
    assert checkpoint.exists()
    assert len(losses) == 30
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < first - 0.1, f'loss did not fall: first 5 mean {first:.3f}, last 5 {last:.3f}'


@pytest.mark.parametrize('decoder', ['ctc', 'attn'])
def test_pretrained_checkpoint_loads_into_recognizer_with_every_encoder_weight(pretrained, decoder):
    from mmengine import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    import seqclr_mmocr  # noqa: F401

    _, checkpoint, _ = pretrained
    cfg = Config.fromfile(str(REPO_ROOT / RECOGNIZERS[decoder]))
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model)
    source = load_state(checkpoint)
    result = model.load_state_dict(source, strict=False)
    print(f'{decoder}: missing {result.missing_keys}\nunexpected {result.unexpected_keys}')
    assert result.missing_keys and all(k.startswith('decoder.') for k in result.missing_keys)
    assert result.unexpected_keys and all(k.startswith('head.') for k in result.unexpected_keys)
    model_state = model.state_dict()
    encoder_keys = encoder_items(model_state)
    assert encoder_keys and set(encoder_keys) == set(encoder_items(source))
    for key in encoder_keys:
        assert torch.equal(model_state[key], source[key]), key


@pytest.mark.parametrize('decoder', ['ctc', 'attn'])
def test_decoder_evaluation_fits_and_keeps_the_encoder_bit_identical(pretrained, decoder, tmp_path):
    root, checkpoint, _ = pretrained
    work_dir = tmp_path / decoder
    output = run_repo_tool(
        [
            'tools/train.py',
            DECODER_EVAL[decoder],
            '--work-dir',
            str(work_dir),
            '--cfg-options',
            f'load_from={checkpoint}',
            'train_cfg.max_iters=40',
            'optim_wrapper.optimizer.lr=0.01',
            'train_cfg.val_interval=40',
            'param_scheduler.0.milestones=[30,35]',
            'default_hooks.checkpoint.interval=40',
            'val_dataloader.batch_size=8',
        ]
        + loader_options(root, ('train', 'val'))
    )
    assert 'shape mismatches: 0' in output
    losses = train_losses(work_dir)
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < 0.8 * first, f'{decoder} decoder did not fit: {first:.3f} -> {last:.3f}'

    before = encoder_items(load_state(checkpoint))
    after = encoder_items(load_state(work_dir / 'iter_40.pth'))
    assert set(before) == set(after)
    # Parameters and BatchNorm running statistics alike.
    assert any('running_mean' in k for k in before)
    for key, value in before.items():
        assert torch.equal(value, after[key]), f'{key} changed during decoder evaluation'

    output = run_repo_tool(
        [
            'tools/test.py',
            DECODER_EVAL[decoder],
            str(work_dir / 'iter_40.pth'),
            '--work-dir',
            str(work_dir / 'test'),
            '--cfg-options',
        ]
        + loader_options(root, ('test',))
    )
    assert 'DemoHW/recog/word_acc' in output and 'DemoHW/recog/cer' in output
