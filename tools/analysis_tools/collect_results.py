"""Collect SeqCLR results from MMEngine work dirs into the paper's tables.

Usage::

    python tools/analysis_tools/collect_results.py 'work_dirs/*' \\
        --out-dir results/ [--mode exact]

Writes ``<out-dir>/results.md`` (also printed) with Table 1 (decoder evaluation: Acc and ED1),
Table 2 (fine-tuning accuracy per label fraction), Table 3 (WER and CER on 100% of the
labels), every run's Acc, ED1, CER and WER, and a Runs table saying where every number came
from; and ``<out-dir>/accuracy_vs_label_fraction.png``: fine-tuning accuracy against label
fraction, one panel per dataset and decoder, one line per method. Exits 1 when no work dir
holds a readable run.

Work dirs may have any name: a run's identity (method, protocol, decoder, label fraction,
dataset, seed) is read from the config MMEngine dumped into it, and can be overridden with a
``run_info`` dict in that config. The numbers come from the latest ``tools/test.py`` result,
else from the best validation step. Runs of one table cell with different seeds are shown as
``mean ± std``. The rules are in the docstrings of the parts of :mod:`seqclr_mmocr.analysis`:
``run_identity`` (which run), ``run_metrics`` (which numbers, metric keys and ``--mode``),
``result_grid`` and ``result_tables`` (seeds, tables) and ``result_plot``.
"""

import argparse
import os
import os.path as osp
import sys
from typing import Optional, Sequence

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)  # this checkout's seqclr_mmocr, also when not installed

# The names a script that loads this tool reads from it (the tests do) stay reachable here.
from seqclr_mmocr.analysis import (  # noqa: E402,F401
    METRIC_NAMES,
    MODES,
    PretrainingRun,
    ResultGrid,
    RunError,
    collect_runs,
    format_results,
    plot_accuracy_vs_fraction,
    read_run_identity,
    split_metric_key,
)

PLOT_FILE = 'accuracy_vs_label_fraction.png'
RESULTS_FILE = 'results.md'


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Collect SeqCLR results from work dirs into Markdown tables and a plot.'
    )
    parser.add_argument(
        'work_dirs',
        nargs='+',
        help='work dirs or glob patterns (quote them to let this tool expand them)',
    )
    parser.add_argument('--out-dir', default='.', help='where results.md and the plot go')
    parser.add_argument(
        '--mode', default='exact', choices=MODES, help='which case variant of the metrics to report'
    )
    parser.add_argument(
        '--method-order', default='', help='comma-separated methods to list first, in this order'
    )
    parser.add_argument(
        '--dataset-order', default='', help='comma-separated datasets to list first, in this order'
    )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    method_order = [m for m in args.method_order.split(',') if m]
    dataset_order = [d for d in args.dataset_order.split(',') if d]
    runs, _ = collect_runs(args.work_dirs, args.mode)
    if not runs:
        print('ERROR: no readable run among the given work dirs', file=sys.stderr)
        return 1
    grid = ResultGrid(runs)
    report = format_results(grid, args.mode, method_order, dataset_order)
    print(report)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, RESULTS_FILE), 'w', encoding='utf-8') as f:
        f.write(report)
    plot_file = osp.join(args.out_dir, PLOT_FILE)
    if plot_accuracy_vs_fraction(grid, plot_file, method_order, dataset_order):
        print(f'Plot written to {plot_file}')
    else:
        print('No fine-tuning runs: no plot written')
    return 0


if __name__ == '__main__':
    sys.exit(main())
