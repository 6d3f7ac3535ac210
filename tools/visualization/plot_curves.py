"""Training curves of one or several MMEngine runs, from their JSON scalar logs.

Usage::

    python tools/visualization/plot_curves.py WORK_DIR_OR_JSON [WORK_DIR_OR_JSON ...] \\
        [--keys loss retrieval_acc lr 'pretrain/*'] [--labels seqclr simclr] \\
        [--log-y lr] [--smooth 1] [--all-timestamps] [--out curves.png]

Each argument is a work dir (its latest ``<timestamp>/vis_data/scalars.json``, or all of
them in order with ``--all-timestamps``, for resumed runs: a step logged again replaces the
earlier value), a timestamp folder, or a ``scalars.json`` file. MMEngine writes one JSON
object per line: training rows (with ``lr``, ``loss``, ``step``...) and validation rows
(metric keys such as ``pretrain/retrieval_acc`` or ``DemoHW/recog/word_acc``, and
``step``). Keys may be shell patterns (``*/recog/word_acc``).

One subplot per key, one line per run, against the iteration (``step``). Default keys: for
pretraining runs (with ``retrieval_acc``) ``loss``, ``retrieval_acc``, ``lr`` and the
validation ``*/retrieval_acc``; for other runs ``loss`` and any ``*/recog/word_acc``.
Validation curves are drawn with markers, each value at the last training iteration logged
before it (MMEngine logs validation at ``step`` = epoch by default, 0 in iteration-based
runs). Runs given the same label (``--labels sup sup sup seqclr seqclr seqclr``: the seeds of
one setting) are drawn as one curve, their mean at the steps they all logged, with a band of
± one sample standard deviation. Prints the PNG's path.
"""

import argparse
import fnmatch
import glob
import json
import os.path as osp
import sys
from typing import Dict, List, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _vis_common import save_figure  # noqa: E402

PRETRAIN_KEYS = ('loss', 'retrieval_acc', 'lr', '*/retrieval_acc')
FINETUNE_KEYS = ('loss', '*/recog/word_acc')
# Keys of every row, not curves.
BOOKKEEPING = ('step', 'iter', 'epoch', '_iteration')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Plot training curves of MMEngine runs')
    parser.add_argument('runs', nargs='+', help='work dirs, timestamp dirs or scalars.json')
    parser.add_argument('--keys', nargs='+', help='keys to plot (shell patterns allowed)')
    parser.add_argument('--labels', nargs='+', help='one name per run')
    parser.add_argument(
        '--log-y', nargs='*', default=[], metavar='KEY', help='keys drawn on a log scale, e.g. lr'
    )
    parser.add_argument(
        '--smooth', type=int, default=1, help='moving-average window of the training curves'
    )
    parser.add_argument(
        '--all-timestamps',
        action='store_true',
        help='concatenate every timestamp folder of a work dir (resumed runs)',
    )
    parser.add_argument('--out', default='curves.png', help='output PNG')
    args = parser.parse_args(argv)
    if args.labels and len(args.labels) != len(args.runs):
        parser.error(f'{len(args.labels)} --labels for {len(args.runs)} runs')
    return args


