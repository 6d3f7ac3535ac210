# Copyright (c) OpenMMLab. All rights reserved.
"""Shared helpers of the text recognition dataset converters.

Every converter turns an official dataset release into MMOCR 1.x text
recognition annotation files (``textrecog_<split>.json``), the format read by
:class:`mmocr.datasets.OCRDataset`:

.. code-block:: none

    {"metainfo": {"dataset_type": "TextRecogDataset",
                  "task_name": "textrecog"},
     "data_list": [{"img_path": "words/a01/a01-000u/a01-000u-00-00.png",
                    "instances": [{"text": "A"}]}]}

``img_path`` is relative to the output directory, which is the data root of
the dataset config. The default output directory is the official root, so the
images are used in place and nothing is copied.

Records that are not written are never dropped silently: each
:class:`SplitCollector` counts them by reason and keeps the first few
malformed records and missing images for the printed summary.
"""

import argparse
import json
import logging
import os
import os.path as osp
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import mmengine
from mmengine.logging import print_log
from mmengine.utils import ProgressBar

TEXTRECOG_METAINFO = dict(dataset_type='TextRecogDataset', task_name='textrecog')
IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')
NUM_EXAMPLES = 5

# Reasons a record is skipped. Anything else is a deliberate filter named by
# the converter (e.g. IAM words flagged ``err``).
MALFORMED = 'malformed'
MISSING_IMAGE = 'missing_image'
EMPTY_IMAGE = 'empty_image'

# C0/C1 control characters other than tab, LF and CR: a text file that
# decodes to one of these was read with the wrong encoding (latin-1 maps the
# cp1252 punctuation bytes 0x80-0x9f to C1 controls).
_CONTROL_CHARS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]')
_ALPHANUMERIC = re.compile('[A-Za-z0-9]+')


@dataclass
class SplitStats:
    """What happened to the records of one split.

    Attributes:
        split (str): Split name, e.g. ``'train'``.
        total (int): Records seen (annotation lines, XML entries or files).
        written (int): Records written to the JSON file.
        skipped (Counter): Skipped records by reason.
        malformed_examples (list[tuple[str, str, str]]): The first
            ``NUM_EXAMPLES`` malformed records as (location, record, reason).
        missing_examples (list[tuple[str, str]]): The first ``NUM_EXAMPLES``
            images that are missing or empty on disk, as (location, path).
        ann_file (str, optional): The JSON file written, if any.
    """

    split: str
    total: int = 0
    written: int = 0
    skipped: Counter = field(default_factory=Counter)
    malformed_examples: List[Tuple[str, str, str]] = field(default_factory=list)
    missing_examples: List[Tuple[str, str]] = field(default_factory=list)
    ann_file: Optional[str] = None

    @property
    def num_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self, dataset: str) -> str:
        """A human readable report of the split."""
        reasons = ', '.join(f'{reason}={count}' for reason, count in sorted(self.skipped.items()))
        lines = [
            f'[{dataset}/{self.split}] total {self.total}, '
            f'written {self.written}, skipped {self.num_skipped}'
            + (f' ({reasons})' if reasons else '')
            + (f' -> {self.ann_file}' if self.ann_file else '')
        ]
        if self.malformed_examples:
            lines.append(
                f'  first {len(self.malformed_examples)} of '
                f'{self.skipped[MALFORMED]} malformed records:'
            )
            lines += [
                f'    {where}: {record!r} ({reason})'
                for where, record, reason in self.malformed_examples
            ]
        if self.missing_examples:
            num_missing = self.skipped[MISSING_IMAGE] + self.skipped[EMPTY_IMAGE]
            lines.append(
                f'  first {len(self.missing_examples)} of {num_missing} missing or empty images:'
            )
            lines += [f'    {path} (named at {where})' for where, path in self.missing_examples]
        return '\n'.join(lines)


