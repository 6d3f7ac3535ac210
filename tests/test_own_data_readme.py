"""The README section "Your own data", run as written on a small generated folder.

The commands of the section's bash block run in a temporary directory laid out like the
repository (``configs``, ``tools``, ``seqclr_mmocr`` and ``.venv`` linked), with
``data/my_words`` (unlabelled images, labelled images and ``labels.txt``) and
``data/new_words`` (new images and a stray text file) generated there. Only the iteration
counts change: every ``tools/train.py`` command gets ``--cfg-options`` for 2 iterations.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, make_word_images, python_env

pytestmark = pytest.mark.slow

TINY_TRAINING = (
    '--cfg-options train_cfg.max_iters=2 train_cfg.val_interval=2 '
    'default_hooks.checkpoint.interval=2 default_hooks.logger.interval=1 '
    'train_dataloader.num_workers=0'
)


def readme_block(section: str = '## Your own data') -> str:
    """The first bash block of a README section."""
    readme = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
    text = readme.split(section + '\n', 1)[1].split('\n## ', 1)[0]
    return re.search(r'```bash\n(.*?)```', text, re.S).group(1)


def with_tiny_training(block: str) -> str:
    """The block with continuation lines joined and 2 iterations per training."""
    lines = block.replace('\\\n', ' ').splitlines()
    return (
        '\n'.join(
            line + ' ' + TINY_TRAINING if 'tools/train.py' in line else line for line in lines
        )
        + '\n'
    )


def make_own_data(root: Path) -> None:
    """``data/my_words`` as the README asks for it, and ``data/new_words``."""
    words = root / 'data' / 'my_words'
    make_word_images(words, num=24, seed=1, split='unlabeled')
    make_word_images(words, num=20, seed=2, split='labeled')
    shutil.move(str(words / 'imgs' / 'unlabeled'), str(words / 'unlabeled'))
    shutil.move(str(words / 'imgs' / 'labeled'), str(words / 'labeled'))
    ann = json.loads((words / 'textrecog_labeled.json').read_text())
    (words / 'labels.txt').write_text(
        ''.join(
            f'{item["img_path"].replace("imgs/", "")} {item["instances"][0]["text"]}\n'
            for item in ann['data_list']
        )
    )
    for name in ('textrecog_labeled.json', 'textrecog_unlabeled.json'):
        (words / name).unlink()
    (words / 'imgs').rmdir()
    new = root / 'data' / 'new'
    make_word_images(new, num=4, seed=3, split='words')
    shutil.move(str(new / 'imgs' / 'words'), str(root / 'data' / 'new_words'))
    shutil.rmtree(new)
    (root / 'data' / 'new_words' / 'notes.txt').write_text('not an image\n')


def test_the_own_data_section_runs_from_a_folder_to_predictions(tmp_path):
    for name in ('configs', 'tools', 'seqclr_mmocr'):
        (tmp_path / name).symlink_to(REPO_ROOT / name)
    (tmp_path / '.venv').symlink_to(Path(sys.prefix))
    make_own_data(tmp_path)
    script = with_tiny_training(readme_block())
    assert script.count(TINY_TRAINING) == 3

    env = python_env()
    env.update(MPLBACKEND='Agg', PYTHONWARNINGS='ignore')
    env.pop('OWN_DATA', None)
    proc = subprocess.run(
        ['bash', '-euo', 'pipefail', '-c', script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]

    # infer.py: one line per image, the stray file skipped and counted
    lines = [line.split('\t') for line in proc.stdout.splitlines() if line.count('\t') == 2]
    assert sorted(Path(file).name for file, _, _ in lines) == [
        '0000.png',
        '0001.png',
        '0002.png',
        '0003.png',
    ]
    assert all(0.0 <= float(score) <= 1.0 for _, _, score in lines)
    assert 'notes.txt: not an image, skipped' in proc.stderr
    assert '4 image(s) recognised, 1 non-image file(s) skipped' in proc.stderr
    infer_dir = tmp_path / 'work_dirs' / 'my_words_infer'
    predictions = json.loads((infer_dir / 'predictions.json').read_text())
    assert len(predictions['predictions']) == 4 and len(predictions['skipped']) == 1
    assert len(list((infer_dir / 'vis').iterdir())) == 4

    # the table: the fine-tuning from the SeqCLR encoder and the supervised baseline
    results = (tmp_path / 'work_dirs' / 'my_words_results' / 'results.md').read_text()
    every_run = results.split('## Every run')[1].split('## Runs')[0]
    assert '| seqclr-window | finetune | ctc | 100% | own-data |' in every_run
    assert '| supervised | finetune | ctc | 100% | own-data |' in every_run
    assert '1 pretraining run(s) not tabled' in proc.stderr

    # the checkpoint to ship
    published = list((tmp_path / 'work_dirs' / 'my_words').glob('my_recognizer-*.pth'))
    assert len(published) == 1 and re.fullmatch(
        r'my_recognizer-[0-9a-f]{8}\.pth', published[0].name
    )
