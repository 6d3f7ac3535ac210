# Copyright (c) OpenMMLab. All rights reserved.
"""Convert the IAM handwriting words to MMOCR text recognition JSON.

Expected layout (the official release)::

    <root>/ascii/words.txt
    <root>/words/a01/a01-000u/a01-000u-00-00.png
    <split-dir>/trainset.txt validationset1.txt validationset2.txt testset.txt

``words.txt`` lines read ``a01-000u-00-00 ok 154 408 768 27 51 AT A``: word
id, segmentation result (``ok`` or ``err``), graylevel, bounding box x y w h,
grammatical tag, then the transcription. The split files list line ids
(``a01-000u-00``, the official writer independent partition) or form ids
(``a01-000u``, e.g. the RWTH Aachen ``*.uttlist`` files); a word goes to the
split of its line, or else of its form.

Example::

    python tools/dataset_converters/iam_converter.py data/iam \
        --split-dir data/iam/splits
"""

import argparse
import os.path as osp
from typing import Dict, List, Optional, Sequence

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

# Default split files, tried in order: the official partition, then the
# RWTH Aachen one. Every existing file of the first complete group is used.
DEFAULT_SPLIT_FILES = {
    'train': [['trainset.txt'], ['train.uttlist']],
    'val': [['validationset1.txt', 'validationset2.txt'], ['validation.uttlist']],
    'test': [['testset.txt'], ['test.uttlist']],
}
NUM_FIELDS = 9  # id, flag, graylevel, x, y, w, h, tag, transcription
ERR_SEGMENTATION = 'err_segmentation'
NOT_IN_SPLIT = 'not_in_split'
UNASSIGNED = 'unassigned'


def load_partition(
    split_dir: str, split_files: Optional[Dict[str, List[str]]] = None
) -> Dict[str, str]:
    """Map line ids and form ids to split names.

    Args:
        split_dir (str): Folder of the partition files.
        split_files (dict[str, list[str]], optional): File names per split,
            relative to ``split_dir``. Defaults to the first existing group
            of :data:`DEFAULT_SPLIT_FILES` per split; a split without any is
            left out with a note.

    Returns:
        dict[str, str]: Line id or form id to split.
    """
    if split_files is None:
        split_files = {}
        for split, groups in DEFAULT_SPLIT_FILES.items():
            for names in groups:
                if all(osp.isfile(osp.join(split_dir, n)) for n in names):
                    split_files[split] = names
                    break
            else:
                print_log(
                    f'no {split} partition file in {split_dir} (looked for '
                    f'{groups}): the {split} split is not written',
                    logger='current',
                )
    if not split_files:
        raise FileNotFoundError(f'no IAM partition file found in {split_dir}')

    id_to_split: Dict[str, str] = {}
    id_to_file: Dict[str, str] = {}
    for split, names in split_files.items():
        for name in names:
            path = osp.join(split_dir, name)
            if not osp.isfile(path):
                raise FileNotFoundError(f'IAM partition file {path} not found')
            lines, _ = read_text_lines(path)
            for line_no, line in numbered(lines, skip_comments=True):
                entry = line.strip()
                if len(entry.split('-')) not in (2, 3) or ' ' in entry:
                    raise ValueError(
                        f'{path}:{line_no}: {entry!r} is neither a form id '
                        '(a01-000u) nor a line id (a01-000u-00)'
                    )
                if id_to_split.get(entry, split) != split:
                    raise ValueError(
                        f'{entry} is in both {id_to_file[entry]} '
                        f'({id_to_split[entry]}) and {path} ({split})'
                    )
                id_to_split[entry] = split
                id_to_file[entry] = path
    return id_to_split


