"""What MMEngine's runner adds to a training step: ``tools/train.py`` against a bare loop.

Usage::

    python tools/analysis_tools/benchmark_train_step.py [CONFIG ...] [--data-root DIR]
        [--warmup 5] [--block 10] [--repeats 3] [--cfg-options KEY=VALUE ...]

For each config (default: the demo's SeqCLR pretraining and its 5% CTC fine-tuning) the
runner is built from the config as ``tools/train.py`` builds it (``Runner.from_cfg`` with
the same launcher, ``--cfg-options`` merge, gloo fallback and annotation check) and trained
with ``runner.train()``. Two hooks of this script, one of the highest and one of the lowest
priority, time every iteration; after each block of ``--block`` runner iterations the lowest
one replays the same batches through a bare PyTorch loop on the same ``runner.model`` and the
same torch optimizer::

    data = model.data_preprocessor(batch, True)        # the SeqCLR views are made here
    loss = sum of the 'loss' entries of model(**data, mode='loss')
    optimizer.zero_grad(); loss.backward(); optimizer.step()

so runner and bare blocks alternate in one process, ``--repeats`` times, after ``--warmup``
runner iterations. A runner iteration runs from the end of the previous one to the end of its
last ``after_train_iter`` hook: ``model.train()``, waiting for the batch
(``next(dataloader)``), the ``before_train_iter`` hooks, ``model.train_step`` (data
preprocessor, forward, ``parse_losses``, the optimizer wrapper's backward, clipping, step)
and the ``after_train_iter`` hooks. Validation is switched off (``train_cfg.val_begin``)
because it is no training step.

Printed per config: the median runner and bare iteration; the runner / bare ratio of each
repeat (a runner block against the bare block that follows it) and their median, the
headline figure (target: at most 1.15x); the CPU seconds of the main process
in both and of the data workers per runner iteration; and where the runner's time goes: the
wait for the batch, ``train_step`` against the bare step, and each train-iteration hook.
The load average is printed at the start and the end: on a shared machine the ratio of a
repeat moves with the other processes' load.

A config whose ``custom_hooks`` include ``PretrainedEncoderCheckHook`` and that has no
``load_from`` gets the freshly built model's own encoder as a checkpoint, so fine-tuning
configs run without a pretraining run (the step costs the same).
"""

import argparse
import os
import os.path as osp
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from typing import Dict, List, Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

DEFAULT_CONFIGS = [
    'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py',
    'configs/finetune/finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-5pct.py',
]
TRAIN_ITER_STAGES = ('before_train_iter', 'after_train_iter')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Time tools/train.py iterations against a bare PyTorch loop'
    )
    parser.add_argument(
        'configs',
        nargs='*',
        default=DEFAULT_CONFIGS,
        help='training configs (default: the demo pretraining and the 5%% CTC fine-tuning)',
    )
    parser.add_argument(
        '--data-root', default=None, help='replace every data_root of the train and val datasets'
    )
    parser.add_argument(
        '--warmup', type=int, default=5, help='runner iterations before the first measured block'
    )
    parser.add_argument(
        '--block', type=int, default=10, help='iterations per runner block and per bare block'
    )
    parser.add_argument(
        '--repeats', type=int, default=3, help='runner/bare block pairs, alternating'
    )
    parser.add_argument(
        '--profile',
        type=int,
        default=0,
        metavar='N',
        help='after the timing, profile N bare steps with torch.profiler and '
        'print where the model spends its CPU time',
    )
    parser.add_argument(
        '--work-dir', default=None, help='where the runners write (default: a temporary directory)'
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default=None,
        help='overrides merged into every config, as in tools/train.py',
    )
    args = parser.parse_args(argv)
    for name in ('warmup', 'block', 'repeats'):
        minimum = 0 if name == 'warmup' else 1
        if getattr(args, name) < minimum:
            parser.error(f'--{name} must be >= {minimum}, got {getattr(args, name)}')
    return args


def replace_data_roots(node, data_root: str) -> int:
    """Set every ``data_root`` key found in ``node`` (nested dicts and lists) to
    ``data_root``; returns how many were replaced."""
    count = 0
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'data_root':
                node[key] = data_root
                count += 1
            else:
                count += replace_data_roots(value, data_root)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += replace_data_roots(value, data_root)
    return count


def needs_pretrained_encoder(cfg: Config) -> bool:
    hooks = cfg.get('custom_hooks') or []
    return not cfg.get('load_from') and any(
        h.get('type') == 'PretrainedEncoderCheckHook' and not h.get('checkpoint') for h in hooks
    )


