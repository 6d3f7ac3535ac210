"""Checks of every split's annotation file before a run starts, and the evaluation
pipelines' handling of unreadable images.

:func:`check_annotation_entries` reads each annotation file of the train, val and test
loaders once (MMOCR JSON files, and the plain-text or JSON-lines files of
``RecogTextDataset``, parsed with the dataset's own parser) and stats every image it lists.
A missing or empty (zero-byte) image, an empty ground-truth label or a ``path``-only line
in a split whose pipeline reads labels, or a line the parser cannot read (a blank one, say),
stops the run before training, naming the loader, the annotation file and the first bad
entries with their line (or JSON entry) numbers. Without it, such entries fail only when
the dataset is built (``ValueError: key index: 1 out of range`` without the file or line)
or at the first validation, after training has run (``cv2.error ... !buf.empty()``).
Where the pipeline skips empty labels (training with ``CheckTextInDictionary``'s
``on_empty='skip'``) they are counted in a warning and let through, ``path``-only lines
included. Decoding is left to the pipeline: an image that exists but does not decode is
skipped, named and counted there (``LoadImageSafe``; in evaluation loaders with
``on_error='placeholder'``, see :func:`skip_unreadable_eval_images`).
"""

import json
import logging
import os
import os.path as osp
from typing import Iterator, List, NamedTuple, Optional, Tuple

from mmengine.logging import print_log

MAX_LISTED = 5
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
LOADING_TYPES = ('LoadImageFromFile', 'LoadImageSafe')
# LoadImageFromFile arguments that LoadImageSafe sets itself or does not take.
_DROPPED_LOADING_ARGS = ('ignore_empty', 'file_client_args')


def _short_type(transform) -> str:
    type_ = transform.get('type', '') if isinstance(transform, dict) else ''
    return type_.split('.')[-1] if isinstance(type_, str) else getattr(type_, '__name__', '')


def _datasets(dataset_cfg, pipeline=None) -> Iterator[Tuple[dict, Optional[list]]]:
    """(dataset config with an ``ann_file`` or an image folder, the pipeline it runs)."""
    if isinstance(dataset_cfg, (list, tuple)):
        for item in dataset_cfg:
            yield from _datasets(item, pipeline)
        return
    if not isinstance(dataset_cfg, dict):
        return
    pipeline = dataset_cfg.get('pipeline') or pipeline
    if dataset_cfg.get('ann_file'):
        yield dataset_cfg, pipeline
    for key in ('dataset', 'datasets'):
        if key in dataset_cfg:
            yield from _datasets(dataset_cfg[key], pipeline)


def _reads_labels(pipeline: Optional[list]) -> bool:
    """Whether the pipeline loads texts and does not skip or keep empty ones itself."""
    transforms = [t for t in pipeline or [] if isinstance(t, dict)]
    loads_text = any(
        _short_type(t) == 'LoadOCRAnnotations' and t.get('with_text', False) for t in transforms
    )
    handles_empty = any(
        _short_type(t) == 'CheckTextInDictionary' and t.get('on_empty', 'error') != 'error'
        for t in transforms
    )
    return loads_text and not handles_empty


class Entry(NamedTuple):
    """One entry of an annotation file."""

    img_path: str  # as listed ('' for a line that names no image)
    texts: Optional[List[str]]  # None where the file gives no texts (image lists)
    where: str  # 'line 3' (text files) or 'entry 2' (JSON data_list)
    problem: Optional[str] = None  # a line the dataset's parser cannot read: PARSE_PROBLEMS


# Lines that MMOCR's text parsers refuse, stopping the dataset build without naming the line.
PARSE_PROBLEMS = dict(
    blank='blank line(s) (delete them)',
    no_label='line(s) with an image path and no label (add the label after the path, or '
    'delete the line)',
    unreadable='unreadable line(s)',
)
# RecogTextDataset's default parser.
DEFAULT_TEXT_PARSER = dict(type='LineJsonParser', keys=['filename', 'text'])
LABEL_OPTIONAL_PARSER = 'LabelOptionalLineStrParser'


def _text_parser_cfg(dataset_cfg: dict) -> Optional[dict]:
    """The line parser config of a ``RecogTextDataset`` (text or JSON-lines file)."""
    if _short_type(dataset_cfg) != 'RecogTextDataset':
        return None
    return dataset_cfg.get('parser_cfg') or DEFAULT_TEXT_PARSER


