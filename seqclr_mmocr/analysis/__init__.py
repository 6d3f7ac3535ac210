"""Reading SeqCLR runs from MMEngine work dirs into the paper's tables and a plot.

The parts of ``tools/analysis_tools/collect_results.py``:

- :mod:`.run_identity`: which run a work dir holds, from the config dumped into it;
- :mod:`.run_metrics`: which numbers it gives, from its logs; :func:`collect_runs`;
- :mod:`.result_grid`: runs indexed by table cell, aggregated over seeds;
- :mod:`.result_tables`: the Markdown report;
- :mod:`.result_plot`: fine-tuning accuracy against label fraction (imports matplotlib only
  when it draws).

matplotlib is imported only when a plot is drawn.
"""

from .result_grid import ResultGrid, Spread, spread_of
from .result_plot import plot_accuracy_vs_fraction
from .result_tables import format_results
from .run_identity import (
    DECODERS,
    PROTOCOLS,
    PretrainingRun,
    RunError,
    read_run_identity,
)
from .run_metrics import METRIC_NAMES, MODES, Run, collect_runs, read_metrics, split_metric_key

__all__ = [
    'DECODERS',
    'METRIC_NAMES',
    'MODES',
    'PROTOCOLS',
    'PretrainingRun',
    'ResultGrid',
    'Run',
    'RunError',
    'Spread',
    'collect_runs',
    'format_results',
    'plot_accuracy_vs_fraction',
    'read_metrics',
    'read_run_identity',
    'spread_of',
    'split_metric_key',
]
