# Copyright (c) OpenMMLab. All rights reserved.
"""Convert the RIMES words (ICDAR 2011 release) to MMOCR text recognition
JSON.

Expected layout::

    <root>/ground_truth_training_icdar2011.txt    training/lot_1/...png
    <root>/ground_truth_validation_icdar2011.txt  validation/...
    <root>/ground_truth_test_icdar2011.txt        test/...

Each split has a ground-truth text file whose lines read
``<image file name> <transcription>``, the image name being relative to the
split's image folder. The files are UTF-8 or latin-1/cp1252; accented
letters are kept as they are.

Example (these are the defaults, used when no ``--*-gt`` is given)::

    python tools/dataset_converters/rimes_converter.py data/rimes \
        --train-gt ground_truth_training_icdar2011.txt \
        --train-img-dir training \
        --val-gt ground_truth_validation_icdar2011.txt \
        --val-img-dir validation \
        --test-gt ground_truth_test_icdar2011.txt --test-img-dir test
"""

import argparse
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

from _common import (
    SplitCollector,
    SplitStats,
    add_common_args,
    finish,
    numbered,
    read_text_lines,
    resolve,
    track,
    where,
)
from mmengine.logging import print_log

SPLITS = ('train', 'val', 'test')
DEFAULT_SPLITS = {
    'train': ('ground_truth_training_icdar2011.txt', 'training'),
    'val': ('ground_truth_validation_icdar2011.txt', 'validation'),
    'test': ('ground_truth_test_icdar2011.txt', 'test'),
}


def convert_rimes(
    root: str,
    splits: Optional[Dict[str, Tuple[str, str]]] = None,
    out_dir: Optional[str] = None,
    encoding: Optional[str] = None,
    strict: bool = False,
) -> Dict[str, SplitStats]:
    """Convert the RIMES words.

    Args:
        root (str): RIMES root.
        splits (dict[str, tuple[str, str]], optional): Split name to
            (ground-truth file, image folder), both relative to ``root``.
            Defaults to the files of :data:`DEFAULT_SPLITS` that exist.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        encoding (str, optional): Codec of the ground-truth files. Defaults
            to UTF-8 with a fall back to latin-1/cp1252.
        strict (bool): Fail on malformed lines or missing images.

    Returns:
        dict[str, SplitStats]: Statistics per split.
    """
    if splits is None:
        splits = {}
        for split, (gt_file, img_dir) in DEFAULT_SPLITS.items():
            if osp.isfile(resolve(root, gt_file)):
                splits[split] = (gt_file, img_dir)
            else:
                print_log(
                    f'{resolve(root, gt_file)} not found: the {split} split is not written',
                    logger='current',
                )
    if not splits:
        raise FileNotFoundError(
            f'no RIMES ground truth found in {root}; give --train-gt, --val-gt or --test-gt'
        )
    out_dir = root if out_dir is None else out_dir
    collectors = {}
    for split, (gt_file, img_dir) in splits.items():
        gt_path = resolve(root, gt_file)
        if not osp.isfile(gt_path):
            raise FileNotFoundError(f'RIMES {split} ground truth {gt_path} not found')
        collector = collectors[split] = SplitCollector(split, out_dir, strict)
        lines, _ = read_text_lines(gt_path, encoding)
        for line_no, line in track(numbered(lines)):
            loc = where(root, gt_path, line_no)
            fields = line.strip().split(maxsplit=1)
            if len(fields) < 2:
                collector.malformed(loc, line, 'no transcription')
                continue
            img_name, text = fields
            collector.add(osp.join(root, img_dir, img_name), text.strip(), loc, line)
    return finish('rimes', collectors)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert RIMES words to MMOCR text recognition JSON.'
    )
    add_common_args(parser, encoding_of='the ground-truth files')
    for split in SPLITS:
        parser.add_argument(
            f'--{split}-gt',
            help=f'Ground truth of the {split} split, relative to the root. '
            'When no --*-gt is given, the ICDAR 2011 file names are tried.',
        )
        parser.add_argument(
            f'--{split}-img-dir',
            default=DEFAULT_SPLITS[split][1],
            help=f'Folder the {split} image names are relative to, relative to the root.',
        )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    splits = {
        split: (getattr(args, f'{split}_gt'), getattr(args, f'{split}_img_dir'))
        for split in SPLITS
        if getattr(args, f'{split}_gt')
    }
    return convert_rimes(
        args.root, splits or None, args.out_dir, encoding=args.encoding, strict=args.strict
    )


if __name__ == '__main__':
    main()
