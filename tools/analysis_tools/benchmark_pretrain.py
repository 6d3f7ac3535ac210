"""Where a SeqCLR pretraining iteration spends its time, and what the loss costs in memory.

Usage::

    python tools/analysis_tools/benchmark_pretrain.py [--encoder paper|demo]
        [--batch-size N] [--loss-sizes 1024 4096 16384 53248] [--skip-loss]
        [--parts augmentation iteration loss] [--device auto|cpu|cuda] [--amp]
        [--json OUT.json]

Prints, in one run on this machine (every figure also as a ratio against a baseline
measured in the same run):

1. augmentation throughput: views/s of the imgaug path (``SeqCLRAugment``, one data worker =
   one thread) against the batched path (``BatchSeqCLRAugment``) on one CPU thread, and on
   the GPU when there is one;
2. one pretraining iteration split into data loading (reading and decoding one image per
   sample), augmentation (both views, batched path), encoder forward + backward, and head +
   instance mapping + loss forward + backward, against the encoder's forward + backward;
3. the contrastive loss's peak memory and time (forward + backward), dense against
   memory-lean, for M instances in all (both views), each measured in a fresh process;
   dense sizes whose similarity matrix would not fit in ``--dense-memory-limit`` are
   skipped.

``--amp`` runs the iteration's forward passes under autocast (float16 on a GPU, as
MMEngine's ``AmpOptimWrapper``, bfloat16 on the CPU); ``--json`` also writes every figure
to a file (tools/gpu/gpu_check.sh collects them).
"""

import argparse
import contextlib
import json
import os
import os.path as osp
import platform
import subprocess
import sys
import time
from typing import Callable, Dict, Iterator

import numpy as np
import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PARTS = ('augmentation', 'iteration', 'loss')
ENCODERS = {
    'paper': 'configs/seqclr/seqclr_window-bilstm_tps-resnet31-bilstm_200k_iam.py',
    'demo': 'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py',
}


def parse_args():
    parser = argparse.ArgumentParser(description='Benchmark SeqCLR pretraining')
    parser.add_argument('--encoder', choices=sorted(ENCODERS), default='paper')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=None,
        help='images per iteration (default 256 on GPU, 32 on CPU)',
    )
    parser.add_argument(
        '--aug-views', type=int, default=256, help='views per augmentation measurement'
    )
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--loss-sizes', type=int, nargs='+', default=[1024, 4096, 16384, 53248])
    parser.add_argument(
        '--dense-memory-limit',
        type=float,
        default=12.0,
        help='GiB: skip dense sizes whose M x M fp32 matrix x 3 exceeds it',
    )
    parser.add_argument(
        '--skip-loss', action='store_true', help='same as leaving out "loss" from --parts'
    )
    parser.add_argument(
        '--parts',
        nargs='+',
        choices=PARTS,
        default=list(PARTS),
        help='which measurements to run (default all)',
    )
    parser.add_argument(
        '--device',
        choices=['auto', 'cpu', 'cuda'],
        default='auto',
        help='auto: the GPU when there is one',
    )
    parser.add_argument(
        '--amp', action='store_true', help='forward passes of the iteration under autocast'
    )
    parser.add_argument('--json', help='also write every figure to this JSON file')
    parser.add_argument(
        '--data-root',
        default='data/demo_handwriting',
        help='images for the data-loading measurement',
    )
    parser.add_argument(
        '--loss-worker', nargs=3, metavar=('IMPL', 'M', 'DEVICE'), help=argparse.SUPPRESS
    )
    return parser.parse_args()


def timed(fn: Callable, repeats: int, sync: Callable = lambda: None) -> float:
    """Median seconds of ``fn`` over ``repeats`` runs after one warm-up."""
    fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def calibration_images(n: int, seed: int = 0) -> np.ndarray:
    """n grayscale 32x100 uint8 images with text-like strokes."""
    rng = np.random.default_rng(seed)
    images = np.full((n, 32, 100), 220, np.uint8)
    for img in images:
        for _ in range(8):
            x, y = rng.integers(5, 90), rng.integers(8, 22)
            img[y : y + rng.integers(4, 10), x : x + rng.integers(2, 6)] = rng.integers(0, 60)
    return images


