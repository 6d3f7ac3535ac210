"""The plot: fine-tuning accuracy against label fraction.

matplotlib is imported when a plot is drawn, not when this module is imported.
"""

from typing import Sequence

from .result_grid import ResultGrid, methods_of, ordered
from .result_tables import fraction_label


def plot_accuracy_vs_fraction(
    grid: ResultGrid,
    out_file: str,
    method_order: Sequence[str] = (),
    dataset_order: Sequence[str] = (),
) -> bool:
    """Plot fine-tuning accuracy against label fraction; one line per method.

    One panel per (dataset, decoder) with fine-tuning runs; the x axis is
    logarithmic, with a tick at each label fraction present. A point is the
    mean over seeds, with an error bar (sample std) where it has several runs.

    Args:
        grid (ResultGrid): The collected runs.
        out_file (str): The PNG file to write.
        method_order (Sequence[str]): Methods to list first in legends.
        dataset_order (Sequence[str]): Datasets to show first.

    Returns:
        bool: Whether a plot was written (False without fine-tuning runs).
    """
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    keys = [key for key in grid.keys('finetune') if grid.get(*key, column='acc') is not None]
    if not keys:
        return False
    panels = [
        (dataset, decoder)
        for dataset in ordered({key[3] for key in keys}, dataset_order)
        for decoder in grid.decoders()
        if any(key[3] == dataset and key[1] == decoder for key in keys)
    ]
    # One colour per method across panels.
    colours = plt.rcParams['axes.prop_cycle'].by_key()['color']
    colour_of = {
        method: colours[i % len(colours)] for i, method in enumerate(methods_of(keys, method_order))
    }
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
    for ax, (dataset, decoder) in zip(axes[0], panels):
        panel_keys = [key for key in keys if key[3] == dataset and key[1] == decoder]
        for method in methods_of(panel_keys, method_order):
            points = sorted(
                (key[4], grid.spread(*key, column='acc')) for key in panel_keys if key[2] == method
            )
            errors = [100 * (acc.std or 0.0) for _, acc in points]
            ax.errorbar(
                [100 * fraction for fraction, _ in points],
                [100 * acc.mean for _, acc in points],
                yerr=errors if any(errors) else None,
                capsize=3,
                marker='o',
                color=colour_of[method],
                label=method,
            )
        fractions = sorted({key[4] for key in panel_keys})
        ax.set_xscale('log')
        ax.set_xticks([100 * fraction for fraction in fractions])
        ax.set_xticklabels([fraction_label(f) for f in fractions])
        ax.minorticks_off()
        ax.set_title(f'{dataset} ({decoder} decoder)')
        ax.set_xlabel('Label fraction')
        ax.set_ylabel('Word accuracy (%)')
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle('Fine-tuning accuracy vs. label fraction')
    fig.tight_layout()
    fig.savefig(out_file, dpi=100)
    plt.close(fig)
    return True
