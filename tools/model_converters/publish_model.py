# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Make a checkpoint to ship, in the manner of MMOCR's ``tools/model_converters/publish_model.py``.

Only ``state_dict`` and ``meta`` are kept: the optimizer, the parameter schedulers and the
message hub (whose ``HistoryBuffer`` objects stock MMEngine cannot unpickle with torch's
``weights_only=True``) are dropped, and ``meta`` keeps plain values only (str, numbers,
bools, None, and lists and dicts of them). The output therefore loads in stock MMOCR,
without this plug-in. The first 8 hex digits of its sha256 are added to the file name:
``out.pth`` becomes ``out-<sha256[:8]>.pth``; that final path is the one line printed on
standard output (the summary goes to standard error), so a script can capture it. The input
may be a training run's work dir, which stands for its best validation checkpoint (else its
last one).

Example::

    python tools/model_converters/publish_model.py work_dirs/ft/iter_500.pth \\
        work_dirs/ft/my_recognizer.pth
    PUBLISHED=$(python tools/model_converters/publish_model.py work_dirs/ft \\
        work_dirs/ft/my_recognizer.pth)
"""

import argparse
import hashlib
import os
import os.path as osp
import sys
from collections import OrderedDict
from typing import Any, Dict

import torch
from mmengine.runner import CheckpointLoader

from seqclr_mmocr.engine.hooks.pretrained_encoder_check_hook import checkpoint_state_dict
from seqclr_mmocr.utils.log_streams import log_to_stderr
from seqclr_mmocr.utils.work_dir_checkpoint import resolve_checkpoint

PLAIN_SCALARS = (str, int, float, bool, type(None))


# Returned by plain() for a value that is not plain (None is plain).
DROPPED = object()


def plain(value: Any) -> Any:
    """``value`` with everything but plain scalars, lists and str-keyed dicts removed,
    or ``DROPPED`` when it is not plain at all (numpy scalars become Python ones)."""
    if hasattr(value, 'item') and getattr(value, 'ndim', None) == 0:
        value = value.item()
    if isinstance(value, PLAIN_SCALARS):
        return value
    if isinstance(value, (list, tuple)):
        return [v for v in map(plain, value) if v is not DROPPED]
    if isinstance(value, dict):
        items = {k: plain(v) for k, v in value.items() if isinstance(k, str)}
        return {k: v for k, v in items.items() if v is not DROPPED}
    return DROPPED


def publish_model(src: str, dst: str) -> str:
    """Write the shippable version of ``src`` and return its final path.

    Args:
        src (str): An MMEngine checkpoint (or a raw state dict), or a training run's work
            dir (its best validation checkpoint, else its last one).
        dst (str): Output path ending in ``.pth``; the sha256 prefix is added before it.

    Returns:
        str: The path written, ``<dst without .pth>-<sha256[:8]>.pth``.
    """
    if not dst.endswith('.pth'):
        raise ValueError(f'{dst}: the output file name must end with .pth')
    src = resolve_checkpoint(src)
    checkpoint = CheckpointLoader.load_checkpoint(src, map_location='cpu')
    state_dict = checkpoint_state_dict(checkpoint, src)
    tensors = OrderedDict(
        (k, v.detach().cpu()) for k, v in state_dict.items() if isinstance(v, torch.Tensor)
    )
    meta = plain(checkpoint.get('meta') or {}) if 'state_dict' in checkpoint else {}
    if osp.dirname(dst):
        os.makedirs(osp.dirname(dst), exist_ok=True)
    torch.save(dict(state_dict=tensors, meta=meta if isinstance(meta, dict) else {}), dst)
    with open(dst, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    final = f'{dst[: -len(".pth")]}-{sha[:8]}.pth'
    os.replace(dst, final)
    return final


def summary(src: str, final: str) -> Dict[str, Any]:
    return dict(
        source=src,
        output=final,
        source_mb=osp.getsize(src) / 2**20,
        output_mb=osp.getsize(final) / 2**20,
    )


def parse_args():
    parser = argparse.ArgumentParser(
        description='Keep state_dict and meta of a checkpoint and add a sha256 suffix'
    )
    parser.add_argument(
        'in_file', help='input checkpoint, or a work dir (its best checkpoint, else its last)'
    )
    parser.add_argument('out_file', help='output checkpoint (.pth)')
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        source = resolve_checkpoint(args.in_file)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f'ERROR: {error}')
    with log_to_stderr():
        final = publish_model(source, args.out_file)
    info = summary(source, final)
    print(
        f'Published {info["source"]} ({info["source_mb"]:.1f} MB) as '
        f'{info["output"]} ({info["output_mb"]:.1f} MB)',
        file=sys.stderr,
    )
    print(final)


if __name__ == '__main__':
    main()
