# Copyright (c) OpenMMLab. All rights reserved.
# Adapted from MMOCR 1.0.1 tools/test.py: same options and behaviour, plus the gloo backend
# for distributed runs on machines without a GPU, two fixes (--save-preds with MMOCR's
# MultiDatasetsEvaluator, --show-dir under the work dir) and the test config dumped as
# <config>_test.py so that the training config in the work dir is kept.
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from seqclr_mmocr.datasets.annotation_checks import skip_unreadable_eval_images
from seqclr_mmocr.datasets.bad_inputs import log_bad_input_summary
from seqclr_mmocr.utils.launch import (
    check_annotation_files,
    finish_distributed,
    use_gloo_without_gpu,
)
from seqclr_mmocr.utils.work_dir_checkpoint import resolve_checkpoint


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='Test config file path')
    parser.add_argument(
        'checkpoint',
        help='Checkpoint file, or a work dir (its best checkpoint, else its last one)',
    )
    parser.add_argument(
        '--work-dir', help='The directory to save the file containing evaluation metrics'
    )
    parser.add_argument(
        '--save-preds',
        action='store_true',
        help='Dump predictions to a pickle file for offline evaluation',
    )
    parser.add_argument('--show', action='store_true', help='Show prediction results')
    parser.add_argument(
        '--show-dir',
        help='Directory where painted images will be saved, relative to the '
        'work dir (an absolute path is used as is); the images go to '
        '<work_dir>/<show_dir>/vis_data/vis_image/',
    )
    parser.add_argument('--wait-time', type=float, default=2, help='The interval of show (s)')
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
    parser.add_argument('--tta', action='store_true', help='Test time augmentation')
    # torchrun sets LOCAL_RANK itself; the flag stays for old launchers.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization_hook(cfg, args):
    default_hooks = cfg.default_hooks
    if 'visualization' in default_hooks:
        visualization_hook = default_hooks['visualization']
        # Turn on visualization
        visualization_hook['enable'] = True
        visualization_hook['draw_gt'] = True
        visualization_hook['draw_pred'] = True
        if args.show:
            visualization_hook['show'] = True
            visualization_hook['wait_time'] = args.wait_time
        if args.show_dir:
            # MMOCR passes show_dir on as is, which puts it under the current directory.
            cfg.visualizer['save_dir'] = osp.join(cfg.work_dir, args.show_dir)
            cfg.visualizer['vis_backends'] = [dict(type='LocalVisBackend')]
    else:
        raise RuntimeError(
            'VisualizationHook must be included in default_hooks.'
            'refer to usage '
            '"visualization=dict(type=\'VisualizationHook\')"'
        )

    return cfg


def add_dump_metric(cfg: Config, out_file: str) -> None:
    """Add MMEngine's ``DumpResults`` metric writing ``out_file`` to the test evaluator.

    MMOCR's ``MultiDatasetsEvaluator`` is an evaluator, not a metric, so it cannot sit in a
    list of metrics beside ``DumpResults`` (MMOCR 1.0.1 tried that and failed with
    ``KeyError: 'MultiDatasetsEvaluator is not in the mmocr::metric registry'``): the dump
    goes into its own ``metrics`` list instead. It evaluates each metric once per dataset,
    so with several test datasets one file would keep only the last one; that is refused.
    """
    dump_metric = dict(type='DumpResults', out_file_path=out_file)
    evaluator = cfg.test_evaluator
    if isinstance(evaluator, dict) and 'metrics' in evaluator:
        prefixes = evaluator.get('dataset_prefixes') or []
        if len(prefixes) > 1:
            raise ValueError(
                f'--save-preds: test_evaluator has {len(prefixes)} datasets '
                f'({list(prefixes)}); test them one at a time to dump their predictions'
            )
        metrics = evaluator['metrics']
        metrics = list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
        evaluator['metrics'] = metrics + [dump_metric]
    elif isinstance(evaluator, (list, tuple)):
        cfg.test_evaluator = list(evaluator) + [dump_metric]
    else:
        cfg.test_evaluator = [evaluator, dump_metric]


def test_dump_name(cfg: Config) -> Config:
    """The config, renamed so that the runner dumps it as ``<config>_test.py``.

    ``tools/train.py`` dumps the training config into the work dir as ``<config>.py``;
    ``collect_results.py`` reads the run's identity (its ``load_from`` in particular) from
    it. Testing into the same work dir would overwrite it with a config whose ``load_from``
    is the tested checkpoint.
    """
    if not cfg.filename:
        return cfg
    stem, ext = osp.splitext(osp.basename(cfg.filename))
    return Config(
        cfg.to_dict(),
        cfg_text=cfg.text,
        filename=osp.join(osp.dirname(cfg.filename), f'{stem}_test{ext}'),
    )


def main():
    args = parse_args()
    # A work dir stands for its best validation checkpoint, else its last one.
    try:
        checkpoint = resolve_checkpoint(args.checkpoint)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f'ERROR: {error}')

    # load config
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    use_gloo_without_gpu(cfg)
    check_annotation_files(cfg, loaders=('test_dataloader',))
    skip_unreadable_eval_images(cfg, loaders=('test_dataloader',))

    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        # update configs according to CLI args if args.work_dir is not None
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        # use config filename as default work_dir if cfg.work_dir is None
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])

    cfg.load_from = checkpoint

    # TODO: It will be supported after refactoring the visualizer
    if args.show and args.show_dir:
        raise NotImplementedError('--show and --show-dir cannot be set at the same time')

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)

    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model

    # save predictions
    if args.save_preds:
        add_dump_metric(cfg, osp.join(cfg.work_dir, f'{osp.basename(checkpoint)}_predictions.pkl'))

    cfg = test_dump_name(cfg)

    # build the runner from config
    if 'runner_type' not in cfg:
        # build the default runner
        runner = Runner.from_cfg(cfg)
    else:
        # build customized runner from the registry
        # if 'runner_type' is set in the cfg
        runner = RUNNERS.build(cfg)

    # start testing
    runner.test()
    log_bad_input_summary('test run')
    # Free the model wrapper, which holds the process group, before destroying it.
    del runner
    finish_distributed()


if __name__ == '__main__':
    main()
