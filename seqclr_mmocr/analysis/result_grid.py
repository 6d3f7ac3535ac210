"""Runs indexed by table cell, with their spread over seeds.

A table cell is (protocol, decoder, method, dataset, label fraction). Each fine-tuning row is
run over several seeds, e.g. with ``--cfg-options randomness.seed=S
train_dataloader.dataset.seed=S``: runs that claim the same cell with different seeds are
aggregated as a mean and a sample standard deviation (ddof=1). Runs that claim the same cell
with the same seed (both none included) are not aggregated: the first in sorted work-dir
order is kept and a warning names both.
"""

import math
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .run_identity import DECODERS, warn
from .run_metrics import Run


def ordered(names: Iterable[str], preferred: Sequence[str]) -> List[str]:
    """``names`` with those in ``preferred`` first (in its order), the rest
    sorted."""
    names = set(names)
    head = [name for name in preferred if name in names]
    return head + sorted(names - set(head))


class Spread(NamedTuple):
    """A number over the runs (one per seed) of a cell that have it."""

    mean: float
    std: Optional[float]  # sample standard deviation (ddof=1); None for one run
    n: int


def spread_of(values: Sequence[float]) -> Optional[Spread]:
    """Mean, sample standard deviation and count of ``values``; None when empty."""
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return Spread(mean, None, 1)
    return Spread(mean, math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1)), n)


class ResultGrid:
    """Runs indexed by (protocol, decoder, method, dataset, fraction).

    A cell holds one run per seed: runs of the same key with different seeds
    are aggregated. When two runs give the same key and the same seed (both
    None included), the first in sorted work-dir order is kept and a warning
    names both.
    """

    def __init__(self, runs: Sequence[Run]) -> None:
        self.runs = sorted(runs, key=lambda run: run.work_dir)
        self.cells: Dict[Tuple, List[Tuple[Run, Dict[str, float]]]] = {}
        for run in self.runs:
            for dataset, metrics in run.metrics.items():
                key = (run.protocol, run.decoder, run.method, dataset, run.label_fraction)
                cell = self.cells.setdefault(key, [])
                kept = next((other for other, _ in cell if other.seed == run.seed), None)
                if kept is not None:
                    warn(
                        f'{kept.work_dir} and {run.work_dir} both give {key} with seed '
                        f'{run.seed}; keeping the first'
                    )
                    continue
                cell.append((run, metrics))

    def cell_metrics(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float
    ) -> List[Dict[str, float]]:
        """The metrics of each run (one per seed) of a cell; empty when none."""
        cell = self.cells.get((protocol, decoder, method, dataset, fraction), [])
        return [metrics for _, metrics in cell]

    def spread(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float, column: str
    ) -> Optional[Spread]:
        """(mean, std, n) of a metric over the cell's runs that have it; None when none."""
        cell = self.cell_metrics(protocol, decoder, method, dataset, fraction)
        return spread_of([metrics[column] for metrics in cell if column in metrics])

    def get(
        self, protocol: str, decoder: str, method: str, dataset: str, fraction: float, column: str
    ) -> Optional[float]:
        """A value (the mean over seeds), or None when no run or no such metric."""
        spread = self.spread(protocol, decoder, method, dataset, fraction, column)
        return None if spread is None else spread.mean

    def seed_counts(self) -> List[int]:
        """The numbers of runs of the cells that have several, sorted, without repeats."""
        return sorted({len(cell) for cell in self.cells.values() if len(cell) > 1})

    def keys(self, protocol: str) -> List[Tuple]:
        """The keys of one protocol."""
        return [key for key in self.cells if key[0] == protocol]

    def decoders(self) -> List[str]:
        """The decoders present, in ``DECODERS`` order."""
        present = {run.decoder for run in self.runs}
        return [decoder for decoder in DECODERS if decoder in present]


def methods_of(keys: Iterable[Tuple], method_order: Sequence[str], **fixed: str) -> List[str]:
    """Methods among ``keys`` with the given decoder and/or dataset."""
    positions = dict(decoder=1, dataset=3)
    return ordered(
        {
            key[2]
            for key in keys
            if all(key[positions[name]] == value for name, value in fixed.items())
        },
        method_order,
    )
