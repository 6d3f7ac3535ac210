"""Checks of every split's annotation file before a run starts, and the evaluation
pipelines' handling of unreadable images.

:func:`check_annotation_entries` reads each annotation file of the train, val and test
loaders once and stats every image it lists: a missing or empty (zero-byte) image, or an
empty ground-truth label in a split whose pipeline reads labels, stops the run before
training, naming the loader, the annotation file and the first bad entries. Without it,
such entries in val or test fail only at the first validation, after training has run
(``cv2.error ... !buf.empty()`` without the file's name). Decoding is left to the
pipeline: an image that exists but does not decode is skipped, named and counted there
(``LoadImageSafe``; in evaluation loaders with ``on_error='placeholder'``, see
:func:`skip_unreadable_eval_images`).
"""

import json
import logging
import os
import os.path as osp
from typing import Iterator, List, Optional, Tuple

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


def _entries(path: str, dataset_cfg: dict) -> List[Tuple[str, Optional[List[str]]]]:
    """(image path as listed, texts or None) of every entry of an annotation file."""
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
            entries.append((entry['img_path'], texts))
        return entries
    if _short_type(dataset_cfg) == 'ImageFolderDataset':
        with open(path, encoding='utf-8') as f:
            return [(line.strip(), None) for line in f if line.strip()]
    return []  # a format this check does not know: the dataset itself reads it


def check_annotation_file(loader: str, dataset_cfg: dict, pipeline: Optional[list]) -> int:
    """Check one dataset's annotation file; return its number of entries."""
    data_root = dataset_cfg.get('data_root') or ''
    ann_file = dataset_cfg['ann_file']
    path = ann_file if osp.isabs(ann_file) else osp.join(data_root, ann_file)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{loader}: annotation file {path} does not exist')
    entries = _entries(path, dataset_cfg)
    if path.endswith('.json') and not entries:
        raise ValueError(
            f'{loader}: annotation file {path} lists no samples '
            '("data_list" is empty): nothing to train or evaluate on'
        )
    prefix = (dataset_cfg.get('data_prefix') or {}).get('img_path', '') or ''
    image_root = osp.join(data_root, prefix)
    check_labels = _reads_labels(pipeline)
    problems = dict(missing=[], empty=[], empty_label=[])
    for img_path, texts in entries:
        full = img_path if osp.isabs(img_path) else osp.join(image_root, img_path)
        try:
            if os.stat(full).st_size == 0:
                problems['empty'].append(full)
        except OSError:
            problems['missing'].append(full)
        if check_labels and (not texts or any(not t for t in texts)):
            problems['empty_label'].append(full)
    if any(problems.values()):
        what = dict(
            missing='missing image(s)',
            empty='empty (zero-byte) image(s)',
            empty_label='empty ground-truth label(s)',
        )
        lines = [
            f'  {len(found)} {what[kind]}: '
            + ', '.join(found[:MAX_LISTED])
            + (', ...' if len(found) > MAX_LISTED else '')
            for kind, found in problems.items()
            if found
        ]
        raise ValueError(
            f'{loader}: annotation file {path} has bad entries '
            f'({len(entries)} entries):\n' + '\n'.join(lines)
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
