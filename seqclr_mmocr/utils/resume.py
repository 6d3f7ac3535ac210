"""What ``tools/train.py --resume`` resumes from, and with which seed.

MMEngine's runner resumes from ``load_from`` when it is set, and from the work dir's
``last_checkpoint`` only otherwise. A fine-tuning or decoder-evaluation run sets ``load_from``
to the pretrained encoder, so ``--resume`` would reload the encoder file (``KeyError:
'epoch'``). And MMEngine restores the checkpoint's seed only in ``Runner.resume``, after the
train dataloader's sampler and worker seeds were drawn from the seed of the config; with
``randomness = dict(seed=None)`` that is a new random seed, and the resumed run differs from
the interrupted one. :func:`prepare_resume` settles both in the config, before the runner is
built.
"""

import logging
import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.logging import print_log

from .checkpoint_safety import safe_torch_load
from .work_dir_checkpoint import last_checkpoint

AUTO = 'auto'


def checkpoint_seed(checkpoint: str) -> Optional[int]:
    """The seed a training checkpoint was saved with (``meta['seed']``), or None."""
    meta = safe_torch_load(checkpoint, map_location='cpu').get('meta') or {}
    return meta.get('seed')


def prepare_resume(cfg: Config, resume: Optional[str]) -> Optional[str]:
    """Point ``cfg`` at the checkpoint to resume from, with that checkpoint's seed.

    Args:
        cfg (Config): The run's config, with ``work_dir`` set. ``load_from`` (a pretrained
            encoder, say) is replaced by the checkpoint resumed from; it is kept, and the run
            starts afresh, when there is nothing to resume.
        resume (str, optional): None (no ``--resume``), ``'auto'`` (the work dir's last
            checkpoint) or the path of a checkpoint. A config with ``resume = True`` counts
            as ``'auto'``.

    Returns:
        str or None: The checkpoint resumed from; None for a run that starts afresh.

    The seed saved in the checkpoint (drawn by the interrupted run when the config's was
    None) becomes ``cfg.randomness.seed``, so the runner seeds the sampler, the dataloader
    workers and the global generators with it, as the interrupted run did.
    """
    if not resume:
        resume = AUTO if cfg.get('resume') else None
    if not resume:
        cfg.resume = False
        return None
    if resume == AUTO:
        checkpoint = last_checkpoint(cfg.work_dir)
        if checkpoint is None:
            print_log(
                f'--resume: no checkpoint in {cfg.work_dir} to resume from (no '
                'last_checkpoint file); starting a new run'
                + (f' from load_from={cfg.load_from}' if cfg.get('load_from') else ''),
                logger='current',
                level=logging.WARNING,
            )
            cfg.resume = False
            return None
    else:
        checkpoint = resume
        if not osp.exists(checkpoint):
            raise FileNotFoundError(f'--resume {checkpoint}: no such checkpoint')
    if cfg.get('load_from') and cfg.load_from != checkpoint:
        print_log(
            f'Resuming from {checkpoint}; load_from={cfg.load_from} is not loaded (its '
            'weights are part of the checkpoint resumed from)',
            logger='current',
        )
    cfg.load_from = checkpoint
    cfg.resume = True

    seed = checkpoint_seed(checkpoint)
    randomness = cfg.get('randomness') or dict(seed=None)
    if seed is not None and randomness.get('seed') != seed:
        if randomness.get('seed') is not None:
            print_log(
                f"The config's seed {randomness.get('seed')} is replaced by the seed "
                f'{seed} of {checkpoint}, so that the resumed run continues the interrupted '
                'one',
                logger='current',
                level=logging.WARNING,
            )
        cfg.randomness = dict(randomness, seed=seed)
    return checkpoint


def resumes_from_checkpoint(runner) -> bool:
    """Whether the runner resumes training from a checkpoint (rather than loading weights
    into a new run). A stand-in runner without MMEngine's attributes does not."""
    cfg = getattr(runner, 'cfg', None) or {}
    if not getattr(runner, '_resume', cfg.get('resume', False)):
        return False
    load_from = getattr(runner, '_load_from', None) or cfg.get('load_from')
    return bool(load_from) or last_checkpoint(runner.work_dir) is not None
