# Copyright (c) OpenMMLab. All rights reserved.
"""Convert ICDAR 2003 and ICDAR 2013 word recognition sets to MMOCR text
recognition JSON.

ICDAR 2003 (``--dataset ic03``), Robust Word Recognition, expected layout::

    <root>/TrialTrain/word.xml   <root>/TrialTrain/word/1/1.jpg ...
    <root>/TrialTest/word.xml    <root>/TrialTest/word/1/1.jpg ...

``word.xml`` holds ``<image file="word/1/1.jpg" tag="Gobe" />`` entries, the
file relative to the XML's folder; XML entities (``&amp;``) are decoded.

ICDAR 2013 (``--dataset ic13``), Challenge 2 Task 3, expected layout::

    <root>/Challenge2_Training_Task3_Images_GT/gt.txt  (and word_*.png)
    <root>/Challenge2_Test_Task3_Images/word_*.png
    <root>/Challenge2_Test_Task3_GT.txt

with ground-truth lines ``word_1.png, "Tiredness"`` (UTF-8, maybe with a
BOM; ``\\"`` inside the quotes is an escaped quote).

``--alphanumeric [MIN_LEN]`` also writes
``alphanumeric_textrecog_<split>.json`` with the words made of ASCII letters
and digits only, at least ``MIN_LEN`` long: the IC13 1015-word test set
(``--alphanumeric``) and the IC03 860 / IC13 857-word ones
(``--alphanumeric 3``).

Example::

    python tools/dataset_converters/icdar_converter.py data/icdar2013 \
        --dataset ic13 --alphanumeric
"""

import argparse
import html
import os.path as osp
import re
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

# Per dataset and split: (annotation file, image folder); an image folder of
# None means the annotation file's folder.
DEFAULT_FILES = {
    'ic03': {
        'train': ('TrialTrain/word.xml', None),
        'test': ('TrialTest/word.xml', None),
    },
    'ic13': {
        'train': (
            'Challenge2_Training_Task3_Images_GT/gt.txt',
            'Challenge2_Training_Task3_Images_GT',
        ),
        'test': ('Challenge2_Test_Task3_GT.txt', 'Challenge2_Test_Task3_Images'),
    },
}
DATASET_NAMES = {'ic03': 'icdar2003', 'ic13': 'icdar2013'}

_XML_IMAGE = re.compile(r'<image\b((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>', re.IGNORECASE)
_XML_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_IC13_LINE = re.compile(r'^\s*(?P<img>[^,]+?)\s*,\s*"(?P<text>.*)"\s*$')
_BACKSLASH_ESCAPE = re.compile(r'\\(.)')

# (location, image name, transcription or None, raw record, reason if bad)
Record = Tuple[str, Optional[str], Optional[str], str, Optional[str]]


def parse_ic03_xml(root: str, path: str, encoding: Optional[str] = None) -> List[Record]:
    """Read the ``<image file=... tag=.../>`` entries of an IC03
    ``word.xml``.

    A regular expression is used instead of an XML parser so that one bad
    entry (e.g. a raw ``&``) is reported on its own instead of failing the
    whole file.
    """
    lines, _ = read_text_lines(path, encoding)
    text = '\n'.join(lines)
    records = []
    line_no, pos = 1, 0
    for match in _XML_IMAGE.finditer(text):
        line_no += text.count('\n', pos, match.start())
        pos = match.start()
        loc = where(root, path, line_no)
        attrs = {
            attr.group(1).lower(): html.unescape(
                attr.group(2) if attr.group(2) is not None else attr.group(3)
            )
            for attr in _XML_ATTR.finditer(match.group(1))
        }
        raw = match.group(0)
        if 'file' not in attrs:
            records.append((loc, None, None, raw, 'no file attribute'))
        elif 'tag' not in attrs:
            records.append((loc, attrs['file'], None, raw, 'no tag attribute'))
        else:
            records.append((loc, attrs['file'], attrs['tag'].strip(), raw, None))
    return records


def parse_ic13_txt(root: str, path: str, encoding: Optional[str] = None) -> List[Record]:
    """Read the ``word_1.png, "Tiredness"`` lines of an IC13 ground truth."""
    lines, _ = read_text_lines(path, encoding)
    records = []
    for line_no, line in numbered(lines):
        loc = where(root, path, line_no)
        match = _IC13_LINE.match(line)
        if match is None:
            records.append((loc, None, None, line, 'not <image>, "<transcription>"'))
            continue
        text = _BACKSLASH_ESCAPE.sub(r'\1', match.group('text')).strip()
        records.append((loc, match.group('img'), text, line, None))
    return records


