"""Counts of bad inputs (unreadable images, bad labels) over data workers and ranks.

``LoadImageSafe`` and ``CheckTextInDictionary`` count what they skip or warn about per
process; data-loader workers are processes of their own, so their class counters never
reach the main process. The counters here live in shared memory created when this module
is imported, before any worker is forked, so every forked worker adds to the same totals;
:func:`log_bad_input_summary` then sums them over ranks and prints one line. (With the
'spawn' start method, which Linux does not use by default, the workers' counts are lost.)

A skipped evaluation image becomes a *placeholder* sample (see ``LoadImageSafe``'s
``on_error='placeholder'``): its ``ori_shape`` is :data:`PLACEHOLDER_SHAPE`, which no real
image has, and the metrics leave it out and report it.
"""

import logging
import multiprocessing
from typing import Dict

import torch
from mmengine import dist
from mmengine.logging import print_log

KINDS = ('skipped_images', 'unknown_char_labels', 'empty_labels')
PLACEHOLDER_SHAPE = (0, 0)

_COUNTERS = {kind: multiprocessing.Value('q', 0) for kind in KINDS}


def count_bad_input(kind: str, amount: int = 1) -> None:
    """Add to a shared counter (``kind`` in :data:`KINDS`)."""
    counter = _COUNTERS[kind]
    with counter.get_lock():
        counter.value += amount


def local_bad_input_counts() -> Dict[str, int]:
    """Totals of this process and its forked data workers."""
    return {kind: int(counter.value) for kind, counter in _COUNTERS.items()}


def reset_bad_input_counts() -> None:
    for counter in _COUNTERS.values():
        with counter.get_lock():
            counter.value = 0


def bad_input_counts_over_ranks() -> Dict[str, int]:
    """Totals over every rank (a collective call: every rank must make it)."""
    counts = local_bad_input_counts()
    if dist.get_world_size() > 1:
        values = torch.tensor([counts[k] for k in KINDS], dtype=torch.int64)
        dist.all_reduce(values)
        counts = dict(zip(KINDS, (int(v) for v in values)))
    return counts


def is_placeholder(data_sample) -> bool:
    """Whether an evaluation sample stands for an image that could not be read."""
    shape = data_sample.get('ori_shape') if hasattr(data_sample, 'get') else None
    return shape is not None and tuple(shape) == PLACEHOLDER_SHAPE


def log_bad_input_summary(stage: str = 'run') -> Dict[str, int]:
    """Log one line with the totals over all ranks and data workers; return them."""
    counts = bad_input_counts_over_ranks()
    level = logging.WARNING if any(counts.values()) else logging.INFO
    print_log(
        f'Bad inputs in this {stage}, over all ranks and data workers: '
        f'{counts["skipped_images"]} image(s) skipped as unreadable, '
        f'{counts["unknown_char_labels"]} label(s) with characters outside the dictionary, '
        f'{counts["empty_labels"]} empty label(s)',
        logger='current',
        level=level,
    )
    return counts
