# Copyright (c) OpenMMLab. All rights reserved.
# Adapted from MMOCR 1.0.1 tools/train.py, with the gloo backend for distributed runs on
# machines without a GPU, checks that stop a run before training, and `--resume [PATH]`,
# which resumes from the work dir's last checkpoint (or PATH) whatever load_from says, with
# the checkpoint's seed.
import argparse
import logging
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from seqclr_mmocr.datasets.annotation_checks import (
    check_annotation_entries,
    skip_unreadable_eval_images,
)
from seqclr_mmocr.datasets.bad_inputs import log_bad_input_summary
from seqclr_mmocr.engine.hooks.atomic_checkpoint_hook import use_atomic_checkpoint_hook
from seqclr_mmocr.models.algorithms import check_contrastive_negatives
from seqclr_mmocr.utils.config_keys import check_cfg_option_keys, check_hook_arguments
from seqclr_mmocr.utils.launch import finish_distributed, use_gloo_without_gpu
from seqclr_mmocr.utils.resume import prepare_resume


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='Train config file path')
    parser.add_argument('--work-dir', help='The dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help="Resume training: from the work dir's last checkpoint, or from the checkpoint "
        'given. load_from (a pretrained encoder) is then not loaded, and the seed is the '
        "checkpoint's. With no checkpoint in the work dir, a new run starts.",
    )
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='Enable automatic-mixed-precision training',
    )
    parser.add_argument(
        '--amp-dtype',
        choices=['float16', 'bfloat16'],
        default=None,
        help='The autocast dtype of --amp (AmpOptimWrapper.dtype); float16 when not given',
    )
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='Whether to scale the learning rate automatically. It requires '
        '`auto_scale_lr` in config, and `base_batch_size` in `auto_scale_lr`',
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='Override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.',
    )
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='Job launcher',
    )
    # torchrun sets LOCAL_RANK itself; the flag stays for old launchers.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if args.amp_dtype is not None and not args.amp:
        parser.error('--amp-dtype needs --amp')
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)

    return args


def main():
    args = parse_args()

    # load config
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    # Keys that nothing would read stop the run here, not at the first checkpoint save.
    check_cfg_option_keys(cfg, args.cfg_options)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    use_gloo_without_gpu(cfg)
    use_atomic_checkpoint_hook(cfg)
    check_hook_arguments(cfg)
    world_size = (
        1
        if args.launcher == 'none'
        else int(os.environ.get('WORLD_SIZE') or os.environ.get('SLURM_NTASKS') or 1)
    )
    check_contrastive_negatives(cfg, world_size)
    # Every split's entries, before training; the test set may live elsewhere (then only
    # reported). Unreadable val/test images are skipped and counted, not fatal.
    check_annotation_entries(cfg)
    skip_unreadable_eval_images(cfg)

    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        # update configs according to CLI args if args.work_dir is not None
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        # use config filename as default work_dir if cfg.work_dir is None
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    # enable automatic-mixed-precision training
    if args.amp:
        optim_wrapper = cfg.optim_wrapper.type
        if optim_wrapper == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING,
            )
        else:
            assert optim_wrapper == 'OptimWrapper', (
                '`--amp` is only supported when the optimizer wrapper type is '
                f'`OptimWrapper` but got {optim_wrapper}.'
            )
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
        if args.amp_dtype is not None:
            cfg.optim_wrapper.dtype = args.amp_dtype

    # After work_dir is known and before the runner seeds anything (see prepare_resume).
    prepare_resume(cfg, args.resume)

    # enable automatically scaling LR
    if args.auto_scale_lr:
        if 'auto_scale_lr' in cfg and 'base_batch_size' in cfg.auto_scale_lr:
            cfg.auto_scale_lr.enable = True
        else:
            raise RuntimeError(
                'Can not find "auto_scale_lr" or '
                '"auto_scale_lr.base_batch_size" in your'
                ' configuration file.'
            )

    # build the runner from config
    if 'runner_type' not in cfg:
        # build the default runner
        runner = Runner.from_cfg(cfg)
    else:
        # build customized runner from the registry
        # if 'runner_type' is set in the cfg
        runner = RUNNERS.build(cfg)

    # start training
    runner.train()
    log_bad_input_summary('training run')
    # Free the model wrapper, which holds the process group, before destroying it.
    del runner
    finish_distributed()


if __name__ == '__main__':
    main()