def _text_file_entries(path: str, parser_cfg: dict) -> List[Entry]:
    """Every line of a ``RecogTextDataset`` annotation file, parsed by the dataset's own
    parser so that what fails here is what would fail in the dataset."""
    from mmengine.registry import DefaultScope
    from mmocr.registry import TASK_UTILS

    with DefaultScope.overwrite_default_scope('mmocr'):
        parser = TASK_UTILS.build(dict(parser_cfg))
    entries = []
    with open(path, encoding='utf-8') as f:
        # Lines as MMEngine's list_from_file (which RecogTextDataset reads with) splits them.
        lines = [line.rstrip('\n\r') for line in f]
    for number, line in enumerate(lines, start=1):
        where = f'line {number}'
        if not line.strip():
            entries.append(Entry('', None, where, 'blank'))
            continue
        try:
            parsed = parser(line)
            entries.append(Entry(parsed[parser.keys[0]], [parsed[parser.keys[1]]], where))
        except Exception as err:  # the parser's own errors: ValueError, KeyError, JSON's
            fields = line.strip().split(getattr(parser, 'separator', ' '))
            if _short_type(parser_cfg) == 'LineStrParser' and len(fields) == 1:
                entries.append(Entry(fields[0], None, where, 'no_label'))
            else:
                entries.append(
                    Entry('', None, f'{where} ({type(err).__name__}: {err})', 'unreadable')
                )
    return entries


def _entries(path: str, dataset_cfg: dict) -> List[Entry]:
    """Every entry of an annotation file."""
    if path.endswith('.json'):
        with open(path, encoding='utf-8') as f:
            try:
                data_list = json.load(f).get('data_list')
            except (json.JSONDecodeError, AttributeError) as err:
                raise ValueError(
                    f'annotation file {path} is not an MMOCR JSON annotation file: {err}'
                ) from err
        entries = []
        for index, entry in enumerate(data_list or []):
            if not isinstance(entry, dict) or 'img_path' not in entry:
                raise ValueError(f'annotation file {path}: entry {index} has no "img_path"')
            instances = entry.get('instances')
            texts = (
                None
                if instances is None
                else [inst.get('text') for inst in instances if isinstance(inst, dict)]
            )
            entries.append(Entry(entry['img_path'], texts, f'entry {index}'))
        return entries
    parser_cfg = _text_parser_cfg(dataset_cfg)
    if parser_cfg is not None:
        return _text_file_entries(path, parser_cfg)
    if _short_type(dataset_cfg) == 'ImageFolderDataset':
        with open(path, encoding='utf-8') as f:
            return [
                Entry(line.strip(), None, f'line {number}')
                for number, line in enumerate(f, start=1)
                if line.strip()
            ]
    return []  # a format this check does not know: the dataset itself reads it


def _empty_label_policy(pipeline: Optional[list]) -> Optional[str]:
    """``on_empty`` of the pipeline's ``CheckTextInDictionary``, if it has one."""
    for transform in pipeline or []:
        if isinstance(transform, dict) and _short_type(transform) == 'CheckTextInDictionary':
            return transform.get('on_empty', 'error')
    return None


def _listed(found: List[str]) -> str:
    return ', '.join(found[:MAX_LISTED]) + (', ...' if len(found) > MAX_LISTED else '')


