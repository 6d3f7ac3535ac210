# Copyright (c) OpenMMLab. All rights reserved.
"""Convert the cropped SynthText words to MMOCR text recognition JSON.

Expected layout (the cropped release used by MMOCR 0.x)::

    <root>/label.txt
    <root>/synthtext/SynthText_patch_horizontal/1/ant+hill_1_0.jpg ...

with one ``<image path> <transcription>`` per line. Image paths are relative
to ``--img-prefix`` (default ``synthtext/SynthText_patch_horizontal``) under
the root; a path that already starts with the prefix is not prefixed twice,
and a leading ``./`` is dropped.

``--alphanumeric [MIN_LEN]`` also writes
``alphanumeric_textrecog_train.json`` (ASCII letters and digits only), the
file MMOCR's ``synthtext_an_textrecog_train`` reads.

Example::

    python tools/dataset_converters/synthtext_converter.py data/synthtext \
        --alphanumeric
"""

import argparse
import os.path as osp
from typing import Dict, Optional, Sequence

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

DEFAULT_IMG_PREFIX = 'synthtext/SynthText_patch_horizontal'


def convert_synthtext(
    root: str,
    out_dir: Optional[str] = None,
    ann_file: str = 'label.txt',
    img_prefix: str = DEFAULT_IMG_PREFIX,
    split: str = 'train',
    alphanumeric_min_len: Optional[int] = None,
    encoding: Optional[str] = None,
    strict: bool = False,
) -> Dict[str, SplitStats]:
    """Convert the cropped SynthText words.

    Args:
        root (str): SynthText root.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        ann_file (str): Label file, relative to ``root``.
        img_prefix (str): Folder the image paths of the label file are
            relative to, relative to ``root``.
        split (str): Split name of the output, ``textrecog_<split>.json``.
        alphanumeric_min_len (int, optional): Also write the alphanumeric
            subset, keeping words at least this long.
        encoding (str, optional): Codec of the label file. Defaults to UTF-8
            with a fall back to latin-1/cp1252.
        strict (bool): Fail on malformed lines or missing images.

    Returns:
        dict[str, SplitStats]: Statistics of the split.
    """
    out_dir = root if out_dir is None else out_dir
    ann_path = resolve(root, ann_file)
    if not osp.isfile(ann_path):
        raise FileNotFoundError(f'SynthText label file {ann_path} not found')
    prefix = img_prefix.strip('/')
    collector = SplitCollector(split, out_dir, strict)
    lines, _ = read_text_lines(ann_path, encoding)
    for line_no, line in track(numbered(lines)):
        loc = where(root, ann_path, line_no)
        fields = line.strip().split(maxsplit=1)
        if len(fields) < 2:
            collector.malformed(loc, line, 'no transcription')
            continue
        img_name, text = fields
        if img_name.startswith('./'):
            img_name = img_name[2:]
        if prefix and not img_name.startswith(prefix + '/'):
            img_name = f'{prefix}/{img_name}'
        collector.add(osp.join(root, img_name), text.strip(), loc, line)
    return finish('synthtext', {split: collector}, alphanumeric_min_len)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert cropped SynthText words to MMOCR text recognition JSON.'
    )
    add_common_args(parser, encoding_of='the label file', alphanumeric=True)
    parser.add_argument(
        '--ann-file',
        default='label.txt',
        help='Label file (<image path> <text> per line), relative to the root.',
    )
    parser.add_argument(
        '--img-prefix',
        default=DEFAULT_IMG_PREFIX,
        help='Folder the image paths are relative to, relative to the root; '
        'give "" when they are relative to the root.',
    )
    parser.add_argument('--split', default='train', help='Name of the output split.')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    return convert_synthtext(
        args.root,
        args.out_dir,
        ann_file=args.ann_file,
        img_prefix=args.img_prefix,
        split=args.split,
        alphanumeric_min_len=args.alphanumeric,
        encoding=args.encoding,
        strict=args.strict,
    )


if __name__ == '__main__':
    main()
