# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Functional core of the NT-Xent (InfoNCE) loss used by SeqCLR.

For a query ``q_i`` with positive key ``k_p(i)`` and itself at key
``k_s(i)`` (all L2-normalised), the row loss is (SeqCLR eq. 1, ``l_NCE``)::

    l_i = -log( exp(q_i.k_p(i) / t) / sum_{j != s(i)} exp(q_i.k_j / t) )

The denominator includes the positive and excludes only the query itself.

Two implementations give the same values and gradients:

- ``'dense'`` builds the (B, K) similarity matrix and lets autograd
  differentiate it.
- ``'lean'`` processes ``block_size`` queries at a time in a custom autograd
  function that saves only the inputs and one log-sum-exp per row and
  recomputes the similarity blocks in backward, so its peak memory is
  O((B + K) * F + block_size * K) instead of O(B * K).

All similarity math runs in float32 (float64 stays float64) with autocast
disabled, whatever the input dtype.
"""

import contextlib
from typing import Any, Iterator, Optional, Tuple

import torch
from torch import Tensor
from torch.autograd.function import once_differentiable

IMPLEMENTATIONS = ('dense', 'lean')


@contextlib.contextmanager
def _full_precision(device: torch.device) -> Iterator[None]:
    """Disable autocast on ``device`` for the block."""
    with torch.autocast(device_type=device.type, enabled=False):
        yield


def _compute_dtype(x: Tensor) -> torch.dtype:
    return torch.float64 if x.dtype == torch.float64 else torch.float32


def _mask_(logits: Tensor, index: Tensor) -> Tensor:
    """Set ``logits[i, index[i]]`` to -inf in place."""
    return logits.scatter_(1, index[:, None], float('-inf'))


def _positive_is_top1(logits: Tensor, positive_logits: Tensor, positive_index: Tensor) -> Tensor:
    """Whether each row's positive beats every other non-self key strictly.

    ``logits`` must already have the self entries masked; it is modified in
    place (the positives are masked too). Ties count as misses, so a collapsed
    representation scores 0 rather than a lucky 100%.
    """
    best_other = _mask_(logits, positive_index).amax(dim=1)
    return positive_logits > best_other


def _validate(
    queries: Tensor,
    keys: Tensor,
    positive_index: Tensor,
    self_index: Tensor,
    temperature: float,
    implementation: str,
    block_size: int,
) -> None:
    if queries.dim() != 2 or keys.dim() != 2:
        raise ValueError(
            'nt_xent_rows: queries and keys must be 2-D, got '
            f'queries {tuple(queries.shape)} and keys '
            f'{tuple(keys.shape)}'
        )
    if queries.shape[1] != keys.shape[1]:
        raise ValueError(
            'nt_xent_rows: queries and keys must have the same '
            f'feature size, got queries {tuple(queries.shape)} '
            f'and keys {tuple(keys.shape)}'
        )
    indices = dict(positive_index=positive_index, self_index=self_index)
    for name, index in indices.items():
        if index.shape != (queries.shape[0],):
            raise ValueError(
                f'nt_xent_rows: {name} must have shape '
                f'({queries.shape[0]},) (one per query), got '
                f'{tuple(index.shape)}'
            )
        if index.dtype != torch.long:
            raise ValueError(f'nt_xent_rows: {name} must be int64, got {index.dtype}')
    if temperature <= 0:
        raise ValueError(f'nt_xent_rows: temperature must be > 0, got {temperature}')
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(
            f'nt_xent_rows: implementation must be one of {IMPLEMENTATIONS}, got {implementation!r}'
        )
    if block_size < 1:
        raise ValueError(f'nt_xent_rows: block_size must be >= 1, got {block_size}')


def _dense_rows(
    queries: Tensor, keys: Tensor, positive_index: Tensor, self_index: Tensor, temperature: float
) -> Tuple[Tensor, Tensor]:
    logits = queries @ keys.t() / temperature
    logits = logits.scatter(1, self_index[:, None], float('-inf'))
    positive_logits = logits.gather(1, positive_index[:, None]).squeeze(1)
    losses = torch.logsumexp(logits, dim=1) - positive_logits
    with torch.no_grad():
        hits = _positive_is_top1(logits.detach().clone(), positive_logits.detach(), positive_index)
    return losses, hits


class _LeanNTXent(torch.autograd.Function):
    """Blockwise NT-Xent over query blocks that recomputes similarities in
    backward instead of saving the (B, K) matrix.

    With ``p_ij = softmax_j(q_i.k_j / t)`` over ``j != s(i)`` and upstream
    gradient ``g_i``, the gradients are::

        dL/dq_i = g_i / t * (sum_j p_ij k_j - k_p(i))
        dL/dk_j = 1 / t * (sum_i g_i p_ij q_i - sum_{i: p(i) = j} g_i q_i)
    """

    @staticmethod
    def forward(
        ctx: Any,
        queries: Tensor,
        keys: Tensor,
        positive_index: Tensor,
        self_index: Tensor,
        temperature: float,
        block_size: int,
    ) -> Tuple[Tensor, Tensor]:
        num_queries = queries.shape[0]
        losses = queries.new_empty(num_queries)
        log_normalisers = queries.new_empty(num_queries)
        hits = torch.empty(num_queries, dtype=torch.bool, device=queries.device)
        for start in range(0, num_queries, block_size):
            block = slice(start, start + block_size)
            positive = positive_index[block]
            logits = queries[block] @ keys.t()
            logits.div_(temperature)
            _mask_(logits, self_index[block])
            log_normalisers[block] = torch.logsumexp(logits, dim=1)
            positive_logits = logits.gather(1, positive[:, None]).squeeze(1)
            losses[block] = log_normalisers[block] - positive_logits
            hits[block] = _positive_is_top1(logits, positive_logits, positive)
        ctx.save_for_backward(queries, keys, positive_index, self_index, log_normalisers)
        ctx.temperature = temperature
        ctx.block_size = block_size
        ctx.mark_non_differentiable(hits)
        return losses, hits

    @staticmethod
    @once_differentiable
    def backward(
        ctx: Any, grad_losses: Optional[Tensor], _grad_hits: Optional[Tensor]
    ) -> Tuple[Optional[Tensor], ...]:
        queries, keys, positive_index, self_index, log_normalisers = ctx.saved_tensors
        temperature, block_size = ctx.temperature, ctx.block_size
        need_queries, need_keys = ctx.needs_input_grad[:2]
        grad_queries = torch.zeros_like(queries) if need_queries else None
        grad_keys = torch.zeros_like(keys) if need_keys else None
        if grad_losses is None:
            return grad_queries, grad_keys, None, None, None, None
        grad_losses = grad_losses.to(queries.dtype)
        for start in range(0, queries.shape[0], block_size):
            block = slice(start, start + block_size)
            query_block = queries[block]
            positive = positive_index[block]
            grad_block = grad_losses[block, None] / temperature
            # probabilities scaled by the upstream gradient, in place
            weights = query_block @ keys.t()
            weights.div_(temperature)
            _mask_(weights, self_index[block])
            weights.sub_(log_normalisers[block, None]).exp_()
            weights.mul_(grad_block)
            if need_queries:
                grad_queries[block] = weights @ keys - grad_block * keys[positive]
            if need_keys:
                grad_keys.addmm_(weights.t(), query_block)
                grad_keys.index_add_(0, positive, -grad_block * query_block)
        return grad_queries, grad_keys, None, None, None, None


def nt_xent_rows(
    queries: Tensor,
    keys: Tensor,
    positive_index: Tensor,
    self_index: Tensor,
    temperature: float,
    implementation: str = 'dense',
    block_size: int = 1024,
) -> Tuple[Tensor, Tensor]:
    """Per-row NT-Xent losses of local queries against (possibly gathered)
    keys.

    Args:
        queries (Tensor): (B, F) L2-normalised queries.
        keys (Tensor): (K, F) L2-normalised keys; every query is also a key.
        positive_index (Tensor): (B,) int64; ``keys[positive_index[i]]`` is
            the positive of query ``i``.
        self_index (Tensor): (B,) int64; ``keys[self_index[i]]`` is query
            ``i`` itself and is excluded from the denominator.
        temperature (float): Softmax temperature ``t``.
        implementation (str): ``'dense'`` or ``'lean'`` (see module doc).
            Defaults to ``'dense'``.
        block_size (int): Queries per block for ``'lean'``. Defaults to 1024.

    Returns:
        tuple[Tensor, Tensor]: Per-row losses (B,) in float32 (float64 for
        float64 inputs) and per-row retrieval hits (B,) bool: whether the
        positive is strictly the most similar key among all keys but self.
    """
    _validate(queries, keys, positive_index, self_index, temperature, implementation, block_size)
    dtype = _compute_dtype(queries)
    with _full_precision(queries.device):
        queries = queries.to(dtype)
        keys = keys.to(dtype)
        if implementation == 'dense':
            return _dense_rows(queries, keys, positive_index, self_index, temperature)
        return _LeanNTXent.apply(queries, keys, positive_index, self_index, temperature, block_size)
