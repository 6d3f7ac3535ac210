# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Gradient-preserving gather of variable-length tensors across ranks."""

from typing import Any, List, Tuple

import torch
from mmengine import dist
from torch import Tensor


class _GatherWithGrad(torch.autograd.Function):
    """All-gather along dim 0 with per-rank sizes; backward sums the
    gradients of the gathered tensor over ranks and keeps this rank's slice.

    The backward uses ``all_reduce`` rather than ``reduce_scatter`` because
    the gloo backend has no ``reduce_scatter``.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, sizes: List[int], offset: int) -> Tensor:
        ctx.offset = offset
        ctx.size = x.shape[0]
        max_size = max(sizes)
        padded = x.new_zeros((max_size,) + tuple(x.shape[1:]))
        padded[: x.shape[0]] = x
        chunks = dist.all_gather(padded)
        return torch.cat([chunk[:size] for chunk, size in zip(chunks, sizes)], dim=0)

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> Tuple[Tensor, None, None]:
        # Every rank's loss may depend on this rank's rows (they are keys of
        # all ranks), so the full gradient is the sum over ranks.
        grad = grad_output.contiguous().clone()
        dist.all_reduce(grad, op='sum')
        return grad[ctx.offset : ctx.offset + ctx.size], None, None


def gather_with_grad(x: Tensor) -> Tuple[Tensor, int]:
    """Concatenate ``x`` over all ranks (in rank order) along dim 0, keeping
    the autograd graph.

    Ranks may hold different numbers of rows: the sizes are gathered first,
    every rank pads to the largest size, and the result is trimmed. The
    trailing dimensions must agree across ranks.

    In backward, the gradient of the gathered tensor is summed over ranks
    (``all_reduce``) and this rank's slice is returned, i.e. each rank gets
    the gradient of the *sum* of all ranks' objectives with respect to its
    own rows. With DDP averaging the parameter gradients, a per-rank loss
    scaled by ``world_size`` therefore reproduces the single-process
    gradient (see :class:`SequenceContrastiveLoss`).

    Every rank must call this function (and run backward) in the same order.

    Args:
        x (Tensor): Local tensor of shape (n_rank, ...).

    Returns:
        tuple[Tensor, int]: The gathered tensor of shape (sum of n_rank, ...)
        and the offset of this rank's rows in it. Outside distributed
        training this is ``(x, 0)``.
    """
    world_size = dist.get_world_size()
    if world_size == 1:
        return x, 0
    shape = torch.tensor(x.shape, dtype=torch.long, device=x.device)
    shapes = [s.tolist() for s in dist.all_gather(shape)]
    for rank, rank_shape in enumerate(shapes):
        if rank_shape[1:] != list(x.shape[1:]):
            raise ValueError(
                'gather_with_grad: trailing dimensions differ across ranks: '
                f'rank {dist.get_rank()} has {tuple(x.shape)}, '
                f'rank {rank} has {tuple(rank_shape)}'
            )
    sizes = [rank_shape[0] for rank_shape in shapes]
    offset = sum(sizes[: dist.get_rank()])
    return _GatherWithGrad.apply(x, sizes, offset), offset
