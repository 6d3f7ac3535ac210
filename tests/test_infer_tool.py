"""tools/infer.py: images, folders with stray files and globs, batched, blank scores 0."""

import importlib.util
import json

import pytest
import torch
from conftest import REPO_ROOT, make_word_images
from mmengine.config import Config
from mmengine.registry import DefaultScope

CONFIG = str(REPO_ROOT / 'configs/own_data/supervised_ctc_small-resnet-bilstm_4000it_own-data.py')


def load_tool():
    path = REPO_ROOT / 'tools' / 'infer.py'
    spec = importlib.util.spec_from_file_location('infer_tool', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


infer_tool = load_tool()


def save_checkpoint(path, blank: bool = False) -> str:
    """A randomly initialised CTC recognizer; with ``blank``, one that predicts only the
    CTC blank (so every prediction is empty)."""
    from mmocr.registry import MODELS

    import seqclr_mmocr  # noqa: F401

    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(CONFIG).model)
    if blank:
        classifier = model.decoder.classifier
        with torch.no_grad():
            classifier.weight.zero_()
            classifier.bias.fill_(-10.0)
            classifier.bias[model.decoder.dictionary.padding_idx] = 10.0
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)


@pytest.fixture(scope='module')
def images(tmp_path_factory):
    root = tmp_path_factory.mktemp('infer')
    make_word_images(root, num=5, seed=0, split='new')
    folder = root / 'imgs' / 'new'
    (folder / 'notes.txt').write_text('not an image')
    (folder / 'broken.png').write_bytes(b'not a png either')
    return folder


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return save_checkpoint(tmp_path_factory.mktemp('ckpt') / 'random.pth')


def test_a_folder_with_stray_files_gives_every_image_and_counts_the_rest(
    images, checkpoint, tmp_path
):
    predictions, skipped = infer_tool.infer(
        CONFIG,
        checkpoint,
        [str(images)],
        batch_size=2,
        out_dir=str(tmp_path),
        save_pred=True,
        save_vis=True,
    )
    assert [p['file'] for p in predictions] == [str(images / f'{i:04d}.png') for i in range(5)]
    assert sorted(skipped) == [str(images / 'broken.png'), str(images / 'notes.txt')]
    assert all(isinstance(p['text'], str) and 0 <= p['score'] <= 1 for p in predictions)
    written = json.loads((tmp_path / 'predictions.json').read_text())
    assert written['predictions'] == predictions
    assert len(list((tmp_path / 'vis').iterdir())) == 5


def test_batches_give_the_same_predictions_as_single_images(images, checkpoint):
    batched, _ = infer_tool.infer(CONFIG, checkpoint, [str(images)], batch_size=4)
    single, _ = infer_tool.infer(CONFIG, checkpoint, [str(images)], batch_size=1)
    assert [p['text'] for p in batched] == [p['text'] for p in single]
    assert [p['score'] for p in batched] == pytest.approx([p['score'] for p in single], abs=1e-5)


def test_an_image_and_a_glob(images, checkpoint):
    one, skipped = infer_tool.infer(CONFIG, checkpoint, [str(images / '0003.png')])
    assert [p['file'] for p in one] == [str(images / '0003.png')] and skipped == []
    globbed, skipped = infer_tool.infer(CONFIG, checkpoint, [str(images / '000[12].*')])
    assert [p['file'] for p in globbed] == [str(images / '0001.png'), str(images / '0002.png')]


def test_a_blank_prediction_scores_zero_not_nan(images, tmp_path):
    checkpoint = save_checkpoint(tmp_path / 'blank.pth', blank=True)
    predictions, _ = infer_tool.infer(CONFIG, checkpoint, [str(images / '0000.png')])
    assert predictions[0]['text'] == ''
    assert predictions[0]['score'] == 0.0


def test_the_command_line_prints_file_text_score_and_the_counts(images, checkpoint, capsys):
    assert infer_tool.main([CONFIG, checkpoint, str(images), '--batch-size', '3']) == 0
    out, err = capsys.readouterr()
    lines = [line.split('\t') for line in out.splitlines() if '\t' in line]
    assert [file for file, _, _ in lines] == [str(images / f'{i:04d}.png') for i in range(5)]
    assert '5 image(s) recognised, 2 non-image file(s) skipped' in err
    assert 'notes.txt: not an image, skipped' in err


def test_a_missing_input_is_an_error_naming_it(checkpoint, tmp_path, capsys):
    assert infer_tool.main([CONFIG, checkpoint, str(tmp_path / 'nowhere')]) == 1
    assert 'nowhere: no such file or folder' in capsys.readouterr().err
