# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Export the encoder of a SeqCLR/SimCLR pretraining checkpoint as a standalone checkpoint.

The pretraining model names its submodules ``preprocessor``, ``backbone`` and ``encoder``
exactly like MMOCR's ``EncoderDecoderRecognizer``, so the exported keys load unchanged into
a recognizer (``load_from=...`` or ``init_cfg=dict(type='Pretrained', checkpoint=...)``);
the pretraining-only keys (``head.``, ``loss_module.``, ``data_preprocessor.``) are dropped.
The output holds plain tensors only and loads with ``torch.load(..., weights_only=True)``.

The source may also be the pretraining's work dir, which stands for the checkpoint its
``last_checkpoint`` names (an error names that file when the run saved none).

Example::

    python tools/model_converters/export_encoder.py \
        work_dirs/seqclr/iter_200000.pth work_dirs/seqclr/encoder.pth \
        --prefixes preprocessor. backbone. encoder.
    python tools/model_converters/export_encoder.py work_dirs/seqclr work_dirs/seqclr/encoder.pth
"""

import argparse
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, Sequence

import torch
from mmengine.logging import print_log
from mmengine.runner import CheckpointLoader

from seqclr_mmocr.engine.hooks.pretrained_encoder_check_hook import (
    ENCODER_PREFIXES,
    checkpoint_state_dict,
    normalize_prefixes,
)
from seqclr_mmocr.utils.work_dir_checkpoint import resolve_checkpoint

META_SCALARS = (str, int, float, bool)


def export_encoder(src: str, dst: str, prefixes: Sequence[str] = ENCODER_PREFIXES) -> Dict:
    """Write the tensors of ``src`` whose keys start with one of ``prefixes`` to ``dst``.

    Args:
        src (str): Pretraining checkpoint (MMEngine's, or a raw state dict), or the
            pretraining's work dir (its last checkpoint).
        dst (str): Output path; its folder is created if needed.
        prefixes (Sequence[str]): Key prefixes to keep. Defaults to
            ``('preprocessor.', 'backbone.', 'encoder.')``.

    Returns:
        dict: ``source``, ``output``, ``prefixes``, ``per_prefix`` (kept keys per prefix),
        ``kept_keys``, ``dropped_keys`` (outside the prefixes) and ``non_tensor_keys``
        (inside the prefixes but not tensors, hence dropped).
    """
    prefixes = normalize_prefixes(prefixes)
    src = resolve_checkpoint(src, prefer_best=False)
    checkpoint = CheckpointLoader.load_checkpoint(src, map_location='cpu')
    state_dict = checkpoint_state_dict(checkpoint, src)

    exported = OrderedDict()
    dropped_keys, non_tensor_keys = [], []
    for key, value in state_dict.items():
        if not key.startswith(prefixes):
            dropped_keys.append(key)
        elif not isinstance(value, torch.Tensor):
            non_tensor_keys.append(key)
        else:
            exported[key] = value.detach().cpu().clone()
    if not exported:
        raise ValueError(
            f'{src}: no tensor key starts with any of {list(prefixes)}; its keys start with '
            f'{sorted({k.split(".")[0] + "." for k in state_dict})}. Pass --prefixes.'
        )

    source_meta = checkpoint.get('meta', None) if 'state_dict' in checkpoint else None
    meta = dict(
        source=osp.abspath(src),
        prefixes=list(prefixes),
        num_keys=len(exported),
        source_meta={k: v for k, v in (source_meta or {}).items() if isinstance(v, META_SCALARS)},
    )
    if osp.dirname(dst):
        os.makedirs(osp.dirname(dst), exist_ok=True)
    torch.save(dict(state_dict=exported, meta=meta), dst)

    return dict(
        source=src,
        output=dst,
        prefixes=list(prefixes),
        per_prefix={p: sum(k.startswith(p) for k in exported) for p in prefixes},
        kept_keys=list(exported),
        dropped_keys=dropped_keys,
        non_tensor_keys=non_tensor_keys,
    )


def format_export_report(report: Dict) -> str:
    """A readable summary of :func:`export_encoder`'s report."""
    lines = [
        f'Exported {len(report["kept_keys"])} tensors from {report["source"]} '
        f'to {report["output"]}:'
    ]
    lines += [f'  {prefix}*: {count} keys' for prefix, count in report['per_prefix'].items()]
    lines.append(f'  dropped (outside the prefixes): {len(report["dropped_keys"])} keys')
    lines += [f'    {key}' for key in report['dropped_keys']]
    if report['non_tensor_keys']:
        lines.append(f'  dropped (not tensors): {len(report["non_tensor_keys"])} keys')
        lines += [f'    {key}' for key in report['non_tensor_keys']]
    return '\n'.join(lines)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Export the encoder of a pretraining checkpoint as a standalone one'
    )
    parser.add_argument(
        'src', help='pretraining checkpoint (e.g. iter_200000.pth), or its work dir (last one)'
    )
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument(
        '--prefixes',
        nargs='+',
        default=list(ENCODER_PREFIXES),
        help='state-dict key prefixes to keep (default: %(default)s)',
    )
    return parser.parse_args()


def main():
    args = parse_args()
    try:
        src = resolve_checkpoint(args.src, prefer_best=False)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f'ERROR: {error}')
    report = export_encoder(src, args.dst, args.prefixes)
    print_log(format_export_report(report), logger='current')


if __name__ == '__main__':
    main()
