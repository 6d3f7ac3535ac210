# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Split one labels file into train, val and test files, at random with a seed.

The input is either a plain ``path label`` text file (read with MMOCR's ``LineStrParser``,
as ``RecogTextDataset`` reads it) or an MMOCR textrecog JSON file. The splits are written
next to it in the same format, as the own-data configs expect them
(``configs/_base_/datasets/own_data.py``): ``train.txt``, ``val.txt``, ``test.txt``, or
``textrecog_{train,val,test}.json``. Every line is checked first: a line that does not parse
or names a missing image stops the tool with the file and line number.

Example::

    python tools/data/split_labels.py data/my_words/labels.txt --val 0.1 --test 0.1 --seed 0
"""

import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmocr.utils.parsers import LineStrParser

SPLITS = ('train', 'val', 'test')


def read_txt(path: str) -> List[Tuple[str, str]]:
    """``(line, image path, line number)`` of each non-blank line of a ``path label`` file."""
    parser = LineStrParser(keys=['filename', 'text'], keys_idx=[0, 1], separator=' ')
    items = []
    with open(path, encoding='utf-8') as f:
        for line_num, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                parsed = parser(line.rstrip('\r\n'))
            except ValueError as error:
                raise ValueError(
                    f'{path}, line {line_num}: expected "path label", '
                    f'got {line.strip()!r} ({error})'
                ) from error
            items.append((line.rstrip('\r\n'), parsed['filename'], line_num))
    return items


def read_json(path: str) -> Tuple[Dict, List]:
    """The metainfo and the ``data_list`` entries of an MMOCR textrecog JSON file."""
    with open(path, encoding='utf-8') as f:
        try:
            ann = json.load(f)
        except json.JSONDecodeError as error:
            raise ValueError(f'{path}: invalid JSON ({error})') from error
    if not isinstance(ann, dict) or not isinstance(ann.get('data_list'), list):
        raise ValueError(f'{path}: expected an MMOCR textrecog JSON object with "data_list"')
    items = []
    for i, entry in enumerate(ann['data_list']):
        if not isinstance(entry, dict) or 'img_path' not in entry:
            raise ValueError(f'{path}: data_list[{i}] has no "img_path"')
        items.append((entry, entry['img_path'], f'data_list[{i}]'))
    return ann.get('metainfo', {}), items


def split_indices(num: int, val: float, test: float, seed: int) -> Dict[str, List[int]]:
    """Sorted indices of each split; val and test get ``round(share * num)`` items, at
    least one each when their share is positive, and train the rest."""
    num_val = max(1, round(val * num)) if val > 0 else 0
    num_test = max(1, round(test * num)) if test > 0 else 0
    if num_val + num_test >= num:
        raise ValueError(f'{num} labelled images are too few for val={val} and test={test}')
    order = np.random.RandomState(seed).permutation(num)
    parts = dict(
        val=order[:num_val],
        test=order[num_val : num_val + num_test],
        train=order[num_val + num_test :],
    )
    return {name: sorted(int(i) for i in part) for name, part in parts.items()}


def split_labels(
    ann_file: str, val: float = 0.1, test: float = 0.1, seed: int = 0, out_dir: Optional[str] = None
) -> Dict[str, str]:
    """Write the three splits of ``ann_file``; returns split -> written file."""
    out_dir = out_dir or osp.dirname(ann_file) or '.'
    is_json = ann_file.endswith('.json')
    if is_json:
        metainfo, items = read_json(ann_file)
    else:
        items = read_txt(ann_file)
    if not items:
        raise ValueError(f'{ann_file}: no labelled image')
    # Image paths are relative to the labels file's folder, the data root of the configs.
    root = osp.dirname(ann_file)
    missing = [(where, img) for _, img, where in items if not osp.isfile(osp.join(root, img))]
    if missing:
        where, img = missing[0]
        raise FileNotFoundError(
            f'{ann_file}: {len(missing)} image(s) not found, first {img!r} '
            f'(line/entry {where}); paths must be relative to {root or "."}'
        )
    written = {}
    for name, indices in split_indices(len(items), val, test, seed).items():
        if is_json:
            out = osp.join(out_dir, f'textrecog_{name}.json')
            with open(out, 'w', encoding='utf-8') as f:
                json.dump(dict(metainfo=metainfo, data_list=[items[i][0] for i in indices]), f)
        else:
            out = osp.join(out_dir, f'{name}.txt')
            with open(out, 'w', encoding='utf-8') as f:
                f.writelines(items[i][0] + '\n' for i in indices)
        written[name] = out
        print(f'{name}: {len(indices)} images -> {out}')
    return written


def parse_args(argv: Sequence[str] = None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_file', help='labels.txt ("path label" lines) or textrecog JSON')
    parser.add_argument('--val', type=float, default=0.1, help='share for val (0.1)')
    parser.add_argument('--test', type=float, default=0.1, help='share for test (0.1)')
    parser.add_argument('--seed', type=int, default=0, help='random seed (0)')
    parser.add_argument('--out-dir', help='where the splits go (the labels file folder)')
    return parser.parse_args(argv)


def main(argv: Sequence[str] = None) -> int:
    args = parse_args(argv)
    try:
        split_labels(args.ann_file, args.val, args.test, args.seed, args.out_dir)
    except (ValueError, FileNotFoundError) as error:
        print(f'ERROR: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
