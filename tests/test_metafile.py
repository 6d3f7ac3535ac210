# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""The model zoo's index: ``configs/seqclr/metafile.yml`` (MMOCR's model-index format) and
``configs/seqclr/README.md``.

The metafile must parse, name only configs that exist, list every pretraining config of
``configs/seqclr/``, give each pretraining the iterations and batch size its config trains
with, and hold no result the README's tables do not show. The paper-scale configs have not
been trained, so they must have no result.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ALGO_DIR = ROOT / 'configs' / 'seqclr'
METAFILE = ALGO_DIR / 'metafile.yml'
README = ALGO_DIR / 'README.md'
MODEL_INDEX = ROOT / 'model-index.yml'
# Schedules of the paper's size: 50K downstream, 200K-400K pretraining iterations.
PAPER_SCALE = re.compile(r'_(50k|200k|300k|400k)_')
COLLECTION_METADATA = ('Training Data', 'Training Techniques', 'Training Resources', 'Architecture')


@pytest.fixture(scope='module')
def metafile():
    return yaml.safe_load(METAFILE.read_text())


@pytest.fixture(scope='module')
def models(metafile):
    return metafile['Models']


@pytest.fixture(scope='module')
def readme_rows():
    return [line for line in README.read_text().splitlines() if line.startswith('|')]


def shows_figure(row, value):
    """Whether a table row holds ``value`` as a figure of its own (57.2 is not in 157.2)."""
    return re.search(r'(?<![\d.])' + re.escape(str(float(value))) + r'(?!\d)', row) is not None


def test_model_index_imports_the_metafile():
    imports = yaml.safe_load(MODEL_INDEX.read_text())['Import']
    assert 'configs/seqclr/metafile.yml' in imports
    for path in imports:
        assert (ROOT / path).is_file(), path


def test_metafile_follows_the_model_index_format(metafile, models):
    collections = {c['Name']: c for c in metafile['Collections']}
    assert {'SeqCLR', 'SimCLR'} <= set(collections)
    for collection in collections.values():
        for key in COLLECTION_METADATA:
            assert collection['Metadata'][key], (collection['Name'], key)
        assert collection['Paper']['URL'].startswith('https://arxiv.org/abs/')
        assert collection['Paper']['Title']
        assert (ROOT / collection['README']).is_file()
    names = [model['Name'] for model in models]
    assert len(names) == len(set(names)), 'model names must be unique'
    for model in models:
        assert model['In Collection'] in collections, model['Name']
        assert isinstance(model['Metadata']['Iterations'], int), model['Name']
        assert isinstance(model['Metadata']['Batch Size'], int), model['Name']
        assert 'Results' in model, model['Name']
        assert model.get('Weights') is None, f'{model["Name"]}: no weights are published'
        for result in model['Results'] or []:
            assert result['Task'] == 'Text Recognition', model['Name']
            assert result['Dataset'], model['Name']
            assert set(result['Metrics']) == {'Word Accuracy', 'CER'}, model['Name']


def test_every_config_named_exists(models):
    for model in models:
        assert (ROOT / model['Config']).is_file(), f'{model["Name"]}: {model["Config"]}'


def test_every_pretraining_config_is_listed(models):
    listed = {model['Config'] for model in models}
    for path in sorted(ALGO_DIR.glob('*.py')):
        assert str(path.relative_to(ROOT)) in listed, f'{path.name} is not in metafile.yml'


def test_downstream_names_models_with_results(models):
    by_name = {model['Name']: model for model in models}
    for model in models:
        for name in model.get('Downstream', []):
            assert name in by_name, f'{model["Name"]}: unknown downstream model {name}'
            assert by_name[name]['Results'], f'{model["Name"]}: {name} has no result'


def test_readme_config_links_exist():
    links = re.findall(r'\]\(([^)\s]+)\)', README.read_text())
    config_links = [link for link in links if link.endswith('.py')]
    assert config_links, 'the README links no config'
    for link in config_links:
        assert (ALGO_DIR / link).resolve().is_file(), link


def test_every_result_is_a_readme_row_with_its_config(models, readme_rows):
    with_results = [model for model in models if model['Results']]
    assert with_results, 'the metafile holds no result'
    for model in with_results:
        config_name = Path(model['Config']).name
        figures = [value for result in model['Results'] for value in result['Metrics'].values()]
        links = (f'/{config_name})', f'({config_name})')
        rows = [row for row in readme_rows if any(link in row for link in links)]
        assert rows, f'{model["Name"]}: no README row links {config_name}'
        assert any(all(shows_figure(row, value) for value in figures) for row in rows), (
            f'{model["Name"]}: no README row of {config_name} shows {figures}'
        )


def test_paper_scale_configs_have_no_results(models):
    paper_scale = [model for model in models if PAPER_SCALE.search(model['Config'])]
    assert paper_scale, 'the metafile lists no paper-scale config'
    for model in paper_scale:
        assert model['Results'] is None, f'{model["Name"]} was never trained: no result'


def test_pretraining_metadata_is_the_configs(models):
    """Iterations and batch size of each pretraining entry are what its config trains with."""
    from mmengine.config import Config

    for model in models:
        if model['Results'] is not None:
            continue  # a downstream entry records the schedule it was measured with
        # the numbers only: importing the plug-in for each config would triple the time
        cfg = Config.fromfile(str(ROOT / model['Config']), import_custom_modules=False)
        assert model['Metadata']['Iterations'] == cfg.train_cfg.max_iters, model['Name']
        assert model['Metadata']['Batch Size'] == cfg.train_dataloader.batch_size, model['Name']
