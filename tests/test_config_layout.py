"""The config tree stays readable: every experiment config resolves through at most 7 files of
this project and 3 levels of ``_base_``, so that a variant can inherit its sibling and state only
what it changes (as MMPretrain's configs do) but chains stay short; the model files that share an
encoder define it alike; and every recognizer reads its dataset's dictionary, named, not a path
into the checkout."""

import ast
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from mmengine.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO_ROOT / 'configs'
BASE_DIR = CONFIG_DIR / '_base_'
EXPERIMENT_CONFIGS = sorted(
    str(path.relative_to(REPO_ROOT))
    for path in CONFIG_DIR.rglob('*.py')
    if '_base_' not in path.parts
)
MAX_PROJECT_FILES = 7
MAX_BASE_LEVELS = 3


def mmocr_config_dir() -> Path:
    import mmocr

    return Path(mmocr.__file__).parent / '.mim' / 'configs'


def declared_bases(path: Path) -> List[str]:
    """The ``_base_`` entries of a config file, read from its syntax tree."""
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == '_base_' for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return [value] if isinstance(value, str) else list(value)
    return []


def resolve(base: str, parent: Path) -> Path:
    if base.startswith('mmocr::'):
        return mmocr_config_dir() / base[len('mmocr::') :]
    return (parent.parent / base).resolve()


def walk(path: Path, level: int = 0) -> Iterator[Tuple[Path, int]]:
    """Every file a config resolves through, with its ``_base_`` level (the config is 0)."""
    yield path, level
    for base in declared_bases(path):
        yield from walk(resolve(base, path), level + 1)


def is_project_file(path: Path) -> bool:
    return CONFIG_DIR in path.parents


def test_the_layout_walk_counts_files_and_levels_of_a_known_variant():
    # The 5% config states its label fraction and inherits the rest from its 10% sibling.
    config = CONFIG_DIR / 'supervised/supervised_ctc_tps-resnet31-bilstm_50k_iam-5pct.py'
    files = list(walk(config))
    project = {p for p, _ in files if is_project_file(p)}
    assert len(project) == 7
    assert config.with_name('supervised_ctc_tps-resnet31-bilstm_50k_iam-10pct.py') in project
    assert BASE_DIR / 'datasets/iam.py' in project
    # the 10% config -> default_runtime.py -> mmocr's runtime
    assert max(level for _, level in files) == 3
    assert any(not is_project_file(p) for p, _ in files)


@pytest.mark.parametrize('config', EXPERIMENT_CONFIGS)
def test_experiment_config_has_few_files_and_shallow_bases(config):
    files = list(walk(REPO_ROOT / config))
    project = sorted({str(p.relative_to(REPO_ROOT)) for p, _ in files if is_project_file(p)})
    assert len(project) <= MAX_PROJECT_FILES, f'{config} resolves through {project}'
    deepest = max(files, key=lambda item: item[1])
    assert deepest[1] <= MAX_BASE_LEVELS, (
        f'{config} reaches {deepest[0]} at _base_ level {deepest[1]}'
    )
    assert all(p.is_file() for p, _ in files), config


def test_there_is_one_base_tree():
    assert [p for p in CONFIG_DIR.rglob('_base_') if p != BASE_DIR] == []
    assert {p.name for p in BASE_DIR.iterdir() if p.is_dir()} == {
        'datasets',
        'models',
        'pipelines',
        'schedules',
    }


def encoder_variables(path: Path) -> dict:
    cfg = Config.fromfile(str(path))
    return {
        k: v for k, v in cfg.items() if k.startswith('encoder_') and k != 'encoder_image_resize'
    }


def test_model_files_on_one_encoder_define_it_alike():
    by_encoder = {}
    for path in sorted((BASE_DIR / 'models').glob('*.py')):
        by_encoder.setdefault(path.stem.split('_', 1)[1], []).append(path)
    shared = {enc: paths for enc, paths in by_encoder.items() if len(paths) > 1}
    assert {'tps-resnet31-bilstm', 'small-resnet-bilstm', 'mini-vgg'} <= set(shared)
    for encoder, paths in shared.items():
        first, *others = paths
        reference = encoder_variables(first)
        assert {'encoder_backbone', 'encoder_visual_channels'} <= set(reference)
        for other in others:
            assert encoder_variables(other) == reference, (first.name, other.name)


def base_files(config: Path) -> List[Path]:
    """The project's ``_base_`` files a config resolves through, its siblings' included."""
    return [p for p, _ in walk(config) if BASE_DIR in p.parents]


def dataset_base(config: Path) -> Path:
    (dataset,) = {p for p in base_files(config) if p.parent.name == 'datasets'}
    return dataset


def train_pipeline(cfg) -> list:
    dataset = cfg.train_dataloader.dataset
    while 'pipeline' not in dataset:
        dataset = dataset.dataset  # LabelFractionDataset
    return dataset.pipeline


RECOGNIZER_CONFIGS = [
    c
    for c in EXPERIMENT_CONFIGS
    if any(
        p.parent.name == 'models' and p.name.startswith(('ctc_', 'attn_'))
        for p in base_files(REPO_ROOT / c)
    )
]


def test_the_recognizer_configs_are_found():
    assert len(RECOGNIZER_CONFIGS) >= 50


@pytest.mark.parametrize('config', RECOGNIZER_CONFIGS)
def test_decoder_and_label_check_use_the_dictionary_declared_by_the_dataset(config):
    cfg = Config.fromfile(str(REPO_ROOT / config))
    dataset_cfg = Config.fromfile(str(dataset_base(REPO_ROOT / config)))
    (declared,) = [v for k, v in dataset_cfg.items() if k.endswith('_dictionary')]
    assert declared.type == 'BundledDictionary' and set(declared) == {'type', 'dict_name'}
    decoder_dictionary = cfg.model.decoder.dictionary
    assert {k: decoder_dictionary[k] for k in declared} == declared, config
    assert 'dict_file' not in decoder_dictionary
    checks = [t for t in train_pipeline(cfg) if t.type == 'CheckTextInDictionary']
    assert [check.dictionary for check in checks] == [declared], config


@pytest.mark.parametrize('config', EXPERIMENT_CONFIGS)
def test_resolved_config_names_no_file_of_the_checkout(config):
    text = str(Config.fromfile(str(REPO_ROOT / config)).to_dict())
    assert str(CONFIG_DIR) not in text and 'seqclr_mmocr/dicts' not in text, config
