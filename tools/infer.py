# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Recognise the text of word images with a trained recognizer, through MMOCR's
``TextRecInferencer`` (batched).

Inputs are image files, folders (searched recursively) or glob patterns, in any mix. Files
that are not readable images are skipped with a warning and counted. One line per image is
printed as ``file<TAB>text<TAB>score``, where the score is the mean of the character scores
and 0 for an empty prediction (MMOCR gives ``nan`` there). Standard output holds these lines
only; warnings, counts and MMEngine's log lines go to standard error. The checkpoint may be
a training run's work dir, which stands for its best validation checkpoint (else its last).

Example::

    python tools/infer.py work_dirs/ft/finetune_ctc_small-resnet-bilstm_4000it_own-data.py \\
        work_dirs/ft/iter_500.pth data/new_words/ --out-dir work_dirs/infer --save-pred \\
        --save-vis
    python tools/infer.py configs/own_data/finetune_ctc_small-resnet-bilstm_4000it_own-data.py \\
        work_dirs/ft data/new_words/ > predictions.tsv
"""

import argparse
import glob
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import mmcv
import numpy as np

from seqclr_mmocr.utils.log_streams import log_to_stderr
from seqclr_mmocr.utils.work_dir_checkpoint import resolve_checkpoint

IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')
PREDICTIONS_FILE = 'predictions.json'


def warn(message: str) -> None:
    print(f'WARNING: {message}', file=sys.stderr)


def expand_inputs(inputs: Sequence[str]) -> Tuple[List[str], List[str]]:
    """Image files named by ``inputs`` (files, folders, globs) and the skipped files.

    Folders are searched recursively; files are sorted per input and listed once. A file
    is skipped when it has no image extension or cannot be decoded.

    Returns:
        tuple: ``(images, skipped)``.
    """
    images, skipped, seen = [], [], set()
    for item in inputs:
        if osp.isdir(item):
            candidates = sorted(
                osp.join(root, name) for root, _, names in os.walk(item) for name in names
            )
        elif osp.isfile(item):
            candidates = [item]
        else:
            candidates = sorted(p for p in glob.glob(item, recursive=True) if osp.isfile(p))
            if not candidates:
                raise FileNotFoundError(
                    f'{item}: no such file or folder, and no file matches it as a glob pattern'
                )
        for path in candidates:
            if path in seen:
                continue
            seen.add(path)
            if path.lower().endswith(IMAGE_EXTENSIONS) and is_readable_image(path):
                images.append(path)
            else:
                skipped.append(path)
    return images, skipped


def is_readable_image(path: str) -> bool:
    try:
        return mmcv.imread(path) is not None
    except Exception:  # noqa: BLE001 - any decoding failure means "not an image"
        return False


def build_inferencer(config: str, checkpoint: str, device: Optional[str] = None):
    """MMOCR's ``TextRecInferencer`` whose score of an empty prediction is 0."""
    from mmocr.apis.inferencers import TextRecInferencer

    import seqclr_mmocr  # noqa: F401  registers the plug-in and its checkpoint loader
    from seqclr_mmocr.datasets.transforms.loading import SafeLoadingInferencerMixin

    # Loads through LoadImageSafe (transparent images composited), which also lets it read
    # the config dumped into a work dir, whose test pipeline loads with LoadImageSafe.
    class BlankSafeTextRecInferencer(SafeLoadingInferencerMixin, TextRecInferencer):
        def pred2dict(self, data_sample) -> Dict:
            scores = self._array2list(data_sample.pred_text.score)
            return dict(
                text=data_sample.pred_text.item,
                scores=float(np.mean(scores)) if len(scores) else 0.0,
            )

    checkpoint = resolve_checkpoint(checkpoint)
    with log_to_stderr():
        return BlankSafeTextRecInferencer(model=config, weights=checkpoint, device=device)


def infer(
    config: str,
    checkpoint: str,
    inputs: Sequence[str],
    batch_size: int = 32,
    out_dir: str = '',
    save_pred: bool = False,
    save_vis: bool = False,
    device: Optional[str] = None,
) -> Tuple[List[Dict], List[str]]:
    """Predictions ``[{file, text, score}]`` for every image in ``inputs``, and the
    skipped files. With ``save_pred``, they are also written to
    ``<out_dir>/predictions.json``; with ``save_vis``, drawn in ``<out_dir>/vis/``."""
    if (save_pred or save_vis) and not out_dir:
        raise ValueError('--save-pred and --save-vis need --out-dir')
    images, skipped = expand_inputs(inputs)
    for path in skipped:
        warn(f'{path}: not an image, skipped')
    predictions = []
    if images:
        inferencer = build_inferencer(config, checkpoint, device)
        with log_to_stderr():
            results = inferencer(
                images,
                batch_size=batch_size,
                progress_bar=False,
                out_dir=out_dir,
                save_vis=save_vis,
            )
        predictions = [
            dict(file=path, text=pred['text'], score=pred['scores'])
            for path, pred in zip(images, results['predictions'])
        ]
    if save_pred:
        os.makedirs(out_dir, exist_ok=True)
        with open(osp.join(out_dir, PREDICTIONS_FILE), 'w', encoding='utf-8') as f:
            json.dump(dict(predictions=predictions, skipped=skipped), f, indent=1)
    return predictions, skipped


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Recognise word images with a trained recognizer (batched)'
    )
    parser.add_argument('config', help='recognizer config (e.g. the one dumped in its work dir)')
    parser.add_argument('checkpoint', help='checkpoint of that recognizer')
    parser.add_argument('inputs', nargs='+', help='image files, folders or glob patterns')
    parser.add_argument('--batch-size', type=int, default=32, help='images per batch (32)')
    parser.add_argument('--out-dir', default='', help='where --save-pred/--save-vis write')
    parser.add_argument(
        '--save-pred', action='store_true', help=f'write <out-dir>/{PREDICTIONS_FILE}'
    )
    parser.add_argument(
        '--save-vis', action='store_true', help='draw each prediction into <out-dir>/vis/'
    )
    parser.add_argument('--device', default=None, help='cpu, cuda, cuda:0 (auto)')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        predictions, skipped = infer(
            args.config,
            args.checkpoint,
            args.inputs,
            args.batch_size,
            args.out_dir,
            args.save_pred,
            args.save_vis,
            args.device,
        )
    except (FileNotFoundError, ValueError) as error:
        print(f'ERROR: {error}', file=sys.stderr)
        return 1
    for pred in predictions:
        print(f'{pred["file"]}\t{pred["text"]}\t{pred["score"]:.4f}')
    print(
        f'{len(predictions)} image(s) recognised, {len(skipped)} non-image file(s) skipped',
        file=sys.stderr,
    )
    if args.save_pred:
        print(f'predictions written to {osp.join(args.out_dir, PREDICTIONS_FILE)}', file=sys.stderr)
    return 0 if predictions else 1


if __name__ == '__main__':
    sys.exit(main())
