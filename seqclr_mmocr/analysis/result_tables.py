"""The Markdown report: the paper's tables, every run's numbers, and where each came from.

- Table 1: decoder evaluation, word accuracy (Acc) and ED1 per dataset, method and decoder,
  from the ``decoder_eval`` runs (per cell, the one with the largest label fraction if there
  are several);
- Table 2: fine-tuning word accuracy per dataset, label fraction, method and decoder;
- Table 3: WER, CER and their average per dataset, method and decoder, for fine-tuning on
  100% of the labels;
- every run's Acc, ED1, CER and WER per dataset (at small scale, where accuracy is still 0
  everywhere, CER is where methods differ);
- a Runs table saying where every number came from.

Tables 2 and 3 use the ``finetune`` runs. Values are printed in percent with one decimal, as
in the paper. Rows and columns are sorted by name; ``method_order``/``dataset_order`` put the
names they list first. A number missing from a run shows as ``-``.

**Seeds.** Tables 1-3 show ``mean ± std`` (sample standard deviation, ddof=1; both in percent
with one decimal, two for Table 3's average) over the runs of a cell that have the number
(see :mod:`.result_grid`), and a plain value where only one has it; a line under the title
says so when some cell has several runs. Table 3's average is the mean over seeds of each
run's (WER + CER) / 2, with its std. The Every run and Runs tables list each run with its
seed (``-`` for none).
"""

import os.path as osp
from typing import Optional, Sequence

from .result_grid import ResultGrid, Spread, methods_of, ordered, spread_of

MISSING = '-'


def fraction_label(fraction: float) -> str:
    return f'{fraction * 100:g}%'


def percent(value: Optional[float]) -> str:
    return MISSING if value is None else f'{value * 100:.1f}'


def seed_label(seed: Optional[int]) -> str:
    return MISSING if seed is None else str(seed)


def percent_spread(spread: Optional[Spread], decimals: int = 1) -> str:
    """``mean ± std`` in percent when several runs give the number, else the plain value."""
    if spread is None:
        return MISSING
    if spread.std is None:
        return f'{spread.mean * 100:.{decimals}f}'
    return f'{spread.mean * 100:.{decimals}f} ± {spread.std * 100:.{decimals}f}'


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ['| ' + ' | '.join(header) + ' |', '| ' + ' | '.join('---' for _ in header) + ' |']
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    return '\n'.join(lines)


def format_results(
    grid: ResultGrid,
    mode: str = 'exact',
    method_order: Sequence[str] = (),
    dataset_order: Sequence[str] = (),
) -> str:
    """The Markdown report: Tables 1-3 and the Runs table.

    Args:
        grid (ResultGrid): The collected runs.
        mode (str): The case mode the numbers were read in (for the text).
        method_order (Sequence[str]): Methods to list first, in order; the
            others follow sorted.
        dataset_order (Sequence[str]): Datasets to list first, in order.

    Returns:
        str: The report.
    """
    sections = [
        '# SeqCLR results',
        '',
        'Values in %, from tools/test.py results where a work dir has them,',
        f'else from the best validation step (see Runs). Case mode: {mode}.',
    ]
    counts = grid.seed_counts()
    if counts:
        seeds = str(counts[0]) if len(counts) == 1 else f'{counts[0]}-{counts[-1]}'
        sections.append(
            f'Tables 1-3: mean ± std over {seeds} seeds where a cell has several runs (sample std).'
        )
    sections.append('')
    sections += ['## Table 1: decoder evaluation (Acc and ED1)', '']
    sections.append(
        decoder_eval_table(grid, method_order, dataset_order) or '_No decoder_eval runs._'
    )
    sections += ['', '## Table 2: fine-tuning accuracy per label fraction', '']
    sections.append(finetune_table(grid, method_order, dataset_order) or '_No finetune runs._')
    sections += ['', '## Table 3: WER and CER (fine-tuning on 100% of the labels)', '']
    sections.append(
        error_rate_table(grid, method_order, dataset_order)
        or '_No finetune runs with label fraction 100%._'
    )
    sections += [
        '',
        '## Every run: Acc, ED1, CER and WER',
        '',
        all_metrics_table(grid, dataset_order),
    ]
    sections += ['', '## Runs', '', runs_table(grid), '']
    return '\n'.join(sections)