def convert_icdar(
    root: str,
    dataset: str,
    out_dir: Optional[str] = None,
    splits: Optional[Dict[str, Tuple[str, Optional[str]]]] = None,
    alphanumeric_min_len: Optional[int] = None,
    encoding: Optional[str] = None,
    strict: bool = False,
) -> Dict[str, SplitStats]:
    """Convert IC03 or IC13 word recognition.

    Args:
        root (str): Dataset root.
        dataset (str): ``'ic03'`` or ``'ic13'``.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        splits (dict[str, tuple[str, str | None]], optional): Split name to
            (annotation file, image folder), relative to ``root``; an image
            folder of None is the annotation file's folder. Defaults to the
            files of :data:`DEFAULT_FILES` that exist.
        alphanumeric_min_len (int, optional): Also write the alphanumeric
            subset of each split, keeping words at least this long.
        encoding (str, optional): Codec of the annotation files. Defaults to
            UTF-8 with a fall back to latin-1/cp1252.
        strict (bool): Fail on malformed records or missing images.

    Returns:
        dict[str, SplitStats]: Statistics per split.
    """
    if dataset not in DEFAULT_FILES:
        raise ValueError(f'dataset must be ic03 or ic13, not {dataset!r}')
    if splits is None:
        splits = {}
        for split, (ann_file, img_dir) in DEFAULT_FILES[dataset].items():
            if osp.isfile(resolve(root, ann_file)):
                splits[split] = (ann_file, img_dir)
            else:
                print_log(
                    f'{resolve(root, ann_file)} not found: the {split} split is not written',
                    logger='current',
                )
    if not splits:
        raise FileNotFoundError(f'no {dataset} annotation file found in {root}')
    out_dir = root if out_dir is None else out_dir
    parse = parse_ic03_xml if dataset == 'ic03' else parse_ic13_txt
    collectors = {}
    for split, (ann_file, img_dir) in splits.items():
        ann_path = resolve(root, ann_file)
        if not osp.isfile(ann_path):
            raise FileNotFoundError(f'{dataset} {split} annotation {ann_path} not found')
        img_root = osp.dirname(ann_path) if img_dir is None else resolve(root, img_dir)
        collector = collectors[split] = SplitCollector(split, out_dir, strict)
        for loc, img_name, text, raw, reason in track(parse(root, ann_path, encoding)):
            if reason is not None:
                collector.malformed(loc, raw, reason)
            else:
                collector.add(osp.join(img_root, img_name), text, loc, raw)
    return finish(DATASET_NAMES[dataset], collectors, alphanumeric_min_len)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert ICDAR 2003 / 2013 word recognition to MMOCR text recognition JSON.'
    )
    add_common_args(parser, encoding_of='the annotation files', alphanumeric=True)
    parser.add_argument('--dataset', required=True, choices=sorted(DEFAULT_FILES))
    for split in ('train', 'test'):
        ic03_ann, _ = DEFAULT_FILES['ic03'][split]
        ic13_ann, ic13_img_dir = DEFAULT_FILES['ic13'][split]
        parser.add_argument(
            f'--{split}-ann',
            help=f'Annotation file of the {split} split, relative to the '
            f'root (default: {ic03_ann} for ic03, {ic13_ann} for ic13).',
        )
        parser.add_argument(
            f'--{split}-img-dir',
            help=f'Folder the {split} image names are relative to, relative '
            f'to the root (default: the XML folder for ic03, {ic13_img_dir} '
            'for ic13).',
        )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    splits = None
    if args.train_ann or args.test_ann:
        splits = {}
        for split in ('train', 'test'):
            ann_file = getattr(args, f'{split}_ann')
            if ann_file:
                img_dir = getattr(args, f'{split}_img_dir')
                if img_dir is None:
                    img_dir = DEFAULT_FILES[args.dataset][split][1]
                splits[split] = (ann_file, img_dir)
    elif args.train_img_dir or args.test_img_dir:
        splits = {
            split: (ann_file, getattr(args, f'{split}_img_dir') or img_dir)
            for split, (ann_file, img_dir) in DEFAULT_FILES[args.dataset].items()
            if osp.isfile(resolve(args.root, ann_file))
        }
    return convert_icdar(
        args.root,
        args.dataset,
        args.out_dir,
        splits=splits,
        alphanumeric_min_len=args.alphanumeric,
        encoding=args.encoding,
        strict=args.strict,
    )


if __name__ == '__main__':
    main()
