"""tools/test.py: --save-preds with MMOCR's MultiDatasetsEvaluator, --show-dir under the
work dir, and the training config in the work dir left alone."""

import os
import pickle
import subprocess

import pytest
from conftest import PYTHON, REPO_ROOT, make_word_images, python_env
from test_infer_tool import CONFIG, save_checkpoint

pytestmark = pytest.mark.slow

TRAINING_CONFIG_TEXT = "load_from = 'pretrain/encoder.pth'\n"


def run_test_tool(tmp_path, *options):
    data = tmp_path / 'own'
    if not (data / 'test.txt').exists():
        make_word_images(data, num=6, seed=0, split='test')
        (data / 'test.txt').write_text(''.join(f'imgs/test/{i:04d}.png word\n' for i in range(6)))
    checkpoint = tmp_path / 'iter_2.pth'
    if not checkpoint.exists():
        save_checkpoint(checkpoint)
    cwd = tmp_path / 'cwd'
    cwd.mkdir(exist_ok=True)
    env = python_env()
    env.update(OWN_DATA=str(data), MPLBACKEND='Agg', PYTHONWARNINGS='ignore')
    proc = subprocess.run(
        [
            PYTHON,
            str(REPO_ROOT / 'tools' / 'test.py'),
            CONFIG,
            str(checkpoint),
            '--work-dir',
            str(tmp_path / 'work'),
            '--cfg-options',
            'test_dataloader.num_workers=0',
            *options,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return tmp_path / 'work', cwd


@pytest.fixture(scope='module')
def tested(tmp_path_factory):
    """One tools/test.py run (its start-up costs seconds) with --save-preds and --show-dir
    into a work dir that already holds a training config, as a trained run's does."""
    tmp_path = tmp_path_factory.mktemp('test_tool')
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    (work_dir / os.path.basename(CONFIG)).write_text(TRAINING_CONFIG_TEXT)
    work_dir, cwd = run_test_tool(tmp_path, '--save-preds', '--show-dir', 'shows')
    return tmp_path, work_dir, cwd


def test_save_preds_dumps_every_prediction_with_a_multi_datasets_evaluator(tested):
    _, work_dir, _ = tested
    with open(work_dir / 'iter_2.pth_predictions.pkl', 'rb') as f:
        predictions = pickle.load(f)
    assert len(predictions) == 6
    assert all('pred_text' in p for p in predictions)


def test_show_dir_draws_under_the_work_dir_not_the_current_dir(tested):
    _, work_dir, cwd = tested
    drawn = list((work_dir / 'shows' / 'vis_data' / 'vis_image').glob('*.png'))
    assert len(drawn) == 6
    assert not (cwd / 'shows').exists()


def test_the_training_config_dumped_in_the_work_dir_is_kept(tested):
    tmp_path, work_dir, _ = tested
    name = os.path.basename(CONFIG)
    assert (work_dir / name).read_text() == TRAINING_CONFIG_TEXT
    dumped = (work_dir / name.replace('.py', '_test.py')).read_text()
    assert "load_from = '" + str(tmp_path / 'iter_2.pth') + "'" in dumped