def benchmark_augmentation(args) -> Dict[str, float]:
    import cv2

    from seqclr_mmocr.datasets.transforms import SeqCLRAugment
    from seqclr_mmocr.models.utils.batch_augments import BatchSeqCLRAugment

    images = calibration_images(args.aug_views)
    imgaug_aug = SeqCLRAugment(seed=0)

    def run_imgaug():
        for img in images:
            imgaug_aug(dict(img=img.copy(), img_shape=img.shape))

    torch.set_num_threads(1)
    cv2_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # one data worker = one thread, OpenCV's included
    batched = BatchSeqCLRAugment()
    batch = torch.from_numpy(images).float()[:, None]
    results = {'imgaug': args.aug_views / timed(run_imgaug, 1)}
    cv2.setNumThreads(cv2_threads)
    results['batched_cpu'] = args.aug_views / timed(lambda: batched(batch), args.repeats)
    if args.device == 'cuda':
        gpu_batch = batch.cuda().repeat(8, 1, 1, 1)
        gpu_aug = batched.cuda()
        seconds = timed(lambda: gpu_aug(gpu_batch), args.repeats, torch.cuda.synchronize)
        results['batched_gpu'] = gpu_batch.shape[0] / seconds
    torch.set_num_threads(os.cpu_count() or 1)
    return results


def build_model(config: str, device: str):
    from mmengine import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.model.data_preprocessor.view_augment = dict(type='BatchSeqCLRAugment')
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model).to(device)
    model.train()
    return model


def benchmark_iteration(args, device: str) -> Dict[str, float]:
    from mmcv import imread

    model = build_model(ENCODERS[args.encoder], device)
    batch_size = args.batch_size or (256 if device == 'cuda' else 32)
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    paths = []
    ann = osp.join(REPO, args.data_root, 'textrecog_unlabeled.json')
    if osp.isfile(ann):
        with open(ann) as f:
            paths = [
                osp.join(REPO, args.data_root, d['img_path'])
                for d in json.load(f)['data_list'][:batch_size]
            ]

    def load():
        import cv2

        return [cv2.resize(imread(p, flag='grayscale'), (100, 32)) for p in paths]

    raw = [
        torch.from_numpy(img)[None] for img in (load() if paths else calibration_images(batch_size))
    ]
    raw = [img.to(device) for img in raw]
    data = dict(inputs=[raw], data_samples=None)
    preprocessor = model.data_preprocessor
    views = preprocessor(data, True)['inputs']
    images = torch.cat(views)

    if args.amp:
        amp_dtype = torch.float16 if device == 'cuda' else torch.bfloat16

        def autocast():
            return torch.autocast(device_type=device, dtype=amp_dtype)
    else:
        autocast = contextlib.nullcontext

    def encoder_step():
        with autocast():
            frames, _ = model.extract_frames(images)
            total = frames.float().sum()
        total.backward()

    with autocast():
        frames, lengths = model.extract_frames(images)
    frames = frames.detach().requires_grad_(True)
    lengths = torch.cat([lengths[:batch_size], lengths[:batch_size]])

    def head_loss_step():
        with autocast():
            a, b = model.embed(frames, lengths, batch_size)
            loss, _ = model.loss_module(a, b)
        loss.backward()

    def full_step():
        with autocast():
            losses = model.loss(preprocessor(data, True)['inputs'])
        losses['loss'].backward()

    result = {
        'batch_size': batch_size,
        'amp': str(amp_dtype).replace('torch.', '') if args.amp else None,
        'data_loading': timed(load, args.repeats) if paths else float('nan'),
        'augmentation': timed(lambda: preprocessor(data, True), args.repeats, sync),
        'encoder_fwd_bwd': timed(encoder_step, args.repeats, sync),
        'head_mapper_loss': timed(head_loss_step, args.repeats, sync),
        'full_iteration': timed(full_step, args.repeats, sync),
    }
    model.zero_grad(set_to_none=True)
    return result


def current_rss() -> int:
    """Resident set size of this process in bytes (Linux)."""
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def loss_worker(impl: str, num_instances: int, device: str) -> None:
    """Child process: forward + backward of the loss on M instances; prints JSON.

    CPU peak memory is the largest resident size seen by a sampling thread while the loss
    runs, minus the resident size just before (the process's high-water mark would be
    dominated by importing torch)."""
    import threading

    from seqclr_mmocr.models.losses import SequenceContrastiveLoss

    torch.manual_seed(0)
    loss_fn = SequenceContrastiveLoss(implementation=impl, gather_across_ranks=False)
    half = num_instances // 2
    a = torch.randn(half, 128, device=device, requires_grad=True)
    b = torch.randn(half, 128, device=device, requires_grad=True)
    peak, running = [0], [True]

    def sample():
        while running[0]:
            peak[0] = max(peak[0], current_rss())
            time.sleep(0.0005)

    if device == 'cuda':
        # One untimed run first: CUDA's context, kernels and allocator warm up.
        loss, _ = loss_fn(a, b)
        loss.backward()
        a.grad = b.grad = None
        del loss
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:
        base = current_rss()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    start = time.perf_counter()
    loss, _ = loss_fn(a, b)
    loss.backward()
    if device == 'cuda':
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    if device == 'cuda':
        peak_bytes = torch.cuda.max_memory_allocated() - base
    else:
        running[0] = False
        sampler.join()
        peak_bytes = max(peak[0], current_rss()) - base
    print(json.dumps(dict(seconds=seconds, peak_bytes=peak_bytes)))


