"""Helpers for the launch scripts in ``tools/``."""

import gc
import logging

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log


def use_gloo_without_gpu(cfg: Config) -> None:
    """Run a distributed job on the gloo backend when no GPU is present.

    MMOCR's default runtime asks for NCCL, which needs GPUs, and MMEngine 0.10's
    ``init_dist('pytorch')`` calls ``torch.cuda.set_device`` even for gloo, which fails on a
    CUDA build of torch without a driver. So on a CPU-only machine the backend becomes gloo
    and, for ``--launcher pytorch`` (torchrun), the process group is created here from
    torchrun's environment; MMEngine's runner then finds it initialised and uses it.
    DistributedDataParallel gets ``device_ids=None``, as CPU modules require (MMEngine
    passes the local rank as a GPU id by default).
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    print_log(
        'No GPU found: using the gloo backend for distributed training.',
        logger='current',
        level=logging.WARNING,
    )
    dist_cfg['backend'] = 'gloo'
    wrapper_cfg = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False),
    )
    wrapper_cfg.setdefault('device_ids', None)
    cfg.model_wrapper_cfg = wrapper_cfg
    if cfg.launcher == 'pytorch' and not torch_dist.is_initialized():
        kwargs = {k: v for k, v in dist_cfg.items() if k != 'backend'}
        torch_dist.init_process_group(backend='gloo', **kwargs)


def finish_distributed() -> None:
    """Destroy the process group, and join its threads, before the interpreter exits.

    Call it after the runner is deleted. MMOCR's tools leave the group to process exit;
    with gloo, the group's ``pt_gloo_runloop`` threads are then still alive while Python
    finalises (the DDP wrapper keeps the group referenced), and now and then one is torn
    down mid-wait: "terminate called without an active exception", SIGABRT, and torchrun
    reports the job as failed although training finished (seen in about 1 run of 10 here).
    Collecting the runner's reference cycles first lets destroying the group free it,
    which joins its threads; a barrier lets every rank finish its last collective first.
    """
    if not (torch_dist.is_available() and torch_dist.is_initialized()):
        return
    gc.collect()
    torch_dist.barrier()
    torch_dist.destroy_process_group()
    gc.collect()


def check_annotation_files(
    cfg: Config, loaders=('train_dataloader', 'val_dataloader', 'test_dataloader')
) -> None:
    """Fail before the run, naming the file and line, when an annotation file of a
    dataloader is missing, lists no sample, or has a bad entry (a missing or zero-byte
    image, an unreadable line, an empty label or none where the pipeline reads labels):
    :func:`seqclr_mmocr.datasets.annotation_checks.check_annotation_entries`, with every
    loader's annotation file required."""
    from seqclr_mmocr.datasets.annotation_checks import check_annotation_entries

    check_annotation_entries(cfg, loaders=loaders, optional=())
