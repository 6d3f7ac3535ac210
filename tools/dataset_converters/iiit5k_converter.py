# Copyright (c) OpenMMLab. All rights reserved.
"""Convert IIIT5K-Words to MMOCR text recognition JSON.

Expected layout, either the text form redistributed with MMOCR::

    <root>/train_label.txt   lines like ``train/1009_2.png You``
    <root>/test_label.txt
    <root>/train/  <root>/test/

or the official release (``IIIT5K-Word_V3.0``), read only if scipy is
installed::

    <root>/traindata.mat  <root>/testdata.mat   (fields ImgName, GroundTruth)
    <root>/train/  <root>/test/

Example::

    python tools/dataset_converters/iiit5k_converter.py data/iiit5k
"""

import argparse
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

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

SPLITS = ('train', 'test')
TXT_FILES = {'train': 'train_label.txt', 'test': 'test_label.txt'}
MAT_FILES = {'train': 'traindata.mat', 'test': 'testdata.mat'}

# (location, image name, transcription, raw record); a missing field is None.
Record = Tuple[str, Optional[str], Optional[str], str]


def read_txt(root: str, path: str, encoding: Optional[str]) -> List[Record]:
    """Records of a ``<image> <text>`` label file."""
    lines, _ = read_text_lines(path, encoding)
    records = []
    for line_no, line in numbered(lines):
        fields = line.strip().split(maxsplit=1)
        img_name = fields[0]
        text = fields[1].strip() if len(fields) == 2 else None
        records.append((where(root, path, line_no), img_name, text, line))
    return records


def read_mat(root: str, path: str, split: str) -> List[Record]:
    """Records of the official ``<split>data.mat``."""
    try:
        from scipy.io import loadmat
    except ImportError as e:
        raise ImportError(
            f'reading {path} needs scipy; install it or convert the text label files instead'
        ) from e
    key = f'{split}data'
    mat = loadmat(path, squeeze_me=True)
    if key not in mat:
        raise KeyError(
            f'{path} has no {key!r} variable (found '
            f'{sorted(k for k in mat if not k.startswith("__"))})'
        )
    table = mat[key]
    names = table.dtype.names or ()
    missing = {'ImgName', 'GroundTruth'} - set(names)
    if missing:
        raise KeyError(f'{path}: {key} lacks the fields {sorted(missing)}')
    records = []
    for i, entry in enumerate(table.reshape(-1), 1):
        img_name = _mat_str(entry['ImgName'])
        text = _mat_str(entry['GroundTruth'])
        raw = f'ImgName={img_name!r} GroundTruth={text!r}'
        records.append(
            (f'{where(root, path)}[{i}]', img_name, None if text is None else text.strip(), raw)
        )
    return records


def _mat_str(value) -> Optional[str]:
    """A MATLAB char array loaded by scipy as ``str``; None if empty."""
    value = getattr(value, 'tolist', lambda: value)()
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, str) and value else None


def convert_iiit5k(
    root: str,
    out_dir: Optional[str] = None,
    ann_format: str = 'auto',
    encoding: Optional[str] = None,
    strict: bool = False,
) -> Dict[str, SplitStats]:
    """Convert IIIT5K.

    Args:
        root (str): IIIT5K root.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        ann_format (str): ``'txt'`` (``<split>_label.txt``), ``'mat'``
            (``<split>data.mat``) or ``'auto'``: the text file if it exists,
            else the .mat file.
        encoding (str, optional): Codec of the text label files. Defaults to
            UTF-8 with a fall back to latin-1/cp1252.
        strict (bool): Fail on malformed records or missing images.

    Returns:
        dict[str, SplitStats]: Statistics per split.
    """
    if ann_format not in ('auto', 'txt', 'mat'):
        raise ValueError(f'ann_format must be auto, txt or mat, not {ann_format!r}')
    out_dir = root if out_dir is None else out_dir
    collectors = {}
    for split in SPLITS:
        txt_path = resolve(root, TXT_FILES[split])
        mat_path = resolve(root, MAT_FILES[split])
        use_txt = ann_format == 'txt' or (ann_format == 'auto' and osp.isfile(txt_path))
        path = txt_path if use_txt else mat_path
        if not osp.isfile(path):
            if ann_format != 'auto':
                raise FileNotFoundError(f'IIIT5K {split} labels {path} not found')
            print_log(
                f'neither {txt_path} nor {mat_path} found: the {split} split is not written',
                logger='current',
            )
            continue
        records = read_txt(root, path, encoding) if use_txt else read_mat(root, path, split)
        collector = collectors[split] = SplitCollector(split, out_dir, strict)
        for loc, img_name, text, raw in track(records):
            if img_name is None:
                collector.malformed(loc, raw, 'no image name')
            elif text is None:
                collector.malformed(loc, raw, 'no transcription')
            else:
                collector.add(osp.join(root, img_name), text, loc, raw)
    if not collectors:
        raise FileNotFoundError(f'no IIIT5K label file found in {root}')
    return finish('iiit5k', collectors)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert IIIT5K to MMOCR text recognition JSON.')
    add_common_args(parser, encoding_of='the text label files')
    parser.add_argument(
        '--format',
        dest='ann_format',
        choices=['auto', 'txt', 'mat'],
        default='auto',
        help='Read <split>_label.txt (txt), <split>data.mat (mat, needs '
        'scipy), or the text file when present and else the .mat (auto).',
    )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    return convert_iiit5k(
        args.root,
        args.out_dir,
        ann_format=args.ann_format,
        encoding=args.encoding,
        strict=args.strict,
    )


if __name__ == '__main__':
    main()
