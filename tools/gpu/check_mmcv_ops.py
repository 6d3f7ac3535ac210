"""Which of mmcv's compiled ops a SeqCLR pretraining iteration calls (expected: none).

Usage::

    python tools/gpu/check_mmcv_ops.py [CONFIG] [--device cuda] [--batch-size 8] [--json F]

The lent GPU machine builds mmcv with its CPU ops only (``mmcv._ext`` must exist for
``import mmocr.models``; its CUDA ops would take far longer to build). That is enough if
no op of ``mmcv._ext`` runs during pretraining. This script wraps every function of
``mmcv._ext`` with a counter, builds the model of CONFIG (default: the paper's encoder,
TPS + ResNet + BiLSTM) with the batched augmentation, runs one forward and backward pass
on the device, and prints (and writes) the calls counted, with the compiler mmcv was
built with. Exits 1 if any op was called.
"""

import argparse
import collections
import contextlib
import faulthandler
import functools
import json
import os.path as osp
import sys
from typing import Counter, Iterator, Optional

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAPER_CONFIG = 'configs/seqclr/seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py'


@contextlib.contextmanager
def count_ext_calls() -> Iterator[Counter]:
    """Count calls of ``mmcv._ext`` functions made inside the block, by name.

    mmcv's ops look their function up on the extension module at each call
    (``ext_module.nms(...)``), so replacing the module's attributes catches every call."""
    import mmcv._ext as ext

    calls: Counter = collections.Counter()
    originals = {
        name: getattr(ext, name)
        for name in dir(ext)
        if not name.startswith('_') and callable(getattr(ext, name))
    }

    def counted(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    for name, fn in originals.items():
        setattr(ext, name, counted(name, fn))
    try:
        yield calls
    finally:
        for name, fn in originals.items():
            setattr(ext, name, fn)


def one_iteration(config: str, device: str, batch_size: int) -> None:
    """Build CONFIG's model with BatchSeqCLRAugment; one forward + backward on ``device``."""
    from mmengine import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    cfg = Config.fromfile(config if osp.isabs(config) else osp.join(REPO, config))
    cfg.model.data_preprocessor.view_augment = dict(type='BatchSeqCLRAugment')
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model).to(device)
    model.train()
    generator = torch.Generator().manual_seed(0)
    images = [
        torch.randint(0, 256, (1, 32, 100), dtype=torch.uint8, generator=generator).to(device)
        for _ in range(batch_size)
    ]
    views = model.data_preprocessor(dict(inputs=[images], data_samples=None), True)['inputs']
    losses = model.loss(views)
    losses['loss'].backward()
    if device == 'cuda':
        torch.cuda.synchronize()


def write_json(path: Optional[str], result: dict) -> None:
    if path:
        with open(path, 'w') as f:
            json.dump(result, f, indent=1)


def main(argv=None) -> int:
    # A crash in a compiled op (a segmentation fault) would end the script with no output:
    # print the Python stack of every thread instead.
    faulthandler.enable()
    parser = argparse.ArgumentParser(description='mmcv ops called by SeqCLR pretraining')
    parser.add_argument('config', nargs='?', default=PAPER_CONFIG)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--json', help='also write the result to this file')
    args = parser.parse_args(argv)
    sys.path.insert(0, REPO)
    import mmcv
    import mmcv._ext as ext

    import seqclr_mmocr  # noqa: F401

    # The calls are written before mmcv's build information is asked for, so that a crash
    # there keeps them.
    with count_ext_calls() as calls:
        one_iteration(args.config, args.device, args.batch_size)
    result = dict(
        config=args.config,
        device=args.device,
        batch_size=args.batch_size,
        mmcv=mmcv.__version__,
        mmcv_ext_calls=dict(calls),
    )
    print(json.dumps(result), flush=True)
    write_json(args.json, result)
    result.update(
        mmcv_compiler=ext.get_compiler_version(), mmcv_cuda=ext.get_compiling_cuda_version()
    )
    print(json.dumps(result))
    write_json(args.json, result)
    if calls:
        print(f'[check_mmcv_ops] the iteration called mmcv ops: {dict(calls)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
