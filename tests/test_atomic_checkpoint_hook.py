"""AtomicCheckpointHook never loses the last good checkpoint (issue 10, item 4)."""

import errno
import uuid
from pathlib import Path

import pytest
import torch
from mmengine.fileio.backends.local_backend import LocalBackend
from mmengine.model import BaseModel
from mmengine.runner import Runner

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.engine.hooks import AtomicCheckpointHook, CheckpointSaveError
from seqclr_mmocr.utils import safe_torch_load


class ToyModel(BaseModel):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(torch.stack(inputs))
        if mode == 'loss':
            return dict(loss=(out - torch.stack(data_samples)).pow(2).mean())
        return out


def toy_runner(work_dir: Path, max_iters: int, **hook_args) -> Runner:
    data = [(torch.randn(2), torch.randn(1)) for _ in range(8)]
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='InfiniteSampler', shuffle=False),
            batch_size=2,
            collate_fn=dict(type='pseudo_collate'),
        ),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(checkpoint=dict(type=AtomicCheckpointHook, by_epoch=False, **hook_args)),
        default_scope='mmocr',
        experiment_name=f'atomic_ckpt_{uuid.uuid4().hex}',
        log_level='WARNING',
    )


@pytest.fixture
def full_disk_from_iter_4(monkeypatch):
    """Writing any iter_4 checkpoint fails half-way with ENOSPC, as on a full disk."""
    put = LocalBackend.put

    def failing_put(self, obj, filepath):
        if 'iter_4' in str(filepath):
            with open(filepath, 'wb') as f:
                f.write(obj[: len(obj) // 2])
            raise OSError(errno.ENOSPC, 'No space left on device', str(filepath))
        return put(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', failing_put)


def test_failed_save_keeps_previous_checkpoint_and_last_checkpoint_pointer(
    tmp_path, full_disk_from_iter_4
):
    work_dir = tmp_path / 'work'
    runner = toy_runner(work_dir, max_iters=6, interval=2, max_keep_ckpts=1)
    with pytest.raises(CheckpointSaveError) as err:
        runner.train()
    assert str(work_dir) in str(err.value)
    assert 'No space left on device' in str(err.value)
    # iter_2 survives whole, last_checkpoint points at it, and no partial file is left.
    assert (work_dir / 'last_checkpoint').read_text() == str(work_dir / 'iter_2.pth')
    assert int(safe_torch_load(str(work_dir / 'iter_2.pth'))['meta']['iter']) == 2
    assert sorted(p.name for p in work_dir.glob('*.pth*')) == ['iter_2.pth']


def test_resume_after_a_failed_save_continues_from_the_kept_checkpoint(
    tmp_path, full_disk_from_iter_4, monkeypatch
):
    work_dir = tmp_path / 'work'
    with pytest.raises(CheckpointSaveError):
        toy_runner(work_dir, max_iters=6, interval=2, max_keep_ckpts=1).train()
    monkeypatch.undo()  # space freed
    runner = toy_runner(work_dir, max_iters=6, interval=2, max_keep_ckpts=1)
    runner._resume = True
    runner.train()
    assert sorted(p.name for p in work_dir.glob('*.pth*')) == ['iter_6.pth']
    assert (work_dir / 'last_checkpoint').read_text() == str(work_dir / 'iter_6.pth')


def test_max_keep_ckpts_still_retires_old_checkpoints_after_saving(tmp_path):
    work_dir = tmp_path / 'work'
    toy_runner(work_dir, max_iters=8, interval=2, max_keep_ckpts=2).train()
    assert sorted(p.name for p in work_dir.glob('*.pth*')) == ['iter_6.pth', 'iter_8.pth']
    assert (work_dir / 'last_checkpoint').read_text() == str(work_dir / 'iter_8.pth')
    ckpt = safe_torch_load(str(work_dir / 'iter_8.pth'))
    assert ckpt['message_hub']['runtime_info']['keep_ckpt_ids'] == [6, 8]


def test_train_tool_swaps_a_plain_checkpoint_hook_for_the_atomic_one():
    from mmengine.config import Config

    from seqclr_mmocr.engine.hooks import use_atomic_checkpoint_hook

    cfg = Config(dict(default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=3))))
    use_atomic_checkpoint_hook(cfg)
    assert cfg.default_hooks.checkpoint == dict(type='mmocr.AtomicCheckpointHook', interval=3)


@pytest.mark.parametrize(
    'config',
    ['configs/_base_/default_runtime.py', 'configs/_base_/pretrain_runtime.py'],
)
def test_runtime_base_configs_use_the_atomic_checkpoint_hook(config):
    from mmengine.config import Config

    root = Path(__file__).resolve().parents[1]
    cfg = Config.fromfile(str(root / config))
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'


def best_runner(work_dir: Path, max_iters: int) -> Runner:
    from mmengine.evaluator import BaseMetric

    class Improving(BaseMetric):
        """A score that grows at every validation, so each one saves a new best."""

        calls = 0

        def process(self, data_batch, data_samples):
            self.results.append(0)

        def compute_metrics(self, results):
            Improving.calls += 1
            return dict(score=float(Improving.calls))

    runner = toy_runner(
        work_dir, max_iters, interval=2, max_keep_ckpts=1, save_best='score', rule='greater'
    )
    data = [(torch.randn(2), torch.randn(1)) for _ in range(2)]
    runner._val_dataloader = dict(
        dataset=data,
        sampler=dict(type='DefaultSampler', shuffle=False),
        batch_size=2,
        collate_fn=dict(type='pseudo_collate'),
    )
    runner._val_evaluator = [Improving()]
    runner._val_loop = dict(type='ValLoop')
    runner._train_loop = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=2)
    return runner


def test_failed_save_of_a_new_best_keeps_the_previous_best(tmp_path, monkeypatch):
    work_dir = tmp_path / 'work'
    put = LocalBackend.put

    def failing_put(self, obj, filepath):
        if 'best_score_iter_4' in str(filepath):
            raise OSError(errno.ENOSPC, 'No space left on device', str(filepath))
        return put(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', failing_put)
    with pytest.raises(CheckpointSaveError):
        best_runner(work_dir, max_iters=6).train()
    assert sorted(p.name for p in work_dir.glob('best_*')) == ['best_score_iter_2.pth']
    assert int(safe_torch_load(str(work_dir / 'best_score_iter_2.pth'))['meta']['iter']) == 2