def save_own_encoder(cfg: Config, path: str) -> str:
    """Save the encoder part (preprocessor, backbone, encoder) of the config's freshly built
    model, for configs that check a pretrained encoder before training."""
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    from seqclr_mmocr.engine.hooks.pretrained_encoder_check_hook import ENCODER_PREFIXES

    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'mmocr')):
        model = MODELS.build(cfg.model)
    state = {k: v for k, v in model.state_dict().items() if k.startswith(ENCODER_PREFIXES)}
    torch.save(dict(state_dict=state), path)
    return path


def build_config(config: str, args: argparse.Namespace, work_dir: str) -> Config:
    """The config as tools/train.py prepares it, with this benchmark's iteration count."""
    from seqclr_mmocr.utils.launch import check_annotation_files, use_gloo_without_gpu

    cfg = Config.fromfile(config)
    cfg.launcher = 'none'
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.data_root is not None:
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            if cfg.get(loader):
                replace_data_roots(cfg[loader], args.data_root)
    use_gloo_without_gpu(cfg)
    check_annotation_files(cfg, loaders=('train_dataloader',))
    cfg.work_dir = work_dir
    total = args.warmup + args.block * args.repeats
    cfg.train_cfg.max_iters = total
    # No validation (it is no training step), not even the one at the last iteration.
    cfg.train_cfg.val_begin = total + 1
    if needs_pretrained_encoder(cfg):
        os.makedirs(work_dir, exist_ok=True)
        cfg.load_from = save_own_encoder(cfg, osp.join(work_dir, 'own_encoder.pth'))
    return cfg


