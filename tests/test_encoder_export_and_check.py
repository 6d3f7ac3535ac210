"""Exporting a pretrained encoder and checking it against the downstream model:
tools/model_converters/export_encoder.py and PretrainedEncoderCheckHook."""

import os.path as osp
import subprocess
import sys
from types import SimpleNamespace

import mmocr
import pytest
import torch
from conftest import PYTHON, REPO_ROOT, python_env
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmocr.registry import MODELS

from seqclr_mmocr.engine.hooks.pretrained_encoder_check_hook import PretrainedEncoderCheckHook

sys.path.insert(0, str(REPO_ROOT / 'tools' / 'model_converters'))
from export_encoder import export_encoder  # noqa: E402

DICT_FILE = osp.join(osp.dirname(mmocr.__file__), '.mim', 'dicts', 'lower_english_digits.txt')


def crnn(input_channels: int = 1):
    init_default_scope('mmocr')  # the data preprocessor is built through the scope
    return MODELS.build(
        dict(
            type='CRNN',
            backbone=dict(type='MiniVGG', leaky_relu=False, input_channels=input_channels),
            decoder=dict(
                type='CRNNDecoder',
                in_channels=512,
                rnn_flag=False,
                dictionary=dict(type='Dictionary', dict_file=DICT_FILE, with_padding=True),
                module_loss=dict(type='CTCModuleLoss'),
                postprocessor=dict(type='CTCPostProcessor'),
            ),
            data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[127], std=[127]),
        )
    )


@pytest.fixture
def pretrained(tmp_path):
    """A SeqCLR-like checkpoint: an initialised CRNN's weights plus a pretraining head."""
    torch.manual_seed(0)
    model = crnn()
    model.init_weights()
    state_dict = model.state_dict()
    state_dict['head.x'] = torch.randn(3, 2)
    path = tmp_path / 'pretrain.pth'
    torch.save(dict(state_dict=state_dict, meta=dict(iter=7, experiment_name='seqclr')), path)
    return path, model


def fake_runner(model, iteration=0):
    return SimpleNamespace(model=model, iter=iteration)


def test_export_keeps_encoder_keys_only_and_loads_into_mmocr_crnn(pretrained, tmp_path):
    src, source_model = pretrained
    dst = tmp_path / 'out' / 'encoder.pth'
    report = export_encoder(str(src), str(dst))

    backbone_keys = [k for k in source_model.state_dict() if k.startswith('backbone.')]
    assert report['per_prefix'] == {
        'preprocessor.': 0,
        'backbone.': len(backbone_keys),
        'encoder.': 0,
    }
    assert 'head.x' in report['dropped_keys']
    assert any(k.startswith('decoder.') for k in report['dropped_keys'])

    exported = torch.load(dst, map_location='cpu', weights_only=True)
    assert sorted(exported['state_dict']) == sorted(backbone_keys)
    assert exported['meta']['source_meta'] == dict(iter=7, experiment_name='seqclr')
    assert all(type(v) is torch.Tensor for v in exported['state_dict'].values())

    target = crnn()
    load_checkpoint(target, str(dst), map_location='cpu', strict=False)
    source_state, target_state = source_model.state_dict(), target.state_dict()
    for key in backbone_keys:
        assert torch.equal(source_state[key], target_state[key]), key


def test_export_with_no_matching_prefix_raises_naming_the_file(pretrained, tmp_path):
    src, _ = pretrained
    with pytest.raises(ValueError, match='pretrain.pth.*no tensor key'):
        export_encoder(str(src), str(tmp_path / 'x.pth'), prefixes=['encoder.'])