class SplitCollector:
    """Collect the samples of one split, check their images, count skips.

    Args:
        split (str): Split name; the JSON file is ``textrecog_<split>.json``.
        out_dir (str): Output data root. ``img_path`` is written relative to
            it.
        strict (bool): Raise on the first malformed record or missing image
            instead of counting and skipping it. Defaults to False.
    """

    def __init__(self, split: str, out_dir: str, strict: bool = False) -> None:
        self.out_dir = out_dir
        self.strict = strict
        self.stats = SplitStats(split)
        # (img_path, text) pairs; tuples rather than MMOCR's nested dicts
        # keep the 7M SynthText samples within a few GB.
        self.samples: List[Tuple[str, str]] = []

    def add(self, img_file: str, text: str, where: str, record: Optional[str] = None) -> bool:
        """Add one sample if its transcription and image are usable.

        Args:
            img_file (str): Path of the image on disk (absolute or relative
                to the working directory).
            text (str): Transcription.
            where (str): Where the record comes from, for the reports, e.g.
                ``'ascii/words.txt:12'``.
            record (str, optional): The raw record, shown if it is
                malformed. Defaults to ``img_file``.

        Returns:
            bool: Whether the sample was added.
        """
        if not text:
            self.malformed(where, img_file if record is None else record, 'empty transcription')
            return False
        if not osp.isfile(img_file):
            self._missing(where, img_file, MISSING_IMAGE)
            return False
        if osp.getsize(img_file) == 0:
            self._missing(where, img_file, EMPTY_IMAGE)
            return False
        self.stats.total += 1
        self.stats.written += 1
        img_path = osp.relpath(img_file, self.out_dir).replace(os.sep, '/')
        self.samples.append((img_path, text))
        return True

    def malformed(self, where: str, record: str, reason: str) -> None:
        """Count a record that cannot be parsed."""
        if self.strict:
            raise ValueError(f'{where}: malformed record ({reason}): {record!r}')
        self.skip(MALFORMED)
        if len(self.stats.malformed_examples) < NUM_EXAMPLES:
            self.stats.malformed_examples.append((where, record, reason))

    def skip(self, reason: str) -> None:
        """Count a record left out on purpose (a filter)."""
        self.stats.total += 1
        self.stats.skipped[reason] += 1

    def _missing(self, where: str, img_file: str, reason: str) -> None:
        if self.strict:
            state = 'does not exist' if reason == MISSING_IMAGE else 'is empty'
            raise FileNotFoundError(f'{img_file} (named at {where}) {state}')
        self.skip(reason)
        if len(self.stats.missing_examples) < NUM_EXAMPLES:
            self.stats.missing_examples.append((where, img_file))

    def dump(self, prefix: str = '') -> str:
        """Write ``<prefix>textrecog_<split>.json`` into ``out_dir``."""
        ann_file = dump_textrecog_json(self.samples, self.out_dir, self.stats.split, prefix)
        self.stats.ann_file = ann_file
        return ann_file


def dump_textrecog_json(
    samples: Iterable[Tuple[str, str]], out_dir: str, split: str, prefix: str = ''
) -> str:
    """Write an MMOCR 1.x text recognition annotation file.

    The file is written one sample at a time, so that no second copy of a
    large dataset is built in memory.

    Args:
        samples (Iterable[tuple[str, str]]): (img_path, text) pairs.
        out_dir (str): Output folder.
        split (str): Split name.
        prefix (str): File name prefix, e.g. ``'alphanumeric_'``.

    Returns:
        str: Path of the file, ``<out_dir>/<prefix>textrecog_<split>.json``.
    """
    mmengine.mkdir_or_exist(out_dir)
    ann_file = osp.join(out_dir, f'{prefix}textrecog_{split}.json')
    with open(ann_file, 'w', encoding='utf-8') as f:
        f.write(f'{{"metainfo": {json.dumps(TEXTRECOG_METAINFO)}, "data_list": [')
        for i, (img_path, text) in enumerate(samples):
            sample = dict(img_path=img_path, instances=[dict(text=text)])
            f.write((', ' if i else '') + json.dumps(sample, ensure_ascii=False))
        f.write(']}\n')
    return ann_file


def is_alphanumeric(text: str, min_len: int = 1) -> bool:
    """Whether ``text`` is only ASCII letters and digits, ``min_len`` long.

    This is the filter behind the usual scene text benchmark subsets (IC13
    1015 words; IC03 860 and IC13 857 words with ``min_len=3``).
    """
    return len(text) >= min_len and _ALPHANUMERIC.fullmatch(text) is not None


def dump_alphanumeric_subset(collector: SplitCollector, min_len: int = 1) -> Tuple[str, int]:
    """Write ``alphanumeric_textrecog_<split>.json`` beside the full split.

    Returns:
        tuple[str, int]: The file written and the number of samples in it.
    """
    subset = [sample for sample in collector.samples if is_alphanumeric(sample[1], min_len)]
    ann_file = dump_textrecog_json(
        subset, collector.out_dir, collector.stats.split, 'alphanumeric_'
    )
    print_log(
        f'[{collector.stats.split}] alphanumeric subset (min length '
        f'{min_len}): {len(subset)} of {len(collector.samples)} samples '
        f'-> {ann_file}',
        logger='current',
    )
    return ann_file, len(subset)


def read_text_lines(path: str, encoding: Optional[str] = None) -> Tuple[List[str], str]:
    """Read a text annotation file, guessing its encoding if not given.

    Without ``encoding``, UTF-8 (a BOM is dropped) is tried first, then
    cp1252, the Windows superset of latin-1 in which older French and
    scene-text ground truths were saved; the fall back is logged. A decoding
    that yields control characters is refused, so a wrong guess cannot
    silently corrupt accented letters.

    Args:
        path (str): The file.
        encoding (str, optional): Codec to use instead of guessing.

    Returns:
        tuple[list[str], str]: The lines without line endings, and the codec
        used.
    """
    with open(path, 'rb') as f:
        raw = f.read()
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as e:
            raise ValueError(f'{path} cannot be decoded as {encoding}: {e}') from e
    else:
        try:
            text, encoding = raw.decode('utf-8'), 'utf-8'
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode('cp1252'), 'cp1252'
            except UnicodeDecodeError as e:
                raise ValueError(
                    f'{path} is neither valid UTF-8 nor latin-1/cp1252 '
                    f'({e}); pass the right --encoding'
                ) from e
            print_log(
                f'{path} is not valid UTF-8: read it as latin-1 (cp1252). '
                'Pass --encoding to choose another codec.',
                logger='current',
            )
    del raw  # halve the peak memory on multi-GB label files
    text = text.lstrip('\ufeff')
    bad = _CONTROL_CHARS.search(text)
    if bad is not None:
        line_no = text.count('\n', 0, bad.start()) + 1
        raise ValueError(
            f'{path}:{line_no}: decoding as {encoding} gives the control '
            f'character {bad.group()!r}; the file is in another encoding, '
            'pass the right --encoding'
        )
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [line.rstrip('\r') for line in lines], encoding


