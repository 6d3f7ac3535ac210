"""FrozenEncoderRecognizer: the decoder-evaluation protocol trains the decoder only; the
pretrained encoder, BatchNorm statistics included, must not move."""

import os.path as osp

import mmocr
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

import seqclr_mmocr.models.encoders  # noqa: F401  (registers BiLSTMEncoder)
from seqclr_mmocr.models.decoders.ctc_frame_decoder import CTCFrameDecoder  # noqa: F401
from seqclr_mmocr.models.recognizers.frozen_encoder_recognizer import FrozenEncoderRecognizer  # noqa: F401

DICT_FILE = osp.join(osp.dirname(mmocr.__file__), '.mim', 'dicts', 'lower_english_digits.txt')
FROZEN_PREFIXES = ('backbone.', 'encoder.')


def build_model(frozen_modules=('preprocessor', 'backbone', 'encoder')):
    init_default_scope('mmocr')  # the data preprocessor is built through the scope
    return MODELS.build(
        dict(
            type='FrozenEncoderRecognizer',
            frozen_modules=frozen_modules,
            backbone=dict(type='MiniVGG', leaky_relu=False, input_channels=1),
            encoder=dict(type='BiLSTMEncoder', in_channels=512, hidden_channels=16, num_layers=1),
            decoder=dict(
                type='CTCFrameDecoder',
                in_channels=16,
                in_features='H',
                dictionary=dict(type='Dictionary', dict_file=DICT_FILE, with_padding=True),
                module_loss=dict(type='CTCModuleLoss', letter_case='lower'),
                postprocessor=dict(type='CTCPostProcessor'),
            ),
            data_preprocessor=dict(type='TextRecogDataPreprocessor', mean=[127], std=[127]),
        )
    )


def batch(seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    inputs, data_samples = [], []
    for word, width in [('ink', 48), ('pen', 64), ('note', 56), ('hand', 64)]:
        inputs.append(torch.randint(0, 256, (1, 32, width), generator=generator, dtype=torch.uint8))
        sample = TextRecogDataSample()
        sample.gt_text = LabelData(item=word)
        sample.set_metainfo(dict(valid_ratio=1.0, img_shape=(32, width)))
        data_samples.append(sample)
    return dict(inputs=inputs, data_samples=data_samples)


def snapshot(model, prefixes):
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k.startswith(prefixes)}


def test_frozen_modules_stay_in_eval_mode_after_train():
    model = build_model()
    assert model.frozen_modules == ('backbone', 'encoder')  # no preprocessor in this model
    model.train()
    for name in ('backbone', 'encoder'):
        assert all(not m.training for m in getattr(model, name).modules()), name
    assert model.training and model.decoder.training
    model.eval()
    model.train(True)
    assert not model.backbone.training and model.decoder.training


def test_frozen_modules_get_requires_grad_false_at_construction():
    model = build_model()
    for name, param in model.named_parameters():
        assert param.requires_grad == name.startswith('decoder.'), name


def test_unknown_frozen_module_name_raises_naming_the_field():
    with pytest.raises(ValueError, match=r"frozen_modules.*\['decoder'\]"):
        build_model(frozen_modules=('backbone', 'decoder'))


def test_adadelta_steps_leave_encoder_and_batchnorm_statistics_bit_identical():
    torch.manual_seed(0)
    model = build_model()
    model.init_weights()
    # Make the running statistics differ from BatchNorm's defaults, as pretrained ones do.
    with torch.no_grad():
        for module in model.backbone.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-1, 1)
                module.running_var.uniform_(0.5, 2)
    frozen_before = snapshot(model, FROZEN_PREFIXES)
    assert any('running_mean' in k for k in frozen_before)
    decoder_before = snapshot(model, ('decoder.',))

    optim_wrapper = OptimWrapper(
        torch.optim.Adadelta(model.parameters(), lr=1.0, weight_decay=1e-4)
    )
    model.train()
    for step in range(3):
        log_vars = model.train_step(batch(step), optim_wrapper)
        assert torch.isfinite(log_vars['loss'])

    frozen_after = snapshot(model, FROZEN_PREFIXES)
    assert frozen_after.keys() == frozen_before.keys()
    for key, value in frozen_before.items():
        assert torch.equal(value, frozen_after[key]), key
    decoder_after = snapshot(model, ('decoder.',))
    assert any(not torch.equal(v, decoder_after[k]) for k, v in decoder_before.items())
    assert all(p.grad is None for p in model.backbone.parameters())


def test_loss_runs_the_frozen_encoder_without_autograd():
    model = build_model().train()
    grad_enabled = {}
    for name in ('backbone', 'encoder', 'decoder'):
        getattr(model, name).register_forward_hook(
            lambda module, args, out, name=name: grad_enabled.update(
                {name: torch.is_grad_enabled()}
            )
        )
    data = model.data_preprocessor(batch(), training=True)
    model.loss(data['inputs'], data['data_samples'])
    assert grad_enabled == dict(backbone=False, encoder=False, decoder=True)


def test_trainable_encoder_behind_frozen_backbone_still_gets_gradients():
    model = build_model(frozen_modules=('backbone',)).train()
    data = model.data_preprocessor(batch(), training=True)
    loss = sum(model.loss(data['inputs'], data['data_samples']).values())
    loss.backward()
    assert all(p.grad is not None for p in model.encoder.parameters())
    assert all(p.grad is None for p in model.backbone.parameters())
    assert model.encoder.training and not model.backbone.training


def test_predict_returns_text_for_every_sample():
    model = build_model().eval()
    with torch.no_grad():
        results = model.val_step(batch())
    assert len(results) == 4 and all(isinstance(r.pred_text.item, str) for r in results)


def test_empty_frozen_modules_trains_everything_for_fine_tuning():
    model = build_model(frozen_modules=()).train()
    assert model.frozen_modules == ()
    assert all(p.requires_grad for p in model.parameters())
    assert model.backbone.training and model.encoder.training
