"""SeqCLR/SimCLR wiring: map-to-sequence, BiLSTM packing, forward modes, build-time checks,
and checkpoint compatibility with MMOCR's stock CRNN."""

from pathlib import Path

import pytest
import torch
from conftest import REPO_ROOT
from mmengine import Config
from mmengine.registry import DefaultScope
from mmocr.registry import MODELS

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.models.encoders import BiLSTMEncoder
from seqclr_mmocr.models.utils import map_to_sequence

SMALL_BACKBONE = dict(
    type='ResNet',
    in_channels=1,
    stem_channels=[8],
    block_cfgs=dict(type='BasicBlock', use_conv1x1='True'),
    arch_layers=[1, 1],
    arch_channels=[8, 16],
    strides=[(2, 2), (2, 2)],
)
LOSS = dict(type='SequenceContrastiveLoss', temperature=0.1)


def build(cfg):
    with DefaultScope.overwrite_default_scope('mmocr'):
        return MODELS.build(cfg)


def seqclr_cfg(**overrides):
    cfg = dict(
        type='SeqCLR',
        backbone=SMALL_BACKBONE,
        encoder=dict(type='BiLSTMEncoder', in_channels=16, hidden_channels=8),
        representation='contextual',
        loss=LOSS,
        instance_mapper=dict(type='WindowToInstance', num_windows=3),
        data_preprocessor=dict(type='SeqCLRDataPreprocessor', mean=[0.0], std=[1.0]),
    )
    cfg.update(overrides)
    return cfg


def test_map_to_sequence_pools_height_only():
    feat = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
    frames = map_to_sequence(feat)
    assert frames.shape == (2, 5, 3)
    for n in range(2):
        for t in range(5):
            for c in range(3):
                expected = sum(feat[n, c, h, t].item() for h in range(4)) / 4
                assert frames[n, t, c].item() == pytest.approx(expected)


def test_bilstm_encoder_valid_frames_ignore_padding():
    torch.manual_seed(0)
    encoder = BiLSTMEncoder(in_channels=4, hidden_channels=6, num_layers=2).eval()
    valid = torch.randn(1, 4, 1, 5)
    padded_a = torch.cat([valid, torch.zeros(1, 4, 1, 3)], dim=-1)
    padded_b = torch.cat([valid, 100 * torch.randn(1, 4, 1, 3)], dim=-1)
    samples = [dict(valid_ratio=5 / 8)]
    out_a, out_b = encoder(padded_a, samples), encoder(padded_b, samples)
    alone = encoder(valid)
    assert torch.allclose(out_a[:, :5], alone, atol=1e-6)
    assert torch.allclose(out_b[:, :5], alone, atol=1e-6)


def test_bilstm_encoder_hv_output_concatenates_h_and_v():
    encoder = BiLSTMEncoder(in_channels=4, hidden_channels=6, output='HV')
    feat = torch.randn(2, 4, 2, 7)
    out = encoder(feat)
    assert out.shape == (2, 7, 10) and encoder.out_channels == 10
    assert torch.allclose(out[..., 6:], map_to_sequence(feat))


def test_seqclr_forward_modes_give_frames_and_a_loss_with_retrieval_accuracy():
    torch.manual_seed(0)
    model = build(
        seqclr_cfg(
            head=dict(type='BiLSTMProjectionHead', in_channels=8, hidden_channels=8, out_channels=8)
        )
    )
    views = [torch.randn(4, 1, 16, 40), torch.randn(4, 1, 16, 40)]
    frames = model(views, mode='tensor')
    assert frames.shape == (4, 10, 8)
    losses = model(views, mode='loss')
    assert set(losses) == {'loss', 'retrieval_acc'}
    assert losses['loss'].requires_grad and 0 <= float(losses['retrieval_acc']) <= 1


def test_simclr_pools_each_image_to_one_instance():
    model = build(
        dict(
            type='SimCLR',
            backbone=SMALL_BACKBONE,
            representation='visual',
            pooling='mean',
            loss=LOSS,
            head=dict(type='SimCLRMLPHead', in_channels=16, hidden_channels=8, out_channels=4),
        )
    )
    frames = torch.randn(6, 10, 16)
    lengths = torch.full((6,), 10)
    a, b = model.embed(frames, lengths, num_images=3)
    assert a.shape == b.shape == (3, 4)


@pytest.mark.parametrize(
    'cfg, message',
    [
        (seqclr_cfg(head=dict(type='SimCLRMLPHead', in_channels=8)), r'model\.head'),
        (seqclr_cfg(encoder=None), r"model\.representation='contextual'.*model\.encoder"),
        (seqclr_cfg(representation='pixels'), r'model\.representation'),
        (
            dict(
                type='SimCLR',
                backbone=SMALL_BACKBONE,
                representation='visual',
                loss=LOSS,
                head=dict(type='BiLSTMProjectionHead', in_channels=16),
            ),
            r'model\.head',
        ),
    ],
)
def test_incompatible_parts_fail_at_build_time_naming_the_fields(cfg, message):
    with pytest.raises(ValueError, match=message):
        build(cfg)


def test_seqclr_on_mini_vgg_loads_into_mmocr_stock_crnn_backbone():
    seqclr_cfg_file = REPO_ROOT / 'configs/seqclr/seqclr_window-mlp_mini-vgg_200k_iam.py'
    seqclr = build(Config.fromfile(str(seqclr_cfg_file)).model)
    import mmocr

    mmocr_configs = Path(mmocr.__file__).parent / '.mim' / 'configs'
    crnn_cfg = Config.fromfile(str(mmocr_configs / 'textrecog/crnn/_base_crnn_mini-vgg.py'))
    crnn = build(crnn_cfg.model)
    result = crnn.load_state_dict(seqclr.state_dict(), strict=False)
    print('missing', result.missing_keys, '\nunexpected', result.unexpected_keys)
    assert all(k.startswith('decoder.') for k in result.missing_keys)
    assert all(k.startswith('head.') for k in result.unexpected_keys)
    backbone = {k: v for k, v in crnn.state_dict().items() if k.startswith('backbone.')}
    assert backbone and all(torch.equal(v, seqclr.state_dict()[k]) for k, v in backbone.items())
