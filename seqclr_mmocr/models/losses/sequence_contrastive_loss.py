# Copyright (c) seqclr-mmocr contributors. All rights reserved.
from typing import Tuple

import torch
import torch.nn.functional as F
from mmengine import dist
from mmocr.registry import MODELS
from torch import Tensor, nn

from ..utils.distributed import gather_with_grad
from .nt_xent import IMPLEMENTATIONS, nt_xent_rows


class NoNegativesError(ValueError):
    """The batch holds a single instance pair: there is nothing to contrast against, and
    the loss would be 0 with zero gradients."""

    def __init__(self, num_global: int, num_local: int) -> None:
        super().__init__(
            f'SequenceContrastiveLoss: the batch has {num_global} instance per view over '
            f'all ranks ({num_local} on this rank), so no instance has a negative; the '
            'loss would be 0 with zero gradients and training would learn nothing'
        )
        self.num_global = num_global
        self.num_local = num_local

    def with_message(self, message: str) -> 'NoNegativesError':
        """The same error with a message that says more (batch size, mapping)."""
        self.args = (message,)
        return self


@MODELS.register_module()
class SequenceContrastiveLoss(nn.Module):
    """SeqCLR contrastive loss (paper §4, eq. 1) over aligned instances of
    two views.

    With the instances of both views ``Z = Z^a ∪ Z^b`` (2M in all, cosine
    similarity, temperature ``t``), every instance is a query whose positive
    is the aligned instance of the other view::

        L = sum_r l_NCE(z^a_r, z^b_r; Z) + sum_r l_NCE(z^b_r, z^a_r; Z)
        l_NCE(u, v; Z) = -log( exp(sim(u, v) / t)
                               / sum_{w in Z \\ {u}} exp(sim(u, w) / t) )

    The denominator includes the positive and excludes only the query. This
    module returns the **mean** over the 2M rows, ``L / 2M``, scaled by
    ``loss_weight``.

    Distributed training: with ``gather_across_ranks=True`` the instances of
    all ranks are gathered (with gradient, :func:`gather_with_grad`) and act
    as keys, while each rank's own 2M_rank instances are its queries. Each
    rank returns ``loss_weight * world_size * (sum of its row losses) /
    (global number of rows)``, so the average over ranks (what DDP does to
    the gradients) is exactly the single-process mean over all rows, even
    when ranks hold different numbers of instances.

    Each instance's negatives are the other 2M - 2 keys: with a single instance per view
    over all ranks (a batch of one image with one instance per image, say) there is none,
    and the loss raises :class:`NoNegativesError` instead of returning a silent 0.

    Args:
        temperature (float): Softmax temperature. Defaults to 0.1.
        gather_across_ranks (bool): Contrast against the instances of all
            ranks. Defaults to True.
        implementation (str): ``'dense'``, ``'lean'`` (memory-lean blockwise
            computation, same values and gradients) or ``'auto'``: lean when
            the number of keys exceeds ``lean_threshold``. Defaults to
            ``'auto'``.
        lean_threshold (int): Key count above which ``'auto'`` goes lean.
            Defaults to 8192.
        block_size (int): Queries per block of the lean implementation.
            Defaults to 1024.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Example:
        >>> loss = dict(type='SequenceContrastiveLoss', temperature=0.1)
    """

    def __init__(
        self,
        temperature: float = 0.1,
        gather_across_ranks: bool = True,
        implementation: str = 'auto',
        lean_threshold: int = 8192,
        block_size: int = 1024,
        loss_weight: float = 1.0,
    ) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'SequenceContrastiveLoss: temperature must be > 0, got {temperature}')
        if implementation not in ('auto',) + IMPLEMENTATIONS:
            raise ValueError(
                'SequenceContrastiveLoss: implementation must be one of '
                f'{("auto",) + IMPLEMENTATIONS}, got {implementation!r}'
            )
        if block_size < 1:
            raise ValueError(f'SequenceContrastiveLoss: block_size must be >= 1, got {block_size}')
        self.temperature = temperature
        self.gather_across_ranks = gather_across_ranks
        self.implementation = implementation
        self.lean_threshold = lean_threshold
        self.block_size = block_size
        self.loss_weight = loss_weight

    def select_implementation(self, num_keys: int) -> str:
        """The implementation used for ``num_keys`` keys."""
        if self.implementation != 'auto':
            return self.implementation
        return 'lean' if num_keys > self.lean_threshold else 'dense'

    def forward(self, instances_a: Tensor, instances_b: Tensor) -> Tuple[Tensor, Tensor]:
        """Compute the loss.

        Args:
            instances_a (Tensor): (M, F) instances of the first view on this
                rank, not necessarily normalised.
            instances_b (Tensor): (M, F) aligned instances of the second view.

        Returns:
            tuple[Tensor, Tensor]: The loss (scalar) and the retrieval
            accuracy (scalar, detached): the fraction of this rank's 2M
            queries whose positive is strictly the most similar non-self key.
        """
        if instances_a.shape != instances_b.shape or instances_a.dim() != 2:
            raise ValueError(
                'SequenceContrastiveLoss: instances_a and instances_b must '
                'both be (M, F) with the same shape, got instances_a '
                f'{tuple(instances_a.shape)} and instances_b '
                f'{tuple(instances_b.shape)}'
            )
        device = instances_a.device
        with torch.autocast(device_type=device.type, enabled=False):
            dtype = torch.float64 if instances_a.dtype == torch.float64 else torch.float32
            views = torch.stack([instances_a, instances_b], dim=1)
            views = F.normalize(views.to(dtype), dim=-1)  # (M, 2, F)
            num_local = views.shape[0]

            world_size = 1
            all_views, offset = views, 0
            if self.gather_across_ranks:
                world_size = dist.get_world_size()
                all_views, offset = gather_with_grad(views)
            num_global = all_views.shape[0]
            if num_global == 0:
                raise ValueError('SequenceContrastiveLoss: got no instances (M = 0 on every rank)')
            if num_global < 2:
                raise NoNegativesError(num_global, num_local)

            queries = torch.cat([views[:, 0], views[:, 1]])
            keys = torch.cat([all_views[:, 0], all_views[:, 1]])
            # query r (view a) is key offset + r; its positive (view b) is
            # key num_global + offset + r, and vice versa for view b
            own_keys = offset + torch.arange(num_local, device=device)
            self_index = torch.cat([own_keys, own_keys + num_global])
            positive_index = torch.cat([own_keys + num_global, own_keys])

            row_losses, hits = nt_xent_rows(
                queries,
                keys,
                positive_index,
                self_index,
                self.temperature,
                implementation=self.select_implementation(keys.shape[0]),
                block_size=self.block_size,
            )
            loss = self.loss_weight * world_size * row_losses.sum() / (2 * num_global)
            # a rank may hold no instances when others do
            retrieval_acc = hits.float().mean() if hits.numel() else loss.new_zeros(())
        retrieval_acc = retrieval_acc.detach()
        return loss, retrieval_acc

    def extra_repr(self) -> str:
        return (
            f'temperature={self.temperature}, '
            f'gather_across_ranks={self.gather_across_ranks}, '
            f'implementation={self.implementation!r}, '
            f'lean_threshold={self.lean_threshold}, '
            f'loss_weight={self.loss_weight}'
        )
