"""The checkpoint tools accept a training run's work dir and name what is missing, and keep
standard output for their results: resolve_checkpoint, tools/infer.py, tools/test.py,
tools/model_converters/export_encoder.py and publish_model.py."""

import subprocess
from pathlib import Path

import pytest
import torch
from conftest import PYTHON, REPO_ROOT, make_word_images, python_env

from seqclr_mmocr.utils.work_dir_checkpoint import resolve_checkpoint

RECOGNIZER = 'configs/own_data/supervised_ctc_small-resnet-bilstm_4000it_own-data.py'


def touch(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'')
    return str(path)


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, *args],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_checkpoint_file_is_taken_as_given(tmp_path):
    assert resolve_checkpoint(str(tmp_path / 'iter_4.pth')) == str(tmp_path / 'iter_4.pth')


def test_a_work_dir_stands_for_its_best_checkpoint_else_its_last(tmp_path):
    last = touch(tmp_path / 'iter_4.pth')
    (tmp_path / 'last_checkpoint').write_text(last)
    assert resolve_checkpoint(str(tmp_path)) == last
    best = touch(tmp_path / 'best_OwnData_recog_cer_iter_2.pth')
    assert resolve_checkpoint(str(tmp_path)) == best
    assert resolve_checkpoint(str(tmp_path), prefer_best=False) == last


def test_a_moved_work_dir_finds_its_last_checkpoint_beside_the_pointer(tmp_path):
    touch(tmp_path / 'iter_4.pth')
    (tmp_path / 'last_checkpoint').write_text('/elsewhere/run/iter_4.pth')
    assert resolve_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_4.pth')


@pytest.mark.parametrize('path', ['', '  '])
def test_an_empty_path_is_refused_with_the_reason(path):
    with pytest.raises(ValueError, match='empty checkpoint path.*last_checkpoint'):
        resolve_checkpoint(path)


def test_a_work_dir_without_checkpoints_names_its_missing_last_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match=f'{tmp_path}/last_checkpoint not found'):
        resolve_checkpoint(str(tmp_path))


def test_a_last_checkpoint_naming_a_missing_file_is_named(tmp_path):
    (tmp_path / 'last_checkpoint').write_text('/elsewhere/iter_9.pth')
    with pytest.raises(FileNotFoundError, match="names '/elsewhere/iter_9.pth'"):
        resolve_checkpoint(str(tmp_path))


def test_several_best_checkpoints_are_refused_rather_than_guessed(tmp_path):
    touch(tmp_path / 'best_a_iter_2.pth')
    touch(tmp_path / 'best_b_iter_3.pth')
    with pytest.raises(ValueError, match='several best checkpoints'):
        resolve_checkpoint(str(tmp_path))


@pytest.mark.parametrize(
    'tool', ['tools/model_converters/export_encoder.py', 'tools/model_converters/publish_model.py']
)
def test_the_converters_name_the_missing_last_checkpoint_of_a_failed_run(tool, tmp_path):
    run = run_tool(tool, str(tmp_path), str(tmp_path / 'out.pth'))
    assert run.returncode == 1
    assert f'ERROR: {tmp_path}/last_checkpoint not found' in run.stderr
    assert not (tmp_path / 'out.pth').exists()


@pytest.fixture(scope='module')
def trained_work_dir(tmp_path_factory):
    """A work dir as training leaves it: a recognizer checkpoint and last_checkpoint."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    import seqclr_mmocr  # noqa: F401

    work_dir = tmp_path_factory.mktemp('run')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(str(REPO_ROOT / RECOGNIZER)).model)
    checkpoint = work_dir / 'iter_2.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict(iter=2)), checkpoint)
    (work_dir / 'last_checkpoint').write_text(str(checkpoint))
    return work_dir


@pytest.mark.slow
def test_publish_prints_only_the_published_path_on_stdout(trained_work_dir, tmp_path):
    run = run_tool(
        'tools/model_converters/publish_model.py',
        str(trained_work_dir),
        str(tmp_path / 'my_recognizer.pth'),
    )
    assert run.returncode == 0, run.stderr
    (published,) = run.stdout.splitlines()
    assert Path(published).is_file()
    assert Path(published).name.startswith('my_recognizer-') and published.endswith('.pth')
    assert f'Published {trained_work_dir}/iter_2.pth' in run.stderr


@pytest.mark.slow
def test_infer_keeps_stdout_for_predictions_and_reads_a_work_dir(trained_work_dir, tmp_path):
    make_word_images(tmp_path, num=3, seed=0, split='new')
    images = tmp_path / 'imgs' / 'new'
    run = run_tool('tools/infer.py', RECOGNIZER, str(trained_work_dir), str(images))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split('\t')[0] for line in lines] == [
        str(images / f'{i:04d}.png') for i in range(3)
    ], run.stdout
    assert all(len(line.split('\t')) == 3 for line in lines)
    assert '3 image(s) recognised' in run.stderr
