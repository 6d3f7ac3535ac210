"""``tools/train.py --resume`` continues an interrupted fine-tuning run from the work dir's last
checkpoint, whatever ``load_from`` (the pretrained encoder) says, skips the encoder check, and
repeats the uninterrupted run bit for bit (issue 36, item 1)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from conftest import KILL_HOOK, PYTHON, REPO_ROOT, make_word_images, python_env
from mmengine.config import Config

FINETUNE_CONFIG = 'configs/own_data/finetune_ctc_small-resnet-bilstm_4000it_own-data.py'
DECODER_EVAL_CONFIG = 'configs/own_data/decoder-eval_ctc_small-resnet-bilstm_800it_own-data.py'


def write_own_data(root: Path) -> Path:
    """An own-data folder in the default plain-text format: {train,val,test}.txt."""
    for seed, (split, num) in enumerate([('train', 16), ('val', 4), ('test', 4)]):
        make_word_images(root, num=num, seed=seed, split=split)
        ann = json.loads((root / f'textrecog_{split}.json').read_text())
        (root / f'{split}.txt').write_text(
            ''.join(f'{d["img_path"]} {d["instances"][0]["text"]}\n' for d in ann['data_list'])
        )
    return root


def write_encoder(config: str, path: Path, own_data: Path, monkeypatch) -> Path:
    """A stand-in for a pretrained encoder: the config's model, freshly initialised."""
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    import seqclr_mmocr  # noqa: F401

    monkeypatch.setenv('OWN_DATA', str(own_data))
    init_default_scope('mmocr')
    torch.manual_seed(1)
    model = MODELS.build(Config.fromfile(str(REPO_ROOT / config)).model)
    model.init_weights()
    torch.save(dict(state_dict=model.state_dict()), path)
    return path


def options(encoder=None) -> list:
    opts = [
        '--cfg-options',
        'train_cfg.max_iters=4',
        'train_cfg.val_interval=100',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1',
        'randomness.seed=0',
        'train_dataloader.batch_size=4',
        'train_dataloader.num_workers=0',
        'val_dataloader.num_workers=0',
        'test_dataloader.num_workers=0',
    ]
    return opts + ([f'load_from={encoder}'] if encoder else [])


def killed_config(tmp_path: Path, config: str, at: int) -> Path:
    """``config`` plus a hook that kills the process after iteration ``at``."""
    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    killed = tmp_path / 'killed.py'
    killed.write_text(
        f"_base_ = ['{REPO_ROOT / config}']\n"
        "custom_imports = dict(imports=['seqclr_mmocr', 'kill_hook'], "
        'allow_failed_imports=False)\n'
        "custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True), "
        f"dict(type='KillAfterIter', at={at})]\n"
    )
    return killed


def state_dict(path: Path) -> dict:
    from seqclr_mmocr.utils import safe_torch_load

    return safe_torch_load(str(path), map_location='cpu')['state_dict']


def assert_same_weights(expected: Path, got: Path) -> None:
    expected, got = state_dict(expected), state_dict(got)
    assert expected.keys() == got.keys()
    differing = [key for key, value in expected.items() if not torch.equal(value, got[key])]
    assert not differing, f'{len(differing)} tensors differ after resuming: {differing[:5]}'


def run_with_env(args: list, env: dict) -> str:
    proc = subprocess.run(
        [PYTHON] + args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f'command failed ({proc.returncode}): {args}\n{output[-5000:]}'
    return output


@pytest.mark.slow
@pytest.mark.parametrize('config', [FINETUNE_CONFIG, DECODER_EVAL_CONFIG])
def test_interrupted_run_with_load_from_resumes_bit_exactly(tmp_path, monkeypatch, config):
    own_data = write_own_data(tmp_path / 'own')
    encoder = write_encoder(config, tmp_path / 'encoder.pth', own_data, monkeypatch)
    env = dict(python_env(), OWN_DATA=str(own_data))
    full, resumed = tmp_path / 'full', tmp_path / 'resumed'
    train = ['tools/train.py', config, '--work-dir']

    run_with_env(train + [str(full)] + options(encoder), env)
    killed_env = dict(env, PYTHONPATH=f'{tmp_path}:{env["PYTHONPATH"]}')
    killed = subprocess.run(
        [PYTHON, 'tools/train.py', str(killed_config(tmp_path, config, at=2))]
        + ['--work-dir', str(resumed)]
        + options(encoder),
        cwd=REPO_ROOT, env=killed_env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert killed.returncode == 3, (killed.stdout + killed.stderr)[-3000:]
    assert (resumed / 'iter_2.pth').exists() and not (resumed / 'iter_4.pth').exists()
    without_load_from = tmp_path / 'resumed_without_load_from'
    shutil.copytree(resumed, without_load_from)

    # The same command + --resume, load_from still naming the encoder.
    output = run_with_env(train + [str(resumed), '--resume'] + options(encoder), env)
    assert 'Iter(train) [3/4]' in output and 'Iter(train) [1/4]' not in output
    assert 'encoder is neither checked nor loaded' in output
    assert_same_weights(full / 'iter_4.pth', resumed / 'iter_4.pth')

    # --resume without load_from: the encoder check must not ask for one.
    output = run_with_env(train + [str(without_load_from), '--resume'] + options(), env)
    assert 'Iter(train) [3/4]' in output
    assert_same_weights(full / 'iter_4.pth', without_load_from / 'iter_4.pth')


def test_resume_replaces_load_from_with_the_work_dirs_last_checkpoint(tmp_path):
    from seqclr_mmocr.utils.resume import prepare_resume

    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    cfg = Config(dict(work_dir=str(work_dir), load_from='encoder.pth', randomness=dict(seed=0)))
    # Nothing to resume yet: a new run, which loads the encoder.
    assert prepare_resume(cfg, 'auto') is None
    assert cfg.load_from == 'encoder.pth' and cfg.resume is False

    torch.save(dict(meta=dict(seed=0, iter=2), state_dict={}), work_dir / 'iter_2.pth')
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'iter_2.pth'))
    assert prepare_resume(cfg, 'auto') == str(work_dir / 'iter_2.pth')
    assert cfg.load_from == str(work_dir / 'iter_2.pth') and cfg.resume is True

    (work_dir / 'iter_2.pth').unlink()
    with pytest.raises(FileNotFoundError, match='last_checkpoint names .*iter_2.pth'):
        prepare_resume(cfg, 'auto')


def test_encoder_check_hook_is_skipped_when_resuming(tmp_path):
    from types import SimpleNamespace

    from seqclr_mmocr.engine.hooks import PretrainedEncoderCheckHook

    checkpoint = tmp_path / 'iter_2.pth'
    torch.save(dict(meta=dict(iter=2), state_dict={}), checkpoint)
    hook = PretrainedEncoderCheckHook()
    resuming = SimpleNamespace(
        _resume=True, _load_from=str(checkpoint), cfg=Config(), work_dir=str(tmp_path)
    )
    hook.before_run(resuming)  # no load_from check: it would fail on this checkpoint
    hook.before_train(SimpleNamespace(iter=2))

    new_run = SimpleNamespace(_resume=False, _load_from=None, cfg=Config(), work_dir='.')
    with pytest.raises(RuntimeError, match='no checkpoint to check'):
        PretrainedEncoderCheckHook().before_run(new_run)
