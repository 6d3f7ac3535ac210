# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Which checkpoint a tool reads when it is given a training run's work dir.

The tools that read a checkpoint (``tools/test.py``, ``tools/infer.py``,
``tools/model_converters/export_encoder.py`` and ``publish_model.py``) accept either a
checkpoint file or the work dir of the run that wrote it. A work dir stands for its best
validation checkpoint (``best_*.pth``, saved by the recognizer configs by validation CER) or,
where it has none or the tool asks for the last one, the file its ``last_checkpoint`` names.

This replaces ``"$(cat WORK_DIR/last_checkpoint)"`` in shell scripts, which hands the tool an
empty path when the run saved nothing; here the error names the missing file.
"""

import glob
import os.path as osp
from typing import Optional

__all__ = ['last_checkpoint', 'resolve_checkpoint']


def resolve_checkpoint(path: str, prefer_best: bool = True) -> str:
    """The checkpoint file that ``path`` stands for.

    Args:
        path (str): A checkpoint file, a URL (returned as is), or a work dir.
        prefer_best (bool): For a work dir, take its ``best_*.pth`` when there is exactly
            one; otherwise (or when False) the checkpoint its ``last_checkpoint`` names.

    Returns:
        str: The checkpoint path.

    Raises:
        ValueError: ``path`` is empty, or a work dir holds several ``best_*.pth``.
        FileNotFoundError: A work dir without ``last_checkpoint`` (and without a best
            checkpoint when one was preferred), or a ``last_checkpoint`` naming a missing
            file; the message names the file.
    """
    if not path or not path.strip():
        raise ValueError(
            'empty checkpoint path: give a checkpoint file or the work dir of the training '
            'run (a shell "$(cat WORK_DIR/last_checkpoint)" is empty when the run saved none)'
        )
    if not osp.isdir(path):
        return path
    if prefer_best:
        best = sorted(glob.glob(osp.join(path, 'best_*.pth')))
        if len(best) > 1:
            raise ValueError(
                f'{path}: several best checkpoints ({", ".join(map(osp.basename, best))}); '
                'name the one to use'
            )
        if best:
            return best[0]
    checkpoint = last_checkpoint(path)
    if checkpoint is None:
        raise FileNotFoundError(
            f'{osp.join(path, "last_checkpoint")} not found: the training run in {path} saved '
            'no checkpoint (did it fail or stop before its first checkpoint?)'
        )
    return checkpoint


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint that ``<work_dir>/last_checkpoint`` names, or None when the work dir
    has no such file (or an empty one).

    MMEngine writes the path as the run saw it; a work dir moved, or run from another folder,
    still holds the file under the same name beside the pointer, which is then taken.

    Raises:
        FileNotFoundError: ``last_checkpoint`` names a file that exists in neither place.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer, encoding='utf-8') as f:
        checkpoint = f.read().strip()
    if not checkpoint:
        return None
    if not osp.isfile(checkpoint):
        beside = osp.join(work_dir, osp.basename(checkpoint))
        if not osp.isfile(beside):
            raise FileNotFoundError(
                f'{pointer} names {checkpoint!r}, which does not exist (was the work dir '
                'moved? name the checkpoint to use)'
            )
        checkpoint = beside
    return checkpoint