def build_runner(cfg: Config):
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner

    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def bare_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer, batch: dict) -> None:
    """Forward, backward and step of ``model`` on one collated batch, nothing else."""
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    loss = sum(value for key, value in losses.items() if 'loss' in key)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def worker_cpu_seconds(runner) -> Optional[float]:
    """CPU seconds used so far by the train dataloader's worker processes (Linux /proc),
    or None where they cannot be read."""
    iterator = getattr(getattr(runner.train_loop, 'dataloader_iterator', None), '_iterator', None)
    workers = getattr(iterator, '_workers', None)
    if workers is None:
        return 0.0 if getattr(iterator, '_num_workers', 0) == 0 else None
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0.0
    for worker in workers:
        try:
            with open(f'/proc/{worker.pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            return None
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


class Timings:
    """Timestamps of the runner iterations and durations of the bare steps."""

    def __init__(self, warmup: int, block: int, repeats: int) -> None:
        self.warmup, self.block, self.repeats = warmup, block, repeats
        self.marks: Dict[str, float] = {}
        self.iter_end: Optional[float] = None
        self.iter_end_cpu: Optional[float] = None
        self.iter_end_workers: Optional[float] = None
        # runner[r] / bare[r]: per-iteration dicts of repeat r
        self.runner: List[List[Dict[str, float]]] = [[] for _ in range(repeats)]
        self.bare: List[List[Dict[str, float]]] = [[] for _ in range(repeats)]
        self.hook_seconds: List[Dict[str, float]] = []
        self._hook_acc: Dict[str, float] = defaultdict(float)

    def repeat_of(self, index: int) -> Optional[int]:
        """The repeat a runner iteration belongs to, or None during the warm-up."""
        if index < self.warmup:
            return None
        return (index - self.warmup) // self.block


class FirstMarkHook(Hook):
    """Runs before every other hook of a stage: marks where the hook stages begin."""

    def __init__(self, timings: Timings) -> None:
        self.t = timings

    def before_train_epoch(self, runner) -> None:
        self.t.iter_end, self.t.iter_end_cpu = time.perf_counter(), time.process_time()

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.t.marks['before_first'] = time.perf_counter()
        self.t._hook_acc.clear()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self.t.marks['after_first'] = time.perf_counter()


class LastMarkHook(Hook):
    """Runs after every other hook of a stage: closes each runner iteration and, after each
    block, runs the bare block on the block's batches."""

    def __init__(self, timings: Timings) -> None:
        self.t = timings
        self.batches: List[dict] = []
        self.last_batch: Optional[dict] = None

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self.t.marks['before_last'] = time.perf_counter()
        if self.t.repeat_of(batch_idx) is not None:
            self.batches.append(data_batch)

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        t, now, now_cpu = self.t, time.perf_counter(), time.process_time()
        repeat = t.repeat_of(batch_idx)
        if repeat is not None:
            m = t.marks
            workers = worker_cpu_seconds(runner)
            t.runner[repeat].append(
                dict(
                    total=now - t.iter_end,
                    cpu=now_cpu - t.iter_end_cpu,
                    worker_cpu=(
                        float('nan')
                        if workers is None or t.iter_end_workers is None
                        else workers - t.iter_end_workers
                    ),
                    data_wait=m['before_first'] - t.iter_end,
                    before_hooks=m['before_last'] - m['before_first'],
                    train_step=m['after_first'] - m['before_last'],
                    after_hooks=now - m['after_first'],
                )
            )
            t.hook_seconds.append(dict(t._hook_acc))
            if len(t.runner[repeat]) == t.block:
                self.run_bare_block(runner, repeat)
        t.iter_end_workers = worker_cpu_seconds(runner)
        t.iter_end, t.iter_end_cpu = time.perf_counter(), time.process_time()

    def run_bare_block(self, runner, repeat: int) -> None:
        model, optimizer = runner.model, runner.optim_wrapper.optimizer
        for batch in self.batches:
            start, start_cpu = time.perf_counter(), time.process_time()
            bare_step(model, optimizer, batch)
            self.t.bare[repeat].append(
                dict(total=time.perf_counter() - start, cpu=time.process_time() - start_cpu)
            )
        self.last_batch = self.batches[-1]
        self.batches = []


def time_each_hook(runner, timings: Timings, skip: tuple) -> None:
    """Wrap the train-iteration methods of every hook of the runner (but ``skip``) so that
    each iteration records the seconds spent in each hook."""
    for hook in runner.hooks:
        if isinstance(hook, skip):
            continue
        for stage in TRAIN_ITER_STAGES:
            if getattr(type(hook), stage) is getattr(Hook, stage):
                continue  # the base class's no-op

            def timed(*args, _fn=getattr(hook, stage), _key=f'{type(hook).__name__}', **kw):
                start = time.perf_counter()
                result = _fn(*args, **kw)
                timings._hook_acc[_key] += time.perf_counter() - start
                return result

            setattr(hook, stage, timed)


OP_GROUPS = (
    ('LSTM', ('lstm', 'rnn')),
    ('convolution', ('conv',)),
    ('batch norm', ('batch_norm',)),
    ('CTC loss', ('ctc',)),
    ('optimizer', ('_foreach', 'adam', 'adadelta', 'optimizer')),
)


def profile_bare_steps(model, optimizer, batch: dict, steps: int) -> dict:
    """Self CPU time of ``steps`` bare steps, grouped by kind of operator (share of the
    total), and the top operators."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            bare_step(model, optimizer, batch)
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    groups: Dict[str, float] = defaultdict(float)
    for event in events:
        name = event.key.lower()
        group = next((g for g, keys in OP_GROUPS if any(k in name for k in keys)), 'other')
        groups[group] += event.self_cpu_time_total / total
    top = sorted(events, key=lambda e: e.self_cpu_time_total, reverse=True)[:8]
    return dict(
        steps=steps,
        ms_per_step=total / 1000 / steps,
        groups=dict(groups),
        top=[(e.key, e.self_cpu_time_total / total) for e in top],
    )


def benchmark_config(config: str, args: argparse.Namespace, work_dir: str) -> dict:
    cfg = build_config(config, args, work_dir)
    runner = build_runner(cfg)
    timings = Timings(args.warmup, args.block, args.repeats)
    last = LastMarkHook(timings)
    runner.register_hook(FirstMarkHook(timings), priority='HIGHEST')
    runner.register_hook(last, priority='LOWEST')
    time_each_hook(runner, timings, skip=(FirstMarkHook, LastMarkHook))
    runner.train()
    result = summarize(config, cfg, timings)
    if args.profile:
        runner.model.train()
        result['profile'] = profile_bare_steps(
            runner.model, runner.optim_wrapper.optimizer, last.last_batch, args.profile
        )
    return result


def median(values) -> float:
    return float(statistics.median(values))


def summarize(config: str, cfg: Config, t: Timings) -> dict:
    runner_iters = [it for block in t.runner for it in block]
    bare_iters = [it for block in t.bare for it in block]
    parts = {key: median([it[key] for it in runner_iters]) for key in runner_iters[0]}
    worker_cpu = [it['worker_cpu'] for it in runner_iters]
    # /proc counts in ticks of 10 ms: the mean is the meaningful figure.
    parts['worker_cpu'] = statistics.fmean(worker_cpu)
    bare = {key: median([it[key] for it in bare_iters]) for key in bare_iters[0]}
    hooks = sorted({name for d in t.hook_seconds for name in d})
    repeat_ratios = [
        median([it['total'] for it in r]) / median([it['total'] for it in b])
        for r, b in zip(t.runner, t.bare)
    ]
    loader = cfg.train_dataloader
    return dict(
        config=config,
        batch_size=loader.batch_size,
        num_workers=loader.get('num_workers', 0),
        collate=(loader.get('collate_fn') or {}).get('type', 'pseudo_collate'),
        torch_threads=torch.get_num_threads(),
        runner=parts['total'],
        bare=bare['total'],
        # Each runner block against the bare block right after it, on the same batches: the
        # load of a shared machine drifts less within a pair than over the whole run.
        repeat_ratios=repeat_ratios,
        ratio=median(repeat_ratios),
        cpu_ratio=parts['cpu'] / bare['cpu'],
        bare_cpu=bare['cpu'],
        parts=parts,
        hooks={name: median([d.get(name, 0.0) for d in t.hook_seconds]) for name in hooks},
    )


def print_result(res: dict) -> None:
    p = res['parts']
    print(
        f'\n{res["config"]} (batch {res["batch_size"]}, {res["num_workers"]} data workers, '
        f'{res["collate"]}, {res["torch_threads"]} torch threads)'
    )
    print(f'  runner iteration  {res["runner"]:.4f} s (median of all runner iterations)')
    print(f'  bare iteration    {res["bare"]:.4f} s (median of all bare iterations)')
    print(
        f'  runner / bare     {res["ratio"]:.3f}x (median over the repeats; target <= 1.15x)'
        '; per repeat: ' + ', '.join(f'{r:.3f}x' for r in res['repeat_ratios'])
    )
    print(
        f'  CPU seconds of the main process: runner {p["cpu"]:.4f}, bare '
        f'{res["bare_cpu"]:.4f} ({res["cpu_ratio"]:.3f}x); data workers '
        f'{p["worker_cpu"]:.4f} per runner iteration (mean)'
    )
    print('  runner iteration, median of each part:')
    rows = [
        ('waiting for the batch (model.train(), next(dataloader))', p['data_wait']),
        ('before_train_iter hooks', p['before_hooks']),
        ('model.train_step', p['train_step']),
        ('after_train_iter hooks', p['after_hooks']),
    ]
    for label, seconds in rows:
        print(f'    {label:<58}{seconds:.4f} s')
    print(f'    (model.train_step / bare step: {p["train_step"] / res["bare"]:.3f}x)')
    print('  train-iteration hooks, median ms per iteration:')
    for name, seconds in res['hooks'].items():
        print(f'    {name:<58}{seconds * 1000:.2f} ms')
    if 'profile' in res:
        prof = res['profile']
        print(
            f'  torch.profiler, {prof["steps"]} bare steps, {prof["ms_per_step"]:.1f} ms of '
            'self CPU time per step (all threads), share by kind of operator:'
        )
        for group, share in sorted(prof['groups'].items(), key=lambda kv: -kv[1]):
            print(f'    {group:<58}{100 * share:.1f}%')
        print(
            '    top operators: '
            + ', '.join(f'{name} {100 * share:.1f}%' for name, share in prof['top'])
        )


def print_table(results: List[dict]) -> None:
    print(
        '\n| config | batch | data workers | collate | runner s/it | bare s/it | runner / bare |'
        ' data wait s | hooks s | train_step / bare |'
    )
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for r in results:
        p = r['parts']
        print(
            f'| {osp.basename(r["config"])} | {r["batch_size"]} | {r["num_workers"]} | '
            f'{r["collate"]} | '
            f'{r["runner"]:.3f} | {r["bare"]:.3f} | {r["ratio"]:.2f}x | '
            f'{p["data_wait"]:.3f} | {p["before_hooks"] + p["after_hooks"]:.3f} | '
            f'{p["train_step"] / r["bare"]:.2f}x |'
        )


def load_average() -> str:
    try:
        return ' '.join(f'{x:.2f}' for x in os.getloadavg())
    except OSError:
        return 'unknown'


def main(argv: Optional[List[str]] = None) -> List[dict]:
    args = parse_args(argv)
    print(
        f'machine: {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__} '
        f'({torch.get_num_threads()} threads), OMP_NUM_THREADS='
        f'{os.environ.get("OMP_NUM_THREADS", "unset")}, load average {load_average()}'
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, config in enumerate(args.configs):
            name = osp.splitext(osp.basename(config))[0]
            work_dir = osp.join(args.work_dir or tmp, f'{i}_{name}')
            results.append(benchmark_config(config, args, work_dir))
    for res in results:
        print_result(res)
    print(f'\nload average at the end: {load_average()} (1, 5, 15 min; {os.cpu_count()} CPUs)')
    print_table(results)
    return results


if __name__ == '__main__':
    main()