def check_annotation_file(loader: str, dataset_cfg: dict, pipeline: Optional[list]) -> int:
    """Check one dataset's annotation file; return its number of entries.

    In a split whose pipeline skips empty labels (or reads none), lines of a plain-text
    file with an image path and no label are let through as empty labels: the dataset's
    ``LineStrParser`` becomes :class:`~seqclr_mmocr.datasets.LabelOptionalLineStrParser`
    (``dataset_cfg`` is changed in place), and a warning gives their number and lines.
    """
    data_root = dataset_cfg.get('data_root') or ''
    ann_file = dataset_cfg['ann_file']
    path = ann_file if osp.isabs(ann_file) else osp.join(data_root, ann_file)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{loader}: annotation file {path} does not exist')
    entries = _entries(path, dataset_cfg)
    parser_cfg = _text_parser_cfg(dataset_cfg)
    if (path.endswith('.json') or parser_cfg is not None) and not entries:
        detail = ' ("data_list" is empty)' if path.endswith('.json') else ''
        raise ValueError(
            f'{loader}: annotation file {path} lists no samples{detail}: '
            'nothing to train or evaluate on'
        )
    prefix = (dataset_cfg.get('data_prefix') or {}).get('img_path', '') or ''
    image_root = osp.join(data_root, prefix)
    check_labels = _reads_labels(pipeline)
    problems = {kind: [] for kind in ('missing', 'empty', 'empty_label', *PARSE_PROBLEMS)}
    let_through = []  # empty or no labels that the pipeline skips or does not read
    labelled_format = path.endswith('.json') or parser_cfg is not None
    for entry in entries:
        if entry.problem in ('blank', 'unreadable'):
            problems[entry.problem].append(entry.where)
            continue
        full = entry.img_path if osp.isabs(entry.img_path) else osp.join(image_root, entry.img_path)
        named = f'{full} ({entry.where})'
        try:
            if os.stat(full).st_size == 0:
                problems['empty'].append(named)
        except OSError:
            problems['missing'].append(named)
        empty_label = labelled_format and (not entry.texts or any(not t for t in entry.texts))
        if entry.problem == 'no_label':
            (problems['no_label'] if check_labels else let_through).append(named)
        elif empty_label:
            (problems['empty_label'] if check_labels else let_through).append(named)
    if any(problems.values()):
        what = dict(
            missing='missing image(s)',
            empty='empty (zero-byte) image(s)',
            empty_label='empty ground-truth label(s)',
            **PARSE_PROBLEMS,
        )
        lines = [
            f'  {len(found)} {what[kind]}: {_listed(found)}'
            for kind, found in problems.items()
            if found
        ]
        raise ValueError(
            f'{loader}: annotation file {path} has bad entries '
            f'({len(entries)} entries):\n' + '\n'.join(lines)
        )
    no_label = [e for e in entries if e.problem == 'no_label']
    if no_label and _short_type(parser_cfg) == 'LineStrParser':
        dataset_cfg['parser_cfg'] = dict(parser_cfg, type=LABEL_OPTIONAL_PARSER)
    policy = _empty_label_policy(pipeline)
    if let_through and policy is not None:
        action = 'skipped' if policy == 'skip' else 'kept'
        print_log(
            f'{loader}: annotation file {path}: {len(let_through)} of {len(entries)} '
            f'entries have an empty label or none; they will be {action} '
            f"(CheckTextInDictionary on_empty='{policy}'): {_listed(let_through)}",
            logger='current',
            level=logging.WARNING,
        )
    return len(entries)


def check_annotation_entries(cfg, loaders=LOADERS, optional=('test_dataloader',)) -> int:
    """Check every annotation file of ``loaders`` before a run; return the entries checked.

    A missing annotation file of a loader in ``optional`` (the test set may live
    elsewhere at training time) is only reported.
    """
    total = 0
    for loader in loaders:
        loader_cfg = cfg.get(loader)
        if not loader_cfg:
            continue
        for dataset_cfg, pipeline in _datasets(loader_cfg.get('dataset')):
            try:
                total += check_annotation_file(loader, dataset_cfg, pipeline)
            except FileNotFoundError as err:
                if loader not in optional or 'annotation file' not in str(err):
                    raise
                print_log(f'{err}; not checked', logger='current', level=logging.WARNING)
    return total


def skip_unreadable_eval_images(cfg, loaders=('val_dataloader', 'test_dataloader')) -> None:
    """Make the image loading of the evaluation pipelines ``LoadImageSafe`` with
    ``on_error='placeholder'``: an image that cannot be read is then skipped, named and
    counted, and left out of the metrics (which report it), instead of stopping the run."""
    for loader in loaders:
        loader_cfg = cfg.get(loader)
        if not loader_cfg:
            continue
        for pipeline in _pipelines(loader_cfg.get('dataset')):
            for transform in pipeline:
                if _short_type(transform) in LOADING_TYPES:
                    for key in _DROPPED_LOADING_ARGS:
                        transform.pop(key, None)
                    transform['type'] = 'mmocr.LoadImageSafe'
                    transform['on_error'] = 'placeholder'


def _pipelines(dataset_cfg) -> Iterator[list]:
    if isinstance(dataset_cfg, (list, tuple)):
        for item in dataset_cfg:
            yield from _pipelines(item)
    elif isinstance(dataset_cfg, dict):
        if isinstance(dataset_cfg.get('pipeline'), (list, tuple)):
            yield dataset_cfg['pipeline']
        for key in ('dataset', 'datasets'):
            if key in dataset_cfg:
                yield from _pipelines(dataset_cfg[key])
