# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Two gloo ranks with unequal batches reproduce the single-process loss."""

import datetime
import os
import socket

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp

from seqclr_mmocr.models.losses.sequence_contrastive_loss import SequenceContrastiveLoss
from seqclr_mmocr.models.utils.distributed import gather_with_grad

WORLD_SIZE = 2
ROWS_PER_RANK = (5, 9)  # unequal on purpose
NUM_FEATURES = 6
IMPLEMENTATIONS = ('dense', 'lean')


def _global_views():
    generator = torch.Generator().manual_seed(0)
    num = sum(ROWS_PER_RANK)
    a = torch.randn(num, NUM_FEATURES, generator=generator, dtype=torch.float64)
    b = a + 0.8 * torch.randn(num, NUM_FEATURES, generator=generator, dtype=torch.float64)
    return a, b


def _rank_rows(rank):
    start = sum(ROWS_PER_RANK[:rank])
    return slice(start, start + ROWS_PER_RANK[rank])


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _worker(rank, port, out_dir):
    torch.set_num_threads(1)
    torch_dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=WORLD_SIZE,
        timeout=datetime.timedelta(seconds=60),
    )
    try:
        results = {}
        a, b = _global_views()
        rows = _rank_rows(rank)
        for implementation in IMPLEMENTATIONS:
            local_a = a[rows].clone().requires_grad_(True)
            local_b = b[rows].clone().requires_grad_(True)
            criterion = SequenceContrastiveLoss(implementation=implementation, block_size=4)
            loss, acc = criterion(local_a, local_b)
            loss.backward()
            results[implementation] = dict(
                loss=loss.detach(), acc=acc, grad_a=local_a.grad, grad_b=local_b.grad
            )

        # gather_with_grad alone: rank r contributes (r + 1) * sum(gathered)
        x = torch.full((ROWS_PER_RANK[rank], 2), float(rank + 1), requires_grad=True)
        gathered, offset = gather_with_grad(x)
        ((rank + 1) * gathered).sum().backward()
        results['gather'] = dict(gathered=gathered.detach(), offset=offset, grad=x.grad)
        torch.save(results, os.path.join(out_dir, f'rank{rank}.pt'))
    finally:
        torch_dist.destroy_process_group()


@pytest.fixture(scope='module')
def rank_results(tmp_path_factory):
    out_dir = str(tmp_path_factory.mktemp('dist'))
    mp.spawn(_worker, args=(_free_port(), out_dir), nprocs=WORLD_SIZE, join=True)
    return [torch.load(os.path.join(out_dir, f'rank{rank}.pt')) for rank in range(WORLD_SIZE)]


@pytest.mark.parametrize('implementation', IMPLEMENTATIONS)
def test_mean_over_ranks_equals_single_process_loss(rank_results, implementation):
    a, b = _global_views()
    a.requires_grad_(True)
    b.requires_grad_(True)
    loss, acc = SequenceContrastiveLoss(implementation='dense')(a, b)
    loss.backward()

    per_rank = [result[implementation] for result in rank_results]
    mean_loss = sum(r['loss'] for r in per_rank) / WORLD_SIZE
    torch.testing.assert_close(mean_loss, loss.detach())

    # DDP averages gradients over ranks; each instance lives on one rank
    grad_a = torch.cat([r['grad_a'] for r in per_rank]) / WORLD_SIZE
    grad_b = torch.cat([r['grad_b'] for r in per_rank]) / WORLD_SIZE
    torch.testing.assert_close(grad_a, a.grad)
    torch.testing.assert_close(grad_b, b.grad)

    # each rank reports the hit rate of its own 2 * M_rank rows
    hits = sum(r['acc'] * 2 * rows for r, rows in zip(per_rank, ROWS_PER_RANK))
    assert hits.item() / (2 * sum(ROWS_PER_RANK)) == pytest.approx(acc.item())


def test_gather_with_grad_concatenates_unequal_ranks_and_sums_gradients(rank_results):
    expected = torch.cat(
        [torch.full((rows, 2), float(rank + 1)) for rank, rows in enumerate(ROWS_PER_RANK)]
    )
    for rank, result in enumerate(rank_results):
        gathered = result['gather']
        torch.testing.assert_close(gathered['gathered'], expected)
        assert gathered['offset'] == sum(ROWS_PER_RANK[:rank])
        # d/dx of sum over ranks r' of (r' + 1) * sum(gathered) = 1 + 2
        torch.testing.assert_close(gathered['grad'], torch.full((ROWS_PER_RANK[rank], 2), 3.0))


def test_gather_with_grad_is_identity_outside_distributed_training():
    x = torch.randn(4, 3, requires_grad=True)
    gathered, offset = gather_with_grad(x)
    assert gathered is x and offset == 0
