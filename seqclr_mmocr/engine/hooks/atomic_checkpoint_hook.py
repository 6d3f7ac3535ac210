"""A ``CheckpointHook`` that never loses the last good checkpoint."""

import os
import os.path as osp
from typing import Any, Callable, List

from mmengine.dist import all_reduce_params, is_distributed, is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook, SyncBuffersHook
from mmengine.runner import IterBasedTrainLoop
from mmocr.registry import HOOKS


class CheckpointSaveError(RuntimeError):
    """A checkpoint could not be written (full disk, lost mount, ...)."""


# Errors of the save call itself, not of writing the file.
_CALL_ERRORS = (TypeError, ValueError, KeyError, AttributeError, NameError)


class _AtomicSaveRunner:
    """Stands in for the runner inside :class:`CheckpointHook`'s own code: every attribute
    is the runner's, except ``save_checkpoint``, which is the hook's atomic save."""

    def __init__(self, runner, save: Callable) -> None:
        self._runner = runner
        self.save_checkpoint = save

    def __getattr__(self, name: str) -> Any:
        return getattr(self._runner, name)


class _DeferredRemoval:
    """Stands in for the hook's file backend while a new best checkpoint is saved: removals
    are queued, to run only once the new checkpoint is in place."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.queued: List[tuple] = []

    def remove(self, path: str) -> None:
        self.queued.append(('remove', path))

    def rmtree(self, path: str) -> None:
        self.queued.append(('rmtree', path))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """MMEngine's :class:`~mmengine.hooks.CheckpointHook`, with saving made safe.

    MMEngine deletes the checkpoint that ``max_keep_ckpts`` (or a better ``save_best``
    score) retires *before* it writes the new one, and writes in place. With
    ``max_keep_ckpts=1``, a save that fails (full disk, killed job) leaves no checkpoint at
    all, and ``last_checkpoint`` points at a deleted file. Here, on a local work dir:

    - each checkpoint is written to ``<name>.tmp``, flushed to disk, and renamed to its
      name (``os.replace``, atomic on POSIX), so a checkpoint file is whole or absent;
    - ``last_checkpoint`` is rewritten the same way, after the checkpoint is in place;
    - retired checkpoints (``max_keep_ckpts``, a superseded best) are deleted only then;
    - a failed save removes its temporary file and ends the run with a
      :class:`CheckpointSaveError` naming the checkpoint and the work dir; the previous
      checkpoint and ``last_checkpoint`` are untouched, so ``--resume`` continues from it.

    Distributed, with MMEngine's ``SyncBuffersHook`` (MMOCR's default runtime has it),
    the buffers (BatchNorm statistics) are averaged over ranks before an iteration-based
    checkpoint is saved, as ``SyncBuffersHook`` would do before a validation of the same
    iteration. Otherwise the checkpoint holds rank 0's unsynchronised statistics, and a run
    resumed from it differs from the uninterrupted run, which synchronised them.

    Arguments, behaviour and the files written are those of ``CheckpointHook``; on a
    remote backend (``backend_args`` for Ceph, say) it saves as ``CheckpointHook`` does.

    Example:
        >>> default_hooks = dict(checkpoint=dict(
        ...     type='AtomicCheckpointHook', by_epoch=False, interval=200,
        ...     max_keep_ckpts=1, save_last=True))
    """

    def _is_local(self) -> bool:
        backend = getattr(self, 'file_backend', None)
        return isinstance(getattr(backend, '_backend', backend), LocalBackend)

    def _save_atomically(self, runner, out_dir: str, filename: str, *args, **kwargs) -> None:
        """``runner.save_checkpoint`` through a temporary file and an atomic rename."""
        if not self._is_local():
            runner.save_checkpoint(out_dir, filename, *args, **kwargs)
            return
        final = osp.join(out_dir, filename)
        temporary = final + '.tmp'
        try:
            runner.save_checkpoint(out_dir, filename + '.tmp', *args, **kwargs)
            if is_main_process():
                with open(temporary, 'rb+') as f:
                    os.fsync(f.fileno())
                os.replace(temporary, final)
        except Exception as err:
            if is_main_process() and osp.exists(temporary):
                os.remove(temporary)
            # A failed write (full disk: OSError, or torch's RuntimeError) is cured by
            # resuming once there is space; an error of the call itself (an argument that
            # save_checkpoint does not take, say) would stop the resumed run the same way.
            advice = (
                'this is not a write error, so a resumed run would fail the same way: fix its '
                'cause (an argument of the checkpoint hook?) first'
                if isinstance(err, _CALL_ERRORS)
                else 'free space and resume with --resume'
            )
            raise CheckpointSaveError(
                f'Could not save checkpoint {final} in work dir {runner.work_dir}: '
                f'{type(err).__name__}: {err}. The previous checkpoint '
                f'({self._previous_checkpoint(runner)}) and last_checkpoint are kept; '
                f'{advice}.'
            ) from err

    @staticmethod
    def _previous_checkpoint(runner) -> str:
        path = osp.join(runner.work_dir, 'last_checkpoint')
        if not osp.isfile(path):
            return 'none saved yet'
        with open(path) as f:
            return f.read().strip() or 'none saved yet'

    def _write_last_checkpoint(self, runner) -> None:
        path = osp.join(runner.work_dir, 'last_checkpoint')
        try:
            with open(path + '.tmp', 'w') as f:
                f.write(self.last_ckpt)
                f.flush()
                os.fsync(f.fileno())
            os.replace(path + '.tmp', path)
        except OSError as err:
            raise CheckpointSaveError(
                f'Could not update {path} in work dir {runner.work_dir}: {err}; checkpoint '
                f'{self.last_ckpt} was saved'
            ) from err

    def _remove(self, path: str) -> None:
        if self.file_backend.isfile(path):
            self.file_backend.remove(path)
        elif self.file_backend.isdir(path):  # DeepSpeed saves directories
            self.file_backend.rmtree(path)

    @staticmethod
    def _sync_buffers_before_saving(runner) -> None:
        """Average the buffers over ranks, once, where ``SyncBuffersHook`` is in use."""
        if not is_distributed():
            return
        hook = next((h for h in runner.hooks if isinstance(h, SyncBuffersHook)), None)
        if hook is None or hook.called_in_train:
            return
        all_reduce_params(runner.model.buffers(), op='mean')
        loop = runner.train_loop
        step = runner.iter + 1
        if (
            isinstance(loop, IterBasedTrainLoop)
            and runner.val_loop is not None
            and step >= loop.val_begin
            and (step % loop.val_interval == 0 or step == loop.max_iters)
        ):
            # The validation right after this iteration must not average them again (a
            # second mean of equal values is not always exact).
            hook.called_in_train = True

    def _save_checkpoint_with_step(self, runner, step, meta):
        # CheckpointHook._save_best_checkpoint calls this with the stand-in runner, after a
        # validation, whose SyncBuffersHook has just averaged the buffers.
        after_validation = isinstance(runner, _AtomicSaveRunner)
        runner = runner._runner if after_validation else runner
        if not self._is_local():
            return super()._save_checkpoint_with_step(runner, step, meta)
        retired = []
        # The ids are updated before saving, as MMEngine does, so that the checkpoint's
        # message hub lists itself; the retired file is deleted after the save.
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                retired.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))

        if not (self.by_epoch or after_validation):
            self._sync_buffers_before_saving(runner)
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        self._save_atomically(
            runner,
            self.out_dir,
            ckpt_filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args,
        )
        if not is_main_process():
            return
        self._write_last_checkpoint(runner)
        for old_step in retired:
            old = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(old_step))
            if old != self.last_ckpt:
                self._remove(old)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        if not self._is_local():
            return super()._save_best_checkpoint(runner, metrics)
        backend = self.file_backend
        deferred = _DeferredRemoval(backend)
        proxy = _AtomicSaveRunner(
            runner,
            lambda out_dir, filename, *args, **kwargs: self._save_atomically(
                runner, out_dir, filename, *args, **kwargs
            ),
        )
        self.file_backend = deferred
        try:
            super()._save_best_checkpoint(proxy, metrics)
        finally:
            self.file_backend = backend
        if is_main_process():
            for kind, path in deferred.queued:
                getattr(backend, kind)(path)


def use_atomic_checkpoint_hook(cfg) -> None:
    """Swap MMEngine's plain ``CheckpointHook`` in ``cfg.default_hooks`` for
    :class:`AtomicCheckpointHook` (same arguments), so that no config loses its last
    checkpoint to a failed save."""
    hook = (cfg.get('default_hooks') or {}).get('checkpoint')
    if hook and hook.get('type') in ('CheckpointHook', 'mmengine.CheckpointHook', CheckpointHook):
        hook['type'] = 'mmocr.AtomicCheckpointHook'
