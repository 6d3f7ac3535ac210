"""A sheet of test images with their ground truth and the recognizer's prediction.

Usage::

    python tools/visualization/prediction_sheet.py CONFIG CHECKPOINT \\
        [--out sheet.png] [--num-images 24] [--cfg-options k=v ...]

Runs the config's recognizer (any MMOCR text recognizer) on the first ``--num-images``
samples of its ``test_dataloader`` and writes a grid: each image with its ground truth and
prediction, correct predictions in green, errors in red (with the edit distance), and the
word accuracy of the shown samples in the title. Prints the PNG's path.
"""

import argparse
import os.path as osp
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import DefaultScope  # noqa: E402
from mmengine.runner import load_checkpoint  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _vis_common import load_config, save_figure  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Draw test images with predictions')
    parser.add_argument('config', help='recognizer config')
    parser.add_argument('checkpoint', help='recognizer checkpoint')
    parser.add_argument('--out', default='prediction_sheet.png', help='output PNG')
    parser.add_argument('--num-images', type=int, default=24)
    parser.add_argument('--columns', type=int, default=4)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py',
    )
    return parser.parse_args(argv)


def predict(cfg: Config, checkpoint: str, num_images: int) -> list:
    """(image, ground truth, prediction) for the first samples of the test set."""
    from mmocr.registry import DATASETS, MODELS

    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    model.eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    samples = [dataset[i] for i in range(min(num_images, len(dataset)))]
    with torch.no_grad():
        outputs = model.test_step(pseudo_collate(samples))
    rows = []
    for sample, output in zip(samples, outputs):
        image = sample['inputs'].numpy().transpose(1, 2, 0).squeeze(-1)
        rows.append((image, output.gt_text.item, output.pred_text.item))
    return rows


def draw(rows: list, columns: int, title: str, out: str) -> None:
    num_rows = (len(rows) + columns - 1) // columns
    fig, axes = plt.subplots(
        num_rows, columns, figsize=(3.2 * columns, 1.7 * num_rows), squeeze=False
    )
    for ax in axes.flat:
        ax.axis('off')
    for ax, (image, gt, pred) in zip(axes.flat, rows):
        ax.imshow(image, cmap='gray', vmin=0, vmax=255)
        correct = gt == pred
        distance = Levenshtein.distance(gt, pred)
        verdict = 'ok' if correct else f'ED {distance}'
        ax.set_title(
            f'GT: {gt}\npred: {pred}  ({verdict})', fontsize=8, color='green' if correct else 'red'
        )
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, out, dpi=110)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'mmocr')):
        rows = predict(cfg, args.checkpoint, args.num_images)
    accuracy = np.mean([gt == pred for _, gt, pred in rows]) if rows else float('nan')
    title = (
        f'{osp.basename(args.config)}\n{osp.basename(args.checkpoint)}: '
        f'{len(rows)} test images, word accuracy {100 * accuracy:.1f}% '
        '(green: correct, red: error)'
    )
    draw(rows, args.columns, title, args.out)
    print(args.out)


if __name__ == '__main__':
    main()