def decoder_eval_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 1: Acc and ED1 per dataset; rows are decoder x method.

    A cell uses the decoder_eval run with the largest label fraction
    (normally the only one, 100%).
    """
    keys = grid.keys('decoder_eval')
    if not keys:
        return ''
    datasets = ordered({key[3] for key in keys}, dataset_order)
    header = ['Method', 'Decoder']
    for dataset in datasets:
        header += [f'{dataset} Acc', f'{dataset} ED1']
    rows = []
    for decoder in grid.decoders():
        for method in methods_of(keys, method_order, decoder=decoder):
            row = [method, decoder]
            for dataset in datasets:
                fractions = [key[4] for key in keys if key[1:4] == (decoder, method, dataset)]
                fraction = max(fractions, default=1.0)
                row += [
                    percent_spread(
                        grid.spread('decoder_eval', decoder, method, dataset, fraction, column)
                    )
                    for column in ('acc', 'ed1')
                ]
            rows.append(row)
    return markdown_table(header, rows)


def finetune_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 2: accuracy per dataset and label fraction; rows are
    decoder x method."""
    keys = grid.keys('finetune')
    if not keys:
        return ''
    columns = [
        (dataset, fraction)
        for dataset in ordered({key[3] for key in keys}, dataset_order)
        for fraction in sorted({key[4] for key in keys if key[3] == dataset})
    ]
    header = ['Method', 'Decoder'] + [
        f'{dataset} {fraction_label(fraction)}' for dataset, fraction in columns
    ]
    rows = []
    for decoder in grid.decoders():
        for method in methods_of(keys, method_order, decoder=decoder):
            rows.append(
                [method, decoder]
                + [
                    percent_spread(
                        grid.spread('finetune', decoder, method, dataset, fraction, 'acc')
                    )
                    for dataset, fraction in columns
                ]
            )
    return markdown_table(header, rows)


def error_rate_table(
    grid: ResultGrid, method_order: Sequence[str], dataset_order: Sequence[str]
) -> str:
    """Table 3: WER, CER and their mean for fine-tuning on all labels; rows
    are dataset x decoder x method. Over seeds, the average is the mean of each
    run's (WER + CER) / 2."""
    keys = [key for key in grid.keys('finetune') if key[4] == 1.0]
    if not keys:
        return ''
    rows = []
    for dataset in ordered({key[3] for key in keys}, dataset_order):
        for decoder in grid.decoders():
            for method in methods_of(keys, method_order, decoder=decoder, dataset=dataset):
                wer, cer = (
                    grid.spread('finetune', decoder, method, dataset, 1.0, column)
                    for column in ('wer', 'cer')
                )
                average = spread_of(
                    [
                        (metrics['wer'] + metrics['cer']) / 2
                        for metrics in grid.cell_metrics('finetune', decoder, method, dataset, 1.0)
                        if 'wer' in metrics and 'cer' in metrics
                    ]
                )
                rows.append(
                    [
                        dataset,
                        method,
                        decoder,
                        percent_spread(wer),
                        percent_spread(cer),
                        percent_spread(average, decimals=2),
                    ]
                )
    return markdown_table(['Dataset', 'Method', 'Decoder', 'WER', 'CER', 'Average'], rows)


def all_metrics_table(grid: ResultGrid, dataset_order: Sequence[str]) -> str:
    """Every run's four numbers per dataset; at small scale, where word accuracy is
    still 0 everywhere, CER is where methods differ."""
    rows = []
    for run in grid.runs:
        for dataset in ordered(set(run.metrics), dataset_order):
            values = run.metrics[dataset]
            rows.append(
                [
                    run.method,
                    run.protocol,
                    run.decoder,
                    fraction_label(run.label_fraction),
                    dataset,
                    seed_label(run.seed),
                ]
                + [percent(values.get(column)) for column in ('acc', 'ed1', 'cer', 'wer')]
            )
    return markdown_table(
        [
            'Method',
            'Protocol',
            'Decoder',
            'Label fraction',
            'Dataset',
            'Seed',
            'Acc',
            'ED1',
            'CER',
            'WER',
        ],
        rows,
    )


def runs_table(grid: ResultGrid) -> str:
    """Where every number came from: one row per run."""
    rows = [
        [
            osp.basename(run.work_dir),
            run.method,
            run.protocol,
            run.decoder,
            fraction_label(run.label_fraction),
            seed_label(run.seed),
            ', '.join(sorted(run.metrics)),
            run.source,
        ]
        for run in grid.runs
    ]
    return markdown_table(
        [
            'Work dir',
            'Method',
            'Protocol',
            'Decoder',
            'Label fraction',
            'Seed',
            'Datasets',
            'Source',
        ],
        rows,
    )