def track(items: Sequence, num_updates: int = 1000) -> Iterator:
    """Iterate ``items`` under an MMEngine progress bar.

    The bar is redrawn about ``num_updates`` times, not once per item, which
    keeps millions of SynthText lines from flooding the terminal.
    """
    total = len(items)
    step = max(1, total // num_updates)
    bar = ProgressBar(total)
    for i, item in enumerate(items, 1):
        yield item
        if i % step == 0 or i == total:
            bar.update(step if i % step == 0 else i % step)
    bar.file.write('\n')


def numbered(lines: Iterable[str], skip_comments: bool = False) -> List[Tuple[int, str]]:
    """1-based line numbers with their lines, blank lines removed.

    Args:
        lines (Iterable[str]): Lines of an annotation file.
        skip_comments (bool): Also remove lines starting with ``#``.
    """
    return [
        (i, line)
        for i, line in enumerate(lines, 1)
        if line.strip() and not (skip_comments and line.startswith('#'))
    ]


def resolve(root: str, path: str) -> str:
    """``path`` if absolute, else ``path`` under ``root``."""
    return path if osp.isabs(path) else osp.join(root, path)


def where(root: str, path: str, line_no: Optional[int] = None) -> str:
    """Location of a record for reports: the file relative to ``root``."""
    rel = osp.relpath(path, root)
    if rel.startswith('..'):
        rel = path
    rel = rel.replace(os.sep, '/')
    return rel if line_no is None else f'{rel}:{line_no}'


def add_common_args(
    parser: argparse.ArgumentParser,
    encoding_of: Optional[str] = None,
    alphanumeric: bool = False,
) -> None:
    """The arguments the converters share: root, ``-o``, ``--strict`` for all; ``--encoding``
    and ``--alphanumeric`` for those that take them.

    Args:
        parser (argparse.ArgumentParser): The converter's parser.
        encoding_of (str, optional): What ``--encoding`` decodes, for its help, e.g.
            ``'the label file'``. Defaults to None: no ``--encoding``.
        alphanumeric (bool): Add ``--alphanumeric [MIN_LEN]`` (see
            :func:`dump_alphanumeric_subset`). Defaults to False.
    """
    parser.add_argument('root', help='Root of the official dataset release.')
    parser.add_argument(
        '-o',
        '--out-dir',
        default=None,
        help='Where to write textrecog_<split>.json; image paths are written '
        'relative to it. Defaults to the dataset root, so images are used '
        'in place.',
    )
    parser.add_argument(
        '--strict',
        action='store_true',
        help='Fail on the first malformed record or missing image instead '
        'of counting and skipping it.',
    )
    if encoding_of is not None:
        parser.add_argument(
            '--encoding',
            default=None,
            help=f'Codec of {encoding_of}, e.g. utf-8, latin-1, cp1252 (default: UTF-8, '
            'falling back to latin-1/cp1252).',
        )
    if alphanumeric:
        parser.add_argument(
            '--alphanumeric',
            nargs='?',
            type=int,
            const=1,
            default=None,
            metavar='MIN_LEN',
            help='Also write alphanumeric_textrecog_<split>.json keeping the '
            'words of ASCII letters and digits at least MIN_LEN (default 1) long.',
        )


def report(dataset: str, stats: Dict[str, SplitStats]) -> None:
    """Print the summary of every split."""
    for split_stats in stats.values():
        print_log(split_stats.summary(dataset), logger='current')


def finish(
    dataset: str, collectors: Dict[str, SplitCollector], alphanumeric_min_len: Optional[int] = None
) -> Dict[str, SplitStats]:
    """Dump every split, print the summaries and return the statistics.

    Args:
        dataset (str): Dataset name used in the reports.
        collectors (dict[str, SplitCollector]): The splits to write.
        alphanumeric_min_len (int, optional): When given, also write the
            alphanumeric subset of each split (see
            :func:`dump_alphanumeric_subset`).
    """
    for collector in collectors.values():
        collector.dump()
        if collector.stats.written == 0:
            print_log(
                f'[{dataset}/{collector.stats.split}] no sample written; '
                'check the paths given to the converter',
                logger='current',
                level=logging.WARNING,
            )
        if alphanumeric_min_len is not None:
            dump_alphanumeric_subset(collector, alphanumeric_min_len)
    stats = {split: c.stats for split, c in collectors.items()}
    report(dataset, stats)
    return stats
