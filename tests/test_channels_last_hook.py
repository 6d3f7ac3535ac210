"""ChannelsLastHook: the demo's small backbone switches to channels_last memory format before a
run, and computes what the contiguous model computes (up to float rounding)."""

import copy
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.registry import MODEL_WRAPPERS, init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import nn

from seqclr_mmocr.engine.hooks import ChannelsLastHook

FINETUNE_CONFIG = (
    REPO_ROOT / 'configs/finetune/finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-5pct.py'
)


def build_demo_recognizer() -> nn.Module:
    init_default_scope('mmocr')
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(str(FINETUNE_CONFIG)).model)


def word_batch(batch_size: int = 4, dtype: torch.dtype = torch.float32):
    generator = torch.Generator().manual_seed(1)
    images = torch.randn(batch_size, 1, 32, 100, generator=generator, dtype=dtype)
    samples = []
    for word in ['abc', 'hello', 'Zq9', 'seqclr'][:batch_size]:
        sample = TextRecogDataSample(metainfo=dict(valid_ratio=1.0, img_shape=(32, 100)))
        sample.gt_text = LabelData(item=word)
        samples.append(sample)
    return images, samples


def loss_and_grads(model: nn.Module):
    images, samples = word_batch(dtype=next(model.parameters()).dtype)
    model.train()
    model.zero_grad()
    losses = model(images, samples, mode='loss')
    loss = sum(value for key, value in losses.items() if 'loss' in key)
    loss.backward()
    return loss.detach(), {name: p.grad.clone() for name, p in model.named_parameters()}


def convolution_weights(module: nn.Module):
    return [(n, m.weight) for n, m in module.named_modules() if isinstance(m, nn.Conv2d)]


def test_hook_puts_every_backbone_convolution_in_channels_last_and_nothing_else():
    model = build_demo_recognizer()
    other_before = {n: p.stride() for n, p in model.named_parameters() if 'backbone' not in n}
    ChannelsLastHook().before_run(SimpleNamespace(model=model))

    weights = convolution_weights(model.backbone)
    assert len(weights) >= 5
    for name, weight in weights:
        assert weight.is_contiguous(memory_format=torch.channels_last), name
    # A 3x3 kernel over several input channels is laid out differently in the two formats.
    assert any(not w.is_contiguous() for _, w in weights if w.shape[1] > 1 and w.shape[-1] > 1)
    other_after = {n: p.stride() for n, p in model.named_parameters() if 'backbone' not in n}
    assert other_after == other_before


def test_converted_model_gives_the_contiguous_models_loss_and_gradients_in_float64():
    # In float64 the two layouts agree to rounding; in float32 the untrained network's CTC
    # loss amplifies the different summation orders to up to 2% of some gradients.
    reference = build_demo_recognizer().double()
    converted = copy.deepcopy(reference)
    ChannelsLastHook().before_run(SimpleNamespace(model=converted))

    expected_loss, expected_grads = loss_and_grads(reference)
    loss, grads = loss_and_grads(converted)
    torch.testing.assert_close(loss, expected_loss, rtol=1e-12, atol=1e-12)
    assert grads.keys() == expected_grads.keys()
    for name, grad in grads.items():
        scale = expected_grads[name].abs().max().item()
        torch.testing.assert_close(grad, expected_grads[name], rtol=0, atol=1e-10 * scale, msg=name)
    backbone_grads = [g for n, g in grads.items() if n.startswith('backbone') and g.dim() == 4]
    assert any(not g.is_contiguous() for g in backbone_grads)  # computed in channels_last


def test_an_optimizer_built_before_the_hook_still_steps_the_converted_parameters():
    # The runner builds the optimizer before before_run: the hook must keep the parameter
    # objects, or the optimizer would step tensors the model no longer uses.
    reference = build_demo_recognizer().double()
    converted = copy.deepcopy(reference)
    # SGD: the step is linear in the gradient (Adam's g / sqrt(v) turns rounding-level
    # differences of near-zero gradients into full steps).
    optimizers = [torch.optim.SGD(m.parameters(), lr=0.1) for m in (reference, converted)]
    ChannelsLastHook().before_run(SimpleNamespace(model=converted))
    for model, optimizer in zip((reference, converted), optimizers):
        loss_and_grads(model)
        optimizer.step()
    for (name, expected), (_, got) in zip(
        reference.named_parameters(), converted.named_parameters()
    ):
        torch.testing.assert_close(got, expected, rtol=0, atol=1e-9, msg=name)
    changed = [
        name
        for (name, after), before in zip(
            converted.named_parameters(), build_demo_recognizer().double().parameters()
        )
        if not torch.equal(after, before)
    ]
    assert any(name.startswith('backbone.') for name in changed)


def test_unknown_submodule_is_named_in_the_error():
    with pytest.raises(AttributeError, match=r"no submodule 'neck'"):
        ChannelsLastHook(modules=['neck']).before_run(SimpleNamespace(model=nn.Conv2d(2, 2, 3)))


def test_empty_module_list_is_refused():
    with pytest.raises(ValueError, match='at least one submodule'):
        ChannelsLastHook(modules=[])


@MODEL_WRAPPERS.register_module(force=True)
class _FakeDistributedWrapper(nn.Module):
    def __init__(self, module: nn.Module):
        super().__init__()
        self.module = module


def test_a_model_wrapped_for_distributed_training_is_left_contiguous():
    model = build_demo_recognizer()
    ChannelsLastHook().before_run(SimpleNamespace(model=_FakeDistributedWrapper(model)))
    assert all(w.is_contiguous() for _, w in convolution_weights(model.backbone))


def test_the_demo_configs_enable_the_hook_and_the_paper_configs_do_not():
    demo = Config.fromfile(str(FINETUNE_CONFIG))
    assert demo.default_hooks.memory_format == dict(type='ChannelsLastHook')
    paper = Config.fromfile(
        str(REPO_ROOT / 'configs/finetune/finetune_ctc_tps-resnet31-bilstm_50k_iam-5pct.py')
    )
    assert 'memory_format' not in paper.default_hooks
