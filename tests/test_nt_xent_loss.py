# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""SeqCLR contrastive loss against a loop reference written from eq. 1."""

import math

import pytest
import torch
from mmocr.registry import MODELS

from seqclr_mmocr.models.instance_mappers.window_to_instance import WindowToInstance
from seqclr_mmocr.models.losses import sequence_contrastive_loss
from seqclr_mmocr.models.losses.nt_xent import nt_xent_rows
from seqclr_mmocr.models.losses.sequence_contrastive_loss import SequenceContrastiveLoss

# ---------------------------------------------------------------- references


def _cosine(u, v):
    dot = sum(x * y for x, y in zip(u, v))
    return dot / (math.sqrt(sum(x * x for x in u)) * math.sqrt(sum(y * y for y in v)))


def reference_loss_and_accuracy(instances_a, instances_b, temperature=0.1):
    """Eq. 1 with python floats, divided by the 2M rows; and the fraction of
    rows whose positive is strictly the most similar instance but self."""
    a, b = instances_a.tolist(), instances_b.tolist()
    num = len(a)
    union = a + b
    total, hits = 0.0, 0
    for r in range(2 * num):
        positive = r + num if r < num else r - num
        numerator = math.exp(_cosine(union[r], union[positive]) / temperature)
        denominator = sum(
            math.exp(_cosine(union[r], union[j]) / temperature) for j in range(2 * num) if j != r
        )
        total += -math.log(numerator / denominator)
        positive_sim = _cosine(union[r], union[positive])
        hits += all(
            positive_sim > _cosine(union[r], union[j])
            for j in range(2 * num)
            if j not in (r, positive)
        )
    return total / (2 * num), hits / (2 * num)


def reference_loss_autograd(instances_a, instances_b, temperature=0.1):
    """The same loop on torch scalars, so that autograd gives gradients."""
    num = instances_a.shape[0]
    union = [instances_a[r] for r in range(num)] + [instances_b[r] for r in range(num)]

    def cosine(u, v):
        return torch.dot(u, v) / (u.norm() * v.norm())

    total = 0
    for r in range(2 * num):
        positive = r + num if r < num else r - num
        numerator = torch.exp(cosine(union[r], union[positive]) / temperature)
        denominator = sum(
            torch.exp(cosine(union[r], union[j]) / temperature) for j in range(2 * num) if j != r
        )
        total = total - torch.log(numerator / denominator)
    return total / (2 * num)