def scalar_files(run: str, all_timestamps: bool) -> List[str]:
    """The ``scalars.json`` files of a run, oldest first."""
    if osp.isfile(run):
        return [run]
    own = osp.join(run, 'vis_data', 'scalars.json')
    if osp.isfile(own):
        return [own]
    files = sorted(glob.glob(osp.join(run, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'no scalars.json under {run} (expected {run}/<timestamp>/vis_data/scalars.json)'
        )
    return files if all_timestamps else files[-1:]


def run_name(run: str) -> str:
    """The work dir's name, for a work dir, a timestamp folder or a scalars.json."""
    path = osp.abspath(run)
    if osp.isfile(path):
        path = osp.dirname(path)
    if osp.basename(path) == 'vis_data':
        path = osp.dirname(path)
    if osp.isfile(osp.join(path, 'vis_data', 'scalars.json')):
        path = osp.dirname(path)
    return osp.basename(path)


def read_rows(files: List[str]) -> List[dict]:
    """Rows of JSON-lines files; malformed lines are counted and reported, then skipped."""
    rows, bad = [], []
    for file in files:
        with open(file) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict) or 'step' not in row and 'iter' not in row:
                        raise ValueError('no step')
                except ValueError:
                    bad.append(f'{file}:{number}: {line.strip()[:80]}')
                    continue
                rows.append(row)
    if bad:
        print(f'skipped {len(bad)} malformed line(s), e.g.: ' + '; '.join(bad[:3]))
    if not rows:
        raise ValueError(f'no scalar rows in {files}')
    # MMEngine's LoggerHook logs validation metrics at step = epoch by default
    # (log_metric_by_epoch), i.e. 0 in iteration-based runs: place a validation row at the
    # last training iteration logged before it.
    last_train_step = None
    for row in rows:
        step = row.get('step', row.get('iter'))
        if is_train(row):
            last_train_step = step
        row['_iteration'] = (
            step if is_train(row) or last_train_step is None else max(step, last_train_step)
        )
    return rows


def is_train(row: dict) -> bool:
    return 'lr' in row or any(k.endswith('/lr') or k == 'base_lr' for k in row)


def series(rows: List[dict], key: str) -> Tuple[np.ndarray, np.ndarray, bool]:
    """Steps and values of ``key``, and whether they are validation values. A key present in
    both kinds of rows (``time``) is read from the training rows. A step logged again (a
    resumed run) keeps its last value."""
    train = [r for r in rows if key in r and is_train(r)]
    chosen = train or [r for r in rows if key in r]
    values: Dict[float, float] = {}
    for row in chosen:
        values[row['_iteration']] = float(row[key])
    steps = np.array(sorted(values))
    return steps, np.array([values[s] for s in steps]), not train


def grouped_series(
    runs_rows: List[List[dict]], names: List[str], key: str
) -> Dict[str, Tuple[np.ndarray, np.ndarray, np.ndarray, bool, int]]:
    """Per distinct name, in order of appearance: steps, mean and sample std (0 for one run)
    of ``key`` over the runs of that name, at the steps every one of them logged; whether they
    are validation values; how many runs. Names whose runs never logged ``key`` are left out."""
    members: Dict[str, List[Tuple[np.ndarray, np.ndarray, bool]]] = {}
    for rows, name in zip(runs_rows, names):
        steps, values, is_val = series(rows, key)
        if len(steps):
            members.setdefault(name, []).append((steps, values, is_val))
    grouped = {}
    for name, runs in members.items():
        common = runs[0][0]
        for steps, _, _ in runs[1:]:
            common = np.intersect1d(common, steps)
        stacked = np.stack([values[np.searchsorted(steps, common)] for steps, values, _ in runs])
        std = stacked.std(0, ddof=1) if len(runs) > 1 else np.zeros(len(common))
        grouped[name] = (common, stacked.mean(0), std, runs[0][2], len(runs))
    return grouped


def default_keys(rows: List[dict]) -> Tuple[str, ...]:
    pretraining = any('retrieval_acc' in row for row in rows if is_train(row))
    return PRETRAIN_KEYS if pretraining else FINETUNE_KEYS


def expand(patterns, runs_rows: List[List[dict]]) -> List[str]:
    """Concrete keys for the patterns, in order, each at most once."""
    present = []
    for rows in runs_rows:
        for row in rows:
            present.extend(k for k in row if k not in BOOKKEEPING and k not in present)
    keys = []
    for pattern in patterns:
        matches = [k for k in present if fnmatch.fnmatchcase(k, pattern)]
        keys.extend(k for k in matches if k not in keys)
    return keys


def smoothed(values: np.ndarray, window: int) -> np.ndarray:
    if window <= 1 or len(values) < window:
        return values
    kernel = np.ones(window) / window
    head = np.array([values[: i + 1].mean() for i in range(window - 1)])
    return np.concatenate([head, np.convolve(values, kernel, mode='valid')])


def legend_layout(
    labels: List[str], figure_width_in: float, max_per_row: int = 5
) -> Tuple[int, int]:
    """Rows and columns of a legend of 8-point ``labels`` under a figure this wide.

    As many names a row as the width holds (at most ``max_per_row``), the rows evenly
    filled; a name takes about 4.8 points a character, its line and gaps 40 points.
    """
    longest = max(len(label) for label in labels)
    per_row = max(1, min(max_per_row, int(figure_width_in * 72 // (4.8 * longest + 40))))
    rows = -(-len(labels) // per_row)
    return rows, -(-len(labels) // rows)


def main(argv=None):
    args = parse_args(argv)
    names = args.labels or [run_name(run) for run in args.runs]
    runs_rows = []
    for run in args.runs:
        files = scalar_files(run, args.all_timestamps)
        print(f'{run}: {", ".join(files)}')
        runs_rows.append(read_rows(files))

    if args.keys:
        patterns = args.keys
    else:
        patterns = []
        for rows in runs_rows:
            patterns.extend(k for k in default_keys(rows) if k not in patterns)
    keys = expand(patterns, runs_rows)
    if not keys:
        raise KeyError(f'none of the keys {patterns} is in the logs')

    columns = 2 if len(keys) == 4 else min(3, len(keys))
    rows_count = (len(keys) + columns - 1) // columns
    fig, axes = plt.subplots(
        rows_count, columns, figsize=(4.6 * columns, 3.3 * rows_count + 0.9), squeeze=False
    )
    for ax in axes.flat[len(keys) :]:
        ax.axis('off')
    groups = list(dict.fromkeys(names))
    colours = plt.get_cmap('tab10')
    for ax, key in zip(axes.flat, keys):
        validation = False
        for name, (steps, mean, std, is_val, count) in grouped_series(
            runs_rows, names, key
        ).items():
            colour = colours(groups.index(name) % 10)
            validation |= is_val
            if is_val:
                ax.plot(steps, mean, marker='o', ms=4, color=colour, label=name)
            elif key == 'lr' or key.endswith('/lr'):
                # A logged learning rate held since the previous log: draw it as steps.
                ax.plot(steps, mean, lw=1.3, color=colour, drawstyle='steps-pre', label=name)
            else:
                mean, std = smoothed(mean, args.smooth), smoothed(std, args.smooth)
                ax.plot(steps, mean, lw=1.3, color=colour, label=name)
            if count > 1:
                ax.fill_between(steps, mean - std, mean + std, color=colour, alpha=0.2, lw=0)
        ax.set_title(f'{key} ({"validation" if validation else "training"})', fontsize=9)
        ax.set_xlabel('iteration', fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if any(fnmatch.fnmatchcase(key, pattern) for pattern in args.log_y):
            ax.set_yscale('log')
    counts = {name: names.count(name) for name in groups}
    handles = [
        plt.Line2D(
            [],
            [],
            color=colours(g % 10),
            lw=2,
            label=name if counts[name] == 1 else f'{name} ({counts[name]} runs)',
        )
        for g, name in enumerate(groups)
    ]
    legend_rows, legend_columns = legend_layout(
        [handle.get_label() for handle in handles], fig.get_figwidth()
    )
    fig.legend(
        handles=handles,
        loc='lower center',
        ncol=legend_columns,
        fontsize=8,
        frameon=False,
    )
    smooth = f', training curves averaged over {args.smooth} logs' if args.smooth > 1 else ''
    band = ', bands: ± 1 std over the runs of a label' if len(groups) < len(names) else ''
    title = ', '.join(groups) if len(groups) <= 4 else f'{len(groups)} settings'
    fig.suptitle(
        f'Training curves of {title}\nlines: training logs, markers: validation{smooth}{band}',
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.02 + 0.05 * legend_rows, 1, 1))
    save_figure(fig, args.out)
    print(args.out)


if __name__ == '__main__':
    main()
