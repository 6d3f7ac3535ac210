"""tools/train.py and tools/test.py tear the gloo process group down before exit.

A gloo group still referenced at interpreter exit keeps its ``pt_gloo_runloop`` threads
alive while Python finalises, and now and then one aborts the process (SIGABRT after a
finished run). ``finish_distributed`` must leave no gloo thread behind once the model
wrapper that holds the group is gone."""

import glob

import torch
import torch.distributed as torch_dist
from torch.nn.parallel import DistributedDataParallel

from seqclr_mmocr.utils.launch import finish_distributed


def gloo_threads() -> list:
    names = []
    for path in glob.glob('/proc/self/task/*/comm'):
        try:
            with open(path) as f:
                names.append(f.read().strip())
        except OSError:  # a thread that ended while listing
            pass
    return [n for n in names if 'gloo' in n]


class RunnerLike:
    """Holds the model wrapper inside a reference cycle, as MMEngine's runner does (its
    hooks, loops and message hub point back at it): only the cyclic GC frees it."""

    def __init__(self, model):
        self.model = model
        self.loop = dict(runner=self)


def test_finish_distributed_joins_gloo_threads_once_runner_is_deleted(tmp_path):
    torch_dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path}/store', rank=0, world_size=1
    )
    try:
        runner = RunnerLike(DistributedDataParallel(torch.nn.Linear(3, 2), device_ids=None))
        runner.model(torch.randn(4, 3)).sum().backward()
        assert gloo_threads(), 'the gloo group should run its worker threads'
        del runner
        finish_distributed()
        assert not torch_dist.is_initialized()
        assert gloo_threads() == []
    finally:
        if torch_dist.is_initialized():
            torch_dist.destroy_process_group()


def test_finish_distributed_outside_distributed_run_does_nothing():
    assert not torch_dist.is_initialized()
    finish_distributed()
    assert not torch_dist.is_initialized()
