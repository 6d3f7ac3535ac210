# Copyright (c) OpenMMLab. All rights reserved.
"""Convert the CVL database words to MMOCR text recognition JSON.

Expected layout (the official ``cvl-database-1-1`` release)::

    <root>/trainset/words/<writer>/<writer>-<page>-<line>-<word>-<text>.tif
    <root>/testset/words/<writer>/...

for example ``trainset/words/0001/0001-1-0-0-Imagine.tif``. The transcription
is the file name after the fourth dash. ``trainset`` and ``testset`` are
writer independent by design and become the ``train`` and ``test`` splits.
The root may also be the folder that contains ``cvl-database-1-1``.

Example::

    python tools/dataset_converters/cvl_converter.py data/cvl
"""

import argparse
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from _common import (
    IMG_EXTENSIONS,
    SplitCollector,
    SplitStats,
    add_common_args,
    finish,
    track,
    where,
)
from mmengine.logging import print_log

SPLIT_DIRS = {'train': 'trainset', 'test': 'testset'}
NON_IMAGE = 'non_image_file'


def find_release_dir(root: str) -> str:
    """The folder holding ``trainset``/``testset``: ``root`` or
    ``root/cvl-database-1-1``."""
    for candidate in (root, osp.join(root, 'cvl-database-1-1')):
        if any(osp.isdir(osp.join(candidate, d, 'words')) for d in SPLIT_DIRS.values()):
            return candidate
    raise FileNotFoundError(
        f'no trainset/words or testset/words under {root} or {osp.join(root, "cvl-database-1-1")}'
    )


def list_files(folder: str) -> List[str]:
    """Every file under ``folder``, sorted, as paths relative to it."""
    files = []
    for dir_path, dir_names, file_names in os.walk(folder):
        dir_names.sort()
        files += [osp.relpath(osp.join(dir_path, name), folder) for name in sorted(file_names)]
    return files


def convert_cvl(
    root: str, out_dir: Optional[str] = None, strict: bool = False
) -> Dict[str, SplitStats]:
    """Convert the CVL words.

    Args:
        root (str): ``cvl-database-1-1`` or the folder that contains it.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        strict (bool): Fail on malformed file names.

    Returns:
        dict[str, SplitStats]: Statistics per split. Files that are not
        images (e.g. ``Thumbs.db``) are counted as ``non_image_file``.
    """
    out_dir = root if out_dir is None else out_dir
    release_dir = find_release_dir(root)
    collectors = {}
    for split, split_dir in SPLIT_DIRS.items():
        words_dir = osp.join(release_dir, split_dir, 'words')
        if not osp.isdir(words_dir):
            print_log(f'{words_dir} not found: the {split} split is not written', logger='current')
            continue
        collector = collectors[split] = SplitCollector(split, out_dir, strict)
        for rel_file in track(list_files(words_dir)):
            img_file = osp.join(words_dir, rel_file)
            loc = where(root, img_file)
            stem, ext = osp.splitext(osp.basename(rel_file))
            if ext.lower() not in IMG_EXTENSIONS:
                collector.skip(NON_IMAGE)
                continue
            parts = stem.split('-', 4)
            writer = osp.basename(osp.dirname(rel_file))
            if len(parts) < 5:
                collector.malformed(
                    loc,
                    osp.basename(rel_file),
                    'file name is not <writer>-<page>-<line>-<word>-<text>',
                )
            elif not all(p.isdigit() for p in parts[:4]):
                collector.malformed(
                    loc, osp.basename(rel_file), 'writer, page, line or word is not a number'
                )
            elif parts[0] != writer:
                collector.malformed(
                    loc, osp.basename(rel_file), f'writer {parts[0]} is not its folder {writer}'
                )
            else:
                collector.add(img_file, parts[4], loc, osp.basename(rel_file))
    return finish('cvl', collectors)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert CVL words to MMOCR text recognition JSON.'
    )
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    return convert_cvl(args.root, args.out_dir, strict=args.strict)


if __name__ == '__main__':
    main()