def _random_views(num, num_features=6, noise=0.5, seed=0, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    a = torch.randn(num, num_features, generator=generator, dtype=dtype)
    b = a + noise * torch.randn(num, num_features, generator=generator, dtype=dtype)
    return a, b


def _pair_indices(num):
    own = torch.arange(num)
    return torch.cat([own + num, own]), torch.cat([own, own + num])


# ---------------------------------------------------------- module vs eq. 1


@pytest.mark.parametrize('num, temperature', [(2, 0.1), (9, 0.1), (13, 0.5)])
def test_loss_and_accuracy_match_eq1_loop_reference(num, temperature):
    a, b = _random_views(num, seed=num)
    loss, acc = SequenceContrastiveLoss(temperature=temperature)(a, b)
    expected_loss, expected_acc = reference_loss_and_accuracy(a, b, temperature)
    assert loss.item() == pytest.approx(expected_loss, rel=1e-10)
    assert acc.item() == pytest.approx(expected_acc)


def test_loss_on_instances_of_variable_width_images_matches_reference():
    generator = torch.Generator().manual_seed(3)
    lengths = torch.tensor([2, 9, 5, 1, 7])
    frames_a = torch.randn(5, 9, 4, generator=generator, dtype=torch.float64)
    frames_b = frames_a + 0.3 * torch.randn(5, 9, 4, generator=generator, dtype=torch.float64)
    padding = torch.arange(9)[None, :] >= lengths[:, None]
    frames_a[padding] = 1e6
    frames_b[padding] = -1e6
    mapper = WindowToInstance(num_windows=3)
    instances_a, index_a = mapper(frames_a, lengths)
    instances_b, index_b = mapper(frames_b, lengths)
    assert torch.equal(index_a, index_b) and len(index_a) == 2 + 3 + 3 + 1 + 3

    loss, acc = SequenceContrastiveLoss()(instances_a, instances_b)
    expected_loss, expected_acc = reference_loss_and_accuracy(instances_a, instances_b)
    assert loss.item() == pytest.approx(expected_loss, rel=1e-10)
    assert acc.item() == pytest.approx(expected_acc)


@pytest.mark.parametrize('implementation', ['dense', 'lean'])
def test_gradients_match_loop_reference(implementation):
    a, b = _random_views(7, seed=5)
    a.requires_grad_(True)
    b.requires_grad_(True)
    loss, _ = SequenceContrastiveLoss(implementation=implementation, block_size=3)(a, b)
    grad_a, grad_b = torch.autograd.grad(loss, (a, b))
    expected_a, expected_b = torch.autograd.grad(reference_loss_autograd(a, b), (a, b))
    torch.testing.assert_close(grad_a, expected_a, rtol=1e-9, atol=1e-12)
    torch.testing.assert_close(grad_b, expected_b, rtol=1e-9, atol=1e-12)


def test_loss_weight_scales_loss():
    a, b = _random_views(5)
    loss, _ = SequenceContrastiveLoss()(a, b)
    weighted, _ = SequenceContrastiveLoss(loss_weight=2.5)(a, b)
    torch.testing.assert_close(weighted, 2.5 * loss)


def test_identical_views_give_lower_loss_than_shuffled_views():
    a, _ = _random_views(16, seed=7, dtype=torch.float32)
    shuffled = a[torch.roll(torch.arange(16), 1)]  # every instance moved
    criterion = SequenceContrastiveLoss()
    aligned_loss, aligned_acc = criterion(a, a.clone())
    shuffled_loss, shuffled_acc = criterion(a, shuffled)
    assert aligned_loss < shuffled_loss
    assert aligned_acc == 1.0
    assert shuffled_acc < 1.0


def test_collapsed_instances_score_zero_retrieval_accuracy():
    collapsed = torch.ones(6, 4)
    loss, acc = SequenceContrastiveLoss(temperature=0.5)(collapsed, collapsed)
    assert acc == 0.0  # ties are misses
    assert loss.item() == pytest.approx(math.log(11))


def test_mismatched_views_raise_value_error_naming_both_shapes():
    with pytest.raises(ValueError, match=r'\(5, 4\).*\(6, 4\)'):
        SequenceContrastiveLoss()(torch.zeros(5, 4), torch.zeros(6, 4))
    with pytest.raises(ValueError, match='implementation'):
        SequenceContrastiveLoss(implementation='sparse')
    with pytest.raises(ValueError, match='temperature'):
        SequenceContrastiveLoss(temperature=0)


def test_loss_is_registered():
    loss = MODELS.build(dict(type='SequenceContrastiveLoss', temperature=0.2, loss_weight=3))
    assert isinstance(loss, SequenceContrastiveLoss)
    assert loss.temperature == 0.2 and loss.loss_weight == 3


# -------------------------------------------------------------- dense / lean


def _gathered_layout(num_keys=10, local=(2, 3, 7, 8), seed=0):
    """Queries are rows ``local`` of the keys, positives their other view
    (keys split in two halves, view a then view b)."""
    generator = torch.Generator().manual_seed(seed)
    keys = torch.nn.functional.normalize(
        torch.randn(num_keys, 5, generator=generator, dtype=torch.float64), dim=1
    )
    self_index = torch.tensor(local)
    half = num_keys // 2
    positive_index = (self_index + half) % num_keys
    return keys[self_index].clone(), keys, positive_index, self_index


@pytest.mark.parametrize('implementation', ['dense', 'lean'])
def test_nt_xent_rows_pass_gradcheck_in_float64(implementation):
    queries, keys, positive_index, self_index = _gathered_layout()
    queries.requires_grad_(True)
    keys.requires_grad_(True)

    def row_losses(queries, keys):
        losses, _ = nt_xent_rows(
            queries, keys, positive_index, self_index, 0.3, implementation, block_size=3
        )
        return losses

    assert torch.autograd.gradcheck(row_losses, (queries, keys))


def test_nt_xent_rows_match_loop_reference_for_a_gathered_layout():
    queries, keys, positive_index, self_index = _gathered_layout(seed=4)
    for implementation in ('dense', 'lean'):
        losses, hits = nt_xent_rows(
            queries, keys, positive_index, self_index, 0.1, implementation, 2
        )
        for i in range(len(queries)):
            sims = [float(queries[i] @ key) for key in keys]
            denominator = sum(math.exp(s / 0.1) for j, s in enumerate(sims) if j != self_index[i])
            positive = sims[positive_index[i]]
            assert losses[i].item() == pytest.approx(
                -math.log(math.exp(positive / 0.1) / denominator), rel=1e-10
            )
            assert bool(hits[i]) == all(
                positive > s
                for j, s in enumerate(sims)
                if j not in (self_index[i], positive_index[i])
            )


def test_lean_matches_dense_values_and_gradients_on_hundreds_of_rows():
    generator = torch.Generator().manual_seed(11)
    num_keys, num_queries = 900, 600
    keys = torch.nn.functional.normalize(torch.randn(num_keys, 32, generator=generator), dim=1)
    self_index = torch.randperm(num_keys, generator=generator)[:num_queries]
    positive_index = (self_index + num_keys // 2) % num_keys
    queries = keys[self_index].clone()
    upstream = torch.rand(num_queries, generator=generator)

    results = {}
    for implementation in ('dense', 'lean'):
        q = queries.clone().requires_grad_(True)
        k = keys.clone().requires_grad_(True)
        losses, hits = nt_xent_rows(
            q, k, positive_index, self_index, 0.1, implementation, block_size=64
        )
        (losses * upstream).sum().backward()
        results[implementation] = (losses.detach(), hits, q.grad, k.grad)

    for dense, lean in zip(results['dense'], results['lean']):
        if dense.dtype == torch.bool:
            assert torch.equal(dense, lean)
        else:
            torch.testing.assert_close(lean, dense, rtol=1e-5, atol=1e-6)


def test_module_dense_and_lean_agree():
    a, b = _random_views(150, num_features=16, dtype=torch.float32)
    outputs = {}
    for implementation in ('dense', 'lean'):
        a_, b_ = a.clone().requires_grad_(), b.clone().requires_grad_()
        loss, acc = SequenceContrastiveLoss(implementation=implementation, block_size=40)(a_, b_)
        loss.backward()
        outputs[implementation] = (loss.detach(), acc, a_.grad, b_.grad)
    for dense, lean in zip(outputs['dense'], outputs['lean']):
        torch.testing.assert_close(lean, dense, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('num, expected', [(5, 'dense'), (6, 'lean')])
def test_auto_switches_to_lean_above_key_threshold(monkeypatch, num, expected):
    used = []

    def recording_rows(*args, implementation, **kwargs):
        used.append(implementation)
        return nt_xent_rows(*args, implementation=implementation, **kwargs)

    monkeypatch.setattr(sequence_contrastive_loss, 'nt_xent_rows', recording_rows)
    criterion = SequenceContrastiveLoss(lean_threshold=10)
    a, b = _random_views(num)
    criterion(a, b)  # 2 * num keys: 10 is not above the threshold, 12 is
    assert used == [expected]
    assert SequenceContrastiveLoss().select_implementation(8192) == 'dense'
    assert SequenceContrastiveLoss().select_implementation(8193) == 'lean'


# ----------------------------------------------------------------- precision


@pytest.mark.parametrize('implementation', ['dense', 'lean'])
def test_bfloat16_inputs_give_the_float32_result(implementation):
    queries, keys, positive_index, self_index = _gathered_layout(
        num_keys=40, local=tuple(range(0, 40, 3))
    )
    queries, keys = queries.bfloat16(), keys.bfloat16()
    losses, hits = nt_xent_rows(queries, keys, positive_index, self_index, 0.1, implementation, 4)
    expected, expected_hits = nt_xent_rows(
        queries.float(), keys.float(), positive_index, self_index, 0.1, implementation, 4
    )
    assert losses.dtype == torch.float32
    torch.testing.assert_close(losses, expected, rtol=0, atol=0)
    assert torch.equal(hits, expected_hits)


@pytest.mark.parametrize('implementation', ['dense', 'lean'])
def test_nt_xent_rows_ignore_autocast(implementation):
    queries, keys, positive_index, self_index = _gathered_layout(
        num_keys=40, local=tuple(range(0, 40, 3))
    )
    queries, keys = queries.float(), keys.float()
    expected, _ = nt_xent_rows(queries, keys, positive_index, self_index, 0.1, implementation, 4)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        losses, _ = nt_xent_rows(queries, keys, positive_index, self_index, 0.1, implementation, 4)
    assert losses.dtype == torch.float32
    torch.testing.assert_close(losses, expected, rtol=1e-6, atol=0)


def test_autocast_does_not_lower_the_precision_of_the_loss():
    a, b = _random_views(40, num_features=16, dtype=torch.float32)
    criterion = SequenceContrastiveLoss()
    expected, _ = criterion(a, b)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        loss, _ = criterion(a, b)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, expected, rtol=1e-6, atol=0)

    # and bf16 instances give the loss of their float32 values
    loss, _ = criterion(a.bfloat16(), b.bfloat16())
    expected, _ = criterion(a.bfloat16().float(), b.bfloat16().float())
    torch.testing.assert_close(loss, expected, rtol=0, atol=0)