def convert_iam(
    root: str,
    out_dir: Optional[str] = None,
    split_dir: Optional[str] = None,
    split_files: Optional[Dict[str, List[str]]] = None,
    ann_file: str = 'ascii/words.txt',
    img_dir: str = 'words',
    keep_err: bool = False,
    strict: bool = False,
) -> Dict[str, SplitStats]:
    """Convert the IAM words.

    Args:
        root (str): IAM root.
        out_dir (str, optional): Output data root. Defaults to ``root``.
        split_dir (str, optional): Folder of the partition files. Without
            it, every word goes to the ``all`` split.
        split_files (dict[str, list[str]], optional): See
            :func:`load_partition`.
        ann_file (str): ``words.txt``, relative to ``root``.
        img_dir (str): Word image folder, relative to ``root``.
        keep_err (bool): Keep words whose segmentation is flagged ``err``.
            Defaults to False: they are counted as ``err_segmentation``.
        strict (bool): Fail on malformed lines or missing images.

    Returns:
        dict[str, SplitStats]: Statistics per split. Words outside every
        split, and malformed lines without a usable word id, are counted
        in the extra ``unassigned`` entry, which is not written.
    """
    out_dir = root if out_dir is None else out_dir
    ann_path = resolve(root, ann_file)
    if split_dir is None:
        id_to_split = None
        splits = ['all']
        print_log('no --split-dir: every word goes to textrecog_all.json', logger='current')
    else:
        id_to_split = load_partition(split_dir, split_files)
        splits = [s for s in ('train', 'val', 'test') if s in set(id_to_split.values())]
        splits += sorted(set(id_to_split.values()) - set(splits))
    collectors = {s: SplitCollector(s, out_dir, strict) for s in splits}
    unassigned = SplitCollector(UNASSIGNED, out_dir, strict)

    lines, _ = read_text_lines(ann_path)
    for line_no, line in track(numbered(lines, skip_comments=True)):
        loc = where(root, ann_path, line_no)
        fields = line.split()
        word_id = fields[0]
        id_parts = word_id.split('-')
        if id_to_split is None:
            collector = collectors['all']
        else:
            split = id_to_split.get('-'.join(id_parts[:3]), id_to_split.get('-'.join(id_parts[:2])))
            collector = unassigned if split is None else collectors[split]
        if len(id_parts) != 4:
            collector.malformed(loc, line, 'word id is not like a01-000u-00-00')
            continue
        if len(fields) < NUM_FIELDS:
            collector.malformed(loc, line, f'{len(fields)} fields, expected at least {NUM_FIELDS}')
            continue
        flag = fields[1]
        if flag not in ('ok', 'err'):
            collector.malformed(loc, line, f'segmentation flag {flag!r} is neither ok nor err')
            continue
        try:
            [int(v) for v in fields[2:7]]
        except ValueError:
            collector.malformed(loc, line, 'graylevel or box is not an integer')
            continue
        if collector is unassigned:
            unassigned.skip(NOT_IN_SPLIT)
            continue
        if flag == 'err' and not keep_err:
            collector.skip(ERR_SEGMENTATION)
            continue
        form_id = '-'.join(id_parts[:2])
        img_file = osp.join(root, img_dir, id_parts[0], form_id, f'{word_id}.png')
        collector.add(img_file, ' '.join(fields[NUM_FIELDS - 1 :]), loc, line)

    stats = finish('iam', collectors)
    if unassigned.stats.total:
        print_log(unassigned.stats.summary('iam'), logger='current')
        stats[UNASSIGNED] = unassigned.stats
    return stats


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert IAM words to MMOCR text recognition JSON.'
    )
    add_common_args(parser)
    parser.add_argument(
        '--split-dir',
        help='Folder of the partition files, relative to the working '
        'directory (trainset.txt, '
        'validationset1.txt, validationset2.txt, testset.txt, or the '
        'Aachen train/validation/test.uttlist). Without it every word goes '
        'to textrecog_all.json.',
    )
    for split in ('train', 'val', 'test'):
        parser.add_argument(
            f'--{split}-files',
            nargs='+',
            metavar='NAME',
            help=f'Partition files of the {split} split, relative to '
            '--split-dir (overrides the defaults; give all three splits).',
        )
    parser.add_argument(
        '--ann-file', default='ascii/words.txt', help='words.txt, relative to the root.'
    )
    parser.add_argument('--img-dir', default='words', help='Word image folder.')
    parser.add_argument(
        '--keep-err', action='store_true', help='Keep words whose segmentation is flagged err.'
    )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, SplitStats]:
    args = parse_args(argv)
    split_files = {
        split: getattr(args, f'{split}_files')
        for split in ('train', 'val', 'test')
        if getattr(args, f'{split}_files')
    } or None
    if split_files and args.split_dir is None:
        raise ValueError('--train/val/test-files need --split-dir')
    return convert_iam(
        args.root,
        args.out_dir,
        split_dir=args.split_dir,
        split_files=split_files,
        ann_file=args.ann_file,
        img_dir=args.img_dir,
        keep_err=args.keep_err,
        strict=args.strict,
    )


if __name__ == '__main__':
    main()