def benchmark_loss(args, device: str) -> Iterator[Dict]:
    """One row per M, yielded as soon as both implementations are measured."""
    limit = args.dense_memory_limit * 2**30
    for m in args.loss_sizes:
        row = dict(M=m)
        for impl in ('dense', 'lean'):
            if impl == 'dense' and 3 * 4 * m * m > limit:
                row[impl] = None
                continue
            proc = subprocess.run(
                [sys.executable, __file__, '--loss-worker', impl, str(m), device],
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('{')]
            row[impl] = json.loads(lines[-1]) if proc.returncode == 0 and lines else None
            if row[impl] is None:  # out of memory, say: keep the reason
                errors = proc.stderr.strip().splitlines() or [f'exit {proc.returncode}']
                row[f'{impl}_error'] = errors[-1][-300:]
        yield row


def fmt_ratio(value: float, base: float) -> str:
    return f'{value / base:.2f}x' if base and value == value else '-'


def main():
    args = parse_args()
    sys.path.insert(0, REPO)
    import seqclr_mmocr  # noqa: F401

    if args.loss_worker:
        impl, m, device = args.loss_worker
        loss_worker(impl, int(m), device)
        return
    if args.skip_loss and 'loss' in args.parts:
        args.parts.remove('loss')
    if args.device == 'auto':
        args.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    device = args.device
    if device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda: torch sees no GPU')
    gpu = torch.cuda.get_device_name() if device == 'cuda' else 'none'
    machine = dict(
        cpu=platform.processor() or platform.machine(),
        cpu_threads=os.cpu_count(),
        gpu=gpu,
        torch=torch.__version__,
        cuda=torch.version.cuda,
        device=device,
    )
    print(
        f'# machine: {machine["cpu"]}, {os.cpu_count()} CPU threads, GPU: {gpu}, '
        f'torch {torch.__version__}, CUDA {torch.version.cuda}'
    )
    results = dict(machine=machine, encoder=args.encoder)

    def save():
        if args.json:
            with open(args.json, 'w') as f:
                json.dump(results, f, indent=1)

    if 'augmentation' in args.parts:
        aug = results['augmentation'] = benchmark_augmentation(args)
        save()
        print('\n## 1. Augmentation throughput (32x100 grayscale views)')
        print('| path | views/s | vs imgaug (1 worker) |\n| --- | --- | --- |')
        for name, value in aug.items():
            print(f'| {name} | {value:,.0f} | {fmt_ratio(value, aug["imgaug"])} |')

    if 'iteration' in args.parts:
        it = results['iteration'] = benchmark_iteration(args, device)
        save()
        amp = f', autocast {it["amp"]}' if it['amp'] else ''
        print(
            f'\n## 2. One pretraining iteration ({args.encoder} encoder, batch '
            f'{it["batch_size"]} images = {2 * it["batch_size"]} views, {device}{amp})'
        )
        print('| part | seconds | vs encoder fwd+bwd |\n| --- | --- | --- |')
        for name in (
            'data_loading',
            'augmentation',
            'encoder_fwd_bwd',
            'head_mapper_loss',
            'full_iteration',
        ):
            print(f'| {name} | {it[name]:.4f} | {fmt_ratio(it[name], it["encoder_fwd_bwd"])} |')
        share = it['head_mapper_loss'] / it['full_iteration']
        print(
            f'head + mapper + loss: {100 * share:.1f}% of a full iteration '
            '(data loading runs in the dataloader workers, in parallel)'
        )

    if 'loss' in args.parts:
        results['loss'] = []
        print(f'\n## 3. Contrastive loss forward + backward ({device}, F = 128)')
        print(
            '| M instances | dense peak MiB | dense s | lean peak MiB | lean s | '
            'lean/dense memory | lean/dense time |\n| --- | --- | --- | --- | --- | --- | --- |'
        )
        for row in benchmark_loss(args, device):
            results['loss'].append(row)
            save()
            dense, lean = row['dense'], row['lean']

            def cell(r, key, scale, digits=1):
                return f'{r[key] / scale:,.{digits}f}' if r else 'skipped'

            mem = fmt_ratio(lean['peak_bytes'], dense['peak_bytes']) if dense and lean else '-'
            tim = fmt_ratio(lean['seconds'], dense['seconds']) if dense and lean else '-'
            print(
                f'| {row["M"]:,} | {cell(dense, "peak_bytes", 2**20)} | '
                f'{cell(dense, "seconds", 1, 3)} | {cell(lean, "peak_bytes", 2**20)} | '
                f'{cell(lean, "seconds", 1, 3)} | {mem} | {tim} |',
                flush=True,
            )


if __name__ == '__main__':
    main()
