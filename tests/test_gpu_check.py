"""The GPU check (tools/gpu/): its dry run on the CPU, its time budget, the wheel-set check,
the imgaug edit for numpy 2, the mmcv ops counter, and the autocast bug it found."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT, python_env

sys.path.insert(0, str(REPO_ROOT / 'tools' / 'gpu'))
import check_wheels  # noqa: E402
import patch_imgaug  # noqa: E402

GPU_CHECK = REPO_ROOT / 'tools' / 'gpu' / 'gpu_check.sh'
STEPS = [
    'env',
    'install',
    'build_mmcv',
    'data',
    'mmcv_ops',
    'bench_fp32',
    'bench_amp',
    'bench_loss',
    'train_amp',
    'dist_nccl',
]


def run_gpu_check(out, *options, timeout=1200):
    env = python_env()
    env.pop('OUT', None)
    return subprocess.run(
        ['bash', str(GPU_CHECK), '--dry-run', '--out', str(out), *options],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_dry_run_runs_every_step_and_writes_every_figure(tmp_path):
    proc = run_gpu_check(tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-5000:]
    result = json.loads((tmp_path / 'gpu_check.json').read_text())
    assert result['mode'] == 'dry-run'
    assert list(result['steps']) == STEPS
    assert {name: s['status'] for name, s in result['steps'].items()} == dict.fromkeys(STEPS, 'ok')
    # The device, torch and CUDA versions come first, in the log too.
    log = (tmp_path / 'gpu_check.log').read_text().splitlines()
    assert log[0].startswith('device: ') and log[1] == f'torch: {torch.__version__}'
    assert log[2] == f'CUDA: {torch.version.cuda}'
    assert result['env']['torch'] == torch.__version__
    # The paper encoder's iteration runs no op of mmcv._ext.
    assert result['mmcv_ops']['mmcv_ext_calls'] == {}
    assert result['mmcv_ops']['config'].endswith('tps-resnet31-bilstm_200k_iam.py')
    aug = result['bench_fp32']['augmentation']
    assert aug['imgaug'] > 0 and aug['batched_cpu'] > 0
    for key in ('bench_fp32', 'bench_amp'):
        iteration = result[key]['iteration']
        assert iteration['batch_size'] == 2
        assert all(
            iteration[part] > 0
            for part in ('augmentation', 'encoder_fwd_bwd', 'head_mapper_loss', 'full_iteration')
        )
    assert result['bench_fp32']['iteration']['amp'] is None
    assert result['bench_amp']['iteration']['amp'] == 'bfloat16'
    [row] = result['bench_loss']['loss']
    assert row['M'] == 256 and row['dense']['peak_bytes'] > 0 and row['lean']['seconds'] > 0
    assert result['train_amp']['last_logged_iter'] == 2
    assert result['train_amp']['distributed'] is False
    assert result['dist_nccl']['last_logged_iter'] == 2
    assert result['dist_nccl']['distributed'] is True
    assert result['dist_nccl']['dist_backend'] == 'gloo'  # NCCL on a GPU


@pytest.mark.slow
def test_budget_skips_the_steps_it_cannot_hold_and_fails(tmp_path):
    proc = run_gpu_check(tmp_path, '--budget', '1', timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    steps = json.loads((tmp_path / 'gpu_check.json').read_text())['steps']
    assert {name: s['status'] for name, s in steps.items() if name != 'env'} == {
        'install': 'skipped',
        'build_mmcv': 'skipped',
    } | dict.fromkeys(STEPS[3:], 'skipped')
    assert 'skipped' in proc.stdout


def fake_wheels(folder, specs):
    folder.mkdir(exist_ok=True)
    for name, version, requires in specs:
        check_wheels.make_stub_wheel(str(folder), name, version, requires)
    return folder


def test_wheel_check_accepts_a_complete_set(tmp_path):
    folder = fake_wheels(
        tmp_path / 'whl', [('mmocr', '1.0.1', ['lmdb', 'numpy>=1.2']), ('lmdb', '1.7.5', [])]
    )
    assert check_wheels.check(str(folder), 60, '3.12') == []


def test_wheel_check_names_a_missing_dependency(tmp_path):
    folder = fake_wheels(tmp_path / 'whl', [('mmocr', '1.0.1', ['lmdb', 'numpy'])])
    [problem] = check_wheels.check(str(folder), 60, '3.12')
    assert 'could not resolve' in problem and 'lmdb' in problem


def test_wheel_check_refuses_two_versions_an_image_package_and_too_many_mib(tmp_path):
    folder = fake_wheels(
        tmp_path / 'whl', [('lmdb', '1.7.5', []), ('lmdb', '1.7.4', []), ('numpy', '1.26.4', [])]
    )
    problems = check_wheels.check(str(folder), 0.0001, '3.12')
    assert any('a second version of lmdb' in p for p in problems), problems
    assert any('the image already provides numpy' in p for p in problems), problems
    assert any('over the 0.0001 MiB limit' in p for p in problems), problems


def test_wheel_check_refuses_a_wheel_for_another_python(tmp_path):
    folder = tmp_path / 'whl'
    folder.mkdir()
    stub = check_wheels.make_stub_wheel(str(folder), 'lmdb', '1.7.5')
    os.rename(stub, folder / 'lmdb-1.7.5-cp311-cp311-manylinux_2_17_x86_64.whl')
    [problem] = check_wheels.check(str(folder), 60, '3.12')
    assert 'lmdb' in problem and 'could not resolve' in problem


def test_imgaug_edit_keeps_numpy1_type_sets_and_is_idempotent(tmp_path):
    import imgaug

    copy = tmp_path / 'imgaug'
    shutil.copytree(os.path.dirname(imgaug.__file__), copy)
    assert patch_imgaug.patch(str(copy)) == 5
    assert 'np.sctypes' not in (copy / 'imgaug.py').read_text()
    assert patch_imgaug.patch(str(copy)) == 0
    # The edited copy imports and holds the sets numpy 1.x's np.sctypes gave.
    code = (
        'import numpy as np, imgaug.imgaug as ia; '
        'assert ia.NP_FLOAT_TYPES == set(np.sctypes["float"]); '
        'assert ia.NP_INT_TYPES == set(np.sctypes["int"]); '
        'assert ia.NP_UINT_TYPES == set(np.sctypes["uint"]); '
        'assert ia.__file__.startswith(%r)' % str(copy)
    )
    env = python_env()
    env['PYTHONPATH'] = str(tmp_path) + os.pathsep + env['PYTHONPATH']
    proc = subprocess.run(
        [sys.executable, '-c', code], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_imgaug_edit_names_the_file_it_cannot_edit(tmp_path):
    (tmp_path / 'imgaug.py').write_text('NP_FLOAT_TYPES = set()\n')
    (tmp_path / 'parameters.py').write_text('')
    with pytest.raises(ValueError, match='imgaug.py'):
        patch_imgaug.patch(str(tmp_path))


def test_mmcv_ops_counter_sees_an_op_call():
    import mmcv._ext as ext
    from check_mmcv_ops import count_ext_calls
    from mmcv.ops import nms

    original = ext.nms
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
    with count_ext_calls() as calls:
        nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
    assert calls == {'nms': 1}
    assert ext.nms is original


def test_batch_augment_under_autocast_computes_as_without_it():
    """MMEngine's --amp runs the data preprocessor under autocast; the views must not
    change (and the piecewise-affine path raised a dtype error under CPU autocast)."""
    from seqclr_mmocr.models.utils.batch_augments import BatchSeqCLRAugment

    images = torch.rand(64, 1, 32, 100) * 255
    # A module built anew after the same seed repeats its draws (the training views are
    # keyed by seed, iteration and call count, issue 10).
    torch.manual_seed(0)
    plain = BatchSeqCLRAugment()(images)
    torch.manual_seed(0)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        autocast = BatchSeqCLRAugment()(images)
    assert autocast.dtype == torch.float32
    torch.testing.assert_close(autocast, plain, rtol=0, atol=0)


def test_gpu_check_pretraining_config_is_the_paper_encoder_with_batched_views():
    from mmengine import Config

    cfg = Config.fromfile(str(REPO_ROOT / 'tools' / 'gpu' / 'seqclr_pretrain_gpu_check.py'))
    assert cfg.model.preprocessor.type == 'STN'  # MMOCR's TPS
    assert cfg.model.data_preprocessor.view_augment.type == 'BatchSeqCLRAugment'
    assert [t['type'] for t in cfg.train_dataloader.dataset.pipeline] == [
        'LoadImageSafe',
        'Resize',
        'PackSeqCLRInputs',
    ]
    assert cfg.train_dataloader.dataset.datasets[0].type == 'ImageFolderDataset'
    assert cfg.optim_wrapper.type == 'OptimWrapper'  # tools/train.py --amp switches it
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'
    assert cfg.default_hooks.checkpoint.save_last is False
