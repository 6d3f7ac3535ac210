"""Counts of bad inputs (unreadable images, bad labels) over data workers and ranks.

``LoadImageSafe`` and ``CheckTextInDictionary`` count what they skip or warn about per
process; data-loader workers are processes of their own, so their class counters never
reach the main process. The counters here live in shared memory created when this module
is imported, before any worker is forked, so every forked worker adds to the same totals;
:func:`log_bad_input_summary` then sums them over ranks and prints one line. (With the
'spawn' start method, which Linux does not use by default, the workers' counts are lost.)

An unreadable image is met once per epoch and per validation, so occurrences overstate how
many files are bad: each occurrence also names its item (the image path, or the path and
label), appended to a file per process in a folder made at import, and the summary reports
the distinct items over all workers and ranks, with the occurrences beside them.

A skipped evaluation image becomes a *placeholder* sample (see ``LoadImageSafe``'s
``on_error='placeholder'``): its ``ori_shape`` is :data:`PLACEHOLDER_SHAPE`, which no real
image has, and the metrics leave it out and report it.
"""

import atexit
import glob
import logging
import multiprocessing
import os
import os.path as osp
import shutil
import tempfile
from typing import Dict, Optional, Set

import torch
from mmengine import dist
from mmengine.logging import print_log

KINDS = ('skipped_images', 'unknown_char_labels', 'empty_labels')
PLACEHOLDER_SHAPE = (0, 0)

_COUNTERS = {kind: multiprocessing.Value('q', 0) for kind in KINDS}
# One file per process and kind, one item per line; forked workers inherit the folder.
_ITEMS_DIR = tempfile.mkdtemp(prefix='seqclr_bad_inputs_')
_OWNER_PID = os.getpid()


@atexit.register
def _remove_items_dir() -> None:
    if os.getpid() == _OWNER_PID:
        shutil.rmtree(_ITEMS_DIR, ignore_errors=True)


def count_bad_input(kind: str, amount: int = 1, item: Optional[str] = None) -> None:
    """Add to a shared counter (``kind`` in :data:`KINDS`), and record ``item`` (what was
    bad: an image path, or a path and its label) for the count of distinct items."""
    counter = _COUNTERS[kind]
    with counter.get_lock():
        counter.value += amount
    if item is not None:
        line = item.replace('\n', ' ') + '\n'
        with open(osp.join(_ITEMS_DIR, f'{kind}.{os.getpid()}'), 'a', encoding='utf-8') as f:
            f.write(line)


def local_bad_input_items() -> Dict[str, Set[str]]:
    """The distinct items recorded by this process and its forked data workers."""
    items: Dict[str, Set[str]] = {kind: set() for kind in KINDS}
    for kind in KINDS:
        for path in glob.glob(osp.join(_ITEMS_DIR, f'{kind}.*')):
            with open(path, encoding='utf-8') as f:
                items[kind].update(line.rstrip('\n') for line in f)
    return items


def bad_input_items_over_ranks() -> Dict[str, Set[str]]:
    """The distinct items over every rank (a collective call: every rank must make it)."""
    items = local_bad_input_items()
    if dist.get_world_size() > 1:
        gathered = dist.all_gather_object(items)
        items = {kind: set().union(*(rank[kind] for rank in gathered)) for kind in KINDS}
    return items


def local_bad_input_counts() -> Dict[str, int]:
    """Totals of this process and its forked data workers."""
    return {kind: int(counter.value) for kind, counter in _COUNTERS.items()}


def reset_bad_input_counts() -> None:
    for counter in _COUNTERS.values():
        with counter.get_lock():
            counter.value = 0
    for path in glob.glob(osp.join(_ITEMS_DIR, '*')):
        os.remove(path)


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
    """Log one line with the distinct bad items over all ranks and data workers, and how
    often they were met; return the occurrence totals."""
    counts = bad_input_counts_over_ranks()
    distinct = {kind: len(items) for kind, items in bad_input_items_over_ranks().items()}
    level = logging.WARNING if any(counts.values()) else logging.INFO

    def tally(kind: str, what: str) -> str:
        return f'{distinct[kind]} {what} ({counts[kind]} occurrence(s))'

    print_log(
        f'Bad inputs in this {stage}, over all ranks and data workers: '
        f'{tally("skipped_images", "image(s) skipped as unreadable")}, '
        f'{tally("unknown_char_labels", "label(s) with characters outside the dictionary")}, '
        f'{tally("empty_labels", "empty label(s)")}',
        logger='current',
        level=level,
    )
    return counts