@pytest.mark.slow
def test_export_cli_prints_counts_and_dropped_keys(pretrained, tmp_path):
    src, source_model = pretrained
    num_backbone = sum(k.startswith('backbone.') for k in source_model.state_dict())
    dst = tmp_path / 'cli.pth'
    proc = subprocess.run(
        [
            PYTHON,
            'tools/model_converters/export_encoder.py',
            str(src),
            str(dst),
            '--prefixes',
            'backbone.',
        ],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert f'backbone.*: {num_backbone} keys' in output
    assert 'dropped (outside the prefixes)' in output
    assert 'head.x' in output and dst.exists()


def test_check_hook_passes_for_the_same_encoder(pretrained, tmp_path):
    src, _ = pretrained
    dst = tmp_path / 'encoder.pth'
    export_encoder(str(src), str(dst))
    model = crnn()
    hook = PretrainedEncoderCheckHook(str(dst))
    hook.before_run(fake_runner(model))
    load_checkpoint(model, str(dst), map_location='cpu', strict=False)
    hook.before_train(fake_runner(model))


def test_check_hook_raises_on_a_shape_mismatch_with_both_shapes(pretrained):
    src, _ = pretrained
    hook = PretrainedEncoderCheckHook(str(src))
    with pytest.raises(RuntimeError) as error:
        hook.before_run(fake_runner(crnn(input_channels=3)))
    message = str(error.value)
    assert 'backbone.cnn.conv0.weight: checkpoint (64, 1, 3, 3) vs model (64, 3, 3, 3)' in message
    assert 'decoder.' not in message


def test_check_hook_raises_on_a_missing_encoder_key(pretrained, tmp_path):
    src, _ = pretrained
    checkpoint = torch.load(src, weights_only=True)
    del checkpoint['state_dict']['backbone.cnn.batchnorm2.running_var']
    del checkpoint['state_dict']['decoder.decoder.weight']  # outside the prefixes: fine
    path = tmp_path / 'partial.pth'
    torch.save(checkpoint, path)
    with pytest.raises(
        RuntimeError,
        match=r'missing in checkpoint: backbone\.cnn\.batchnorm2'
        r'\.running_var$',
    ):
        PretrainedEncoderCheckHook(str(path)).before_run(fake_runner(crnn()))
    # Non-strict mode only reports.
    PretrainedEncoderCheckHook(str(path), strict=False).before_run(fake_runner(crnn()))


def test_check_hook_raises_on_encoder_keys_the_model_lacks(pretrained, tmp_path):
    src, _ = pretrained
    checkpoint = torch.load(src, weights_only=True)
    checkpoint['state_dict']['encoder.layers.0.linear.weight'] = torch.zeros(2, 2)
    path = tmp_path / 'with_encoder.pth'
    torch.save(checkpoint, path)
    with pytest.raises(RuntimeError, match=r'unexpected in checkpoint.*encoder\.layers'):
        PretrainedEncoderCheckHook(str(path)).before_run(fake_runner(crnn()))


def test_check_hook_reads_raw_state_dicts_and_unwraps_model_wrappers(pretrained, tmp_path):
    from mmengine.model.wrappers import MMDistributedDataParallel

    src, _ = pretrained
    raw = {'module.' + k: v for k, v in torch.load(src, weights_only=True)['state_dict'].items()}
    path = tmp_path / 'raw.pth'
    torch.save(raw, path)
    model = crnn()
    # A bare instance: a real DDP needs a process group, the hook only needs .module.
    wrapper = MMDistributedDataParallel.__new__(MMDistributedDataParallel)
    torch.nn.Module.__init__(wrapper)
    wrapper.module = model
    PretrainedEncoderCheckHook(str(path)).before_run(fake_runner(wrapper))


def test_check_hook_detects_a_checkpoint_that_was_checked_but_not_loaded(pretrained):
    src, _ = pretrained
    model = crnn()
    model.init_weights()  # fresh weights, no load_from
    hook = PretrainedEncoderCheckHook(str(src))
    hook.before_run(fake_runner(model))
    with pytest.raises(RuntimeError, match='checked but not loaded'):
        hook.before_train(fake_runner(model))
    # A resumed run has trained weights: no value check then.
    hook.before_run(fake_runner(model))
    hook.before_train(fake_runner(model, iteration=5))


def runner_config(data_root, work_dir, checkpoint, load_from):
    from seqclr_mmocr.models.decoders.ctc_frame_decoder import CTCFrameDecoder  # noqa: F401
    from seqclr_mmocr.models.recognizers.frozen_encoder_recognizer import FrozenEncoderRecognizer  # noqa: F401

    pipeline = [
        dict(type='LoadImageFromFile', color_type='grayscale'),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='Resize', scale=(100, 32), keep_ratio=False),
        dict(
            type='PackTextRecogInputs',
            meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'),
        ),
    ]
    return dict(
        default_scope='mmocr',
        work_dir=str(work_dir),
        model=dict(
            type='FrozenEncoderRecognizer',
            backbone=dict(type='MiniVGG', leaky_relu=False, input_channels=1),
            decoder=dict(
                type='CTCFrameDecoder',
                in_channels=512,
                in_features='V',
                dictionary=dict(type='Dictionary', dict_file=DICT_FILE, with_padding=True),
                module_loss=dict(type='CTCModuleLoss', letter_case='lower'),
                postprocessor=dict(type='CTCPostProcessor'),
            ),
            data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[127], std=[127]),
        ),
        train_dataloader=dict(
            batch_size=4,
            num_workers=0,
            persistent_workers=False,
            sampler=dict(type='InfiniteSampler', shuffle=True),
            dataset=dict(
                type='OCRDataset',
                data_root=str(data_root),
                ann_file='textrecog_train.json',
                pipeline=pipeline,
            ),
        ),
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=2, val_interval=1000),
        optim_wrapper=dict(
            type='OptimWrapper', optimizer=dict(type='Adadelta', lr=1.0, weight_decay=1e-4)
        ),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=1000),
            logger=dict(type='LoggerHook', interval=1),
        ),
        custom_hooks=[dict(type='PretrainedEncoderCheckHook', checkpoint=str(checkpoint))],
        log_processor=dict(by_epoch=False),
        load_from=load_from,
    )


def test_runner_trains_a_decoder_on_the_exported_frozen_encoder(pretrained, word_dataset, tmp_path):
    from mmengine.config import Config
    from mmengine.runner import Runner

    src, source_model = pretrained
    dst = tmp_path / 'encoder.pth'
    export_encoder(str(src), str(dst))

    runner = Runner.from_cfg(
        Config(runner_config(word_dataset, tmp_path / 'work', dst, load_from=str(dst)))
    )
    runner.train()
    assert runner.iter == 2
    trained_state = runner.model.state_dict()
    for key, value in source_model.state_dict().items():
        if key.startswith('backbone.'):
            assert torch.equal(value, trained_state[key]), key

    # The same run without load_from trains on a random encoder: the hook stops it.
    runner = Runner.from_cfg(
        Config(runner_config(word_dataset, tmp_path / 'work_unloaded', dst, load_from=None))
    )
    with pytest.raises(RuntimeError, match='checked but not loaded'):
        runner.train()
