"""Each dataset config declares the dictionary of its labels: it covers every character of the
dataset's converter fixture (tests/data/converters/), and the RIMES configs, as built from their
files, encode the French accents to characters of their own and let them through the label
check."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, Iterable, List

import pytest
from mmengine.config import Config
from mmocr.registry import TASK_UTILS, TRANSFORMS

import seqclr_mmocr  # noqa: F401  (registers BundledDictionary and CheckTextInDictionary)

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASET_DIR = REPO_ROOT / 'configs' / '_base_' / 'datasets'
FIXTURES = REPO_ROOT / 'tests' / 'data' / 'converters'
FRENCH_ACCENTS = 'éèêëàâîïôùûüçœ'
FRENCH_ACCENTS_UPPER = 'ÉÈÊËÀÂÎÏÔÙÛÜÇŒ'
# Dataset configs without a converter fixture: the generated demo corpus and your own data.
NO_FIXTURE = {'demo_handwriting.py', 'own_data.py'}


def read_lines(path: Path) -> List[str]:
    """Lines of an annotation file in UTF-8 (BOM allowed) or, failing that, cp1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = raw.decode('cp1252')
    return text.splitlines()


def second_field(paths: Iterable[Path]) -> List[str]:
    """The text after the first space of every `<image> <text>` line."""
    return [line.split(' ', 1)[1] for p in paths for line in read_lines(p) if ' ' in line]


def iam_texts() -> List[str]:
    lines = read_lines(FIXTURES / 'iam/ascii/words.txt')
    rows = [line.split(' ') for line in lines if line and not line.startswith('#')]
    return [' '.join(row[8:]) for row in rows if len(row) > 8]


def icdar2003_texts() -> List[str]:
    return [
        image.get('tag')
        for path in sorted((FIXTURES / 'icdar2003').rglob('word.xml'))
        for image in ET.parse(path).getroot().iter('image')
        if image.get('tag')
    ]


def icdar2013_texts() -> List[str]:
    quoted = re.compile(r'^[^,]+,\s*"(.*)"$')
    paths = sorted((FIXTURES / 'icdar2013').rglob('*.txt'))
    matches = [quoted.match(line) for p in paths for line in read_lines(p)]
    return [m.group(1).replace('\\"', '"') for m in matches if m]


def cvl_texts() -> List[str]:
    # CVL's transcriptions are in its file names, <writer>-<page>-<line>-<word>-<text>.tif; its
    # fixture is the list of names test_dataset_converters.py draws.
    from test_dataset_converters import CVL_FILES

    return [
        Path(name).stem.split('-', 4)[4] for name in CVL_FILES if Path(name).stem.count('-') >= 4
    ]


FIXTURE_TEXTS = {
    'iam.py': iam_texts,
    'rimes.py': lambda: second_field(sorted((FIXTURES / 'rimes').glob('*.txt'))),
    'cvl.py': cvl_texts,
    'icdar2003.py': icdar2003_texts,
    'icdar2013.py': icdar2013_texts,
    'iiit5k.py': lambda: second_field(sorted((FIXTURES / 'iiit5k').glob('*.txt'))),
    'synthtext.py': lambda: second_field([FIXTURES / 'synthtext/label.txt']),
}


def declared_dictionary(config_name: str) -> Dict:
    cfg = Config.fromfile(str(DATASET_DIR / config_name))
    declared = [v for k, v in cfg.items() if k.endswith('_dictionary')]
    assert len(declared) == 1, f'{config_name} declares {len(declared)} dictionaries'
    return declared[0]


def characters(dictionary_cfg: Dict) -> set:
    dictionary = TASK_UTILS.build(dictionary_cfg)
    special = {
        dictionary.start_idx,
        dictionary.end_idx,
        dictionary.padding_idx,
        dictionary.unknown_idx,
    }
    return {c for i, c in enumerate(dictionary.dict) if i not in special}


def test_every_labelled_dataset_config_has_a_fixture_or_is_listed_without_one():
    labelled = {
        p.name
        for p in DATASET_DIR.glob('*.py')
        if any(k.endswith('_dictionary') for k in Config.fromfile(str(p)))
    }
    assert labelled == set(FIXTURE_TEXTS) | NO_FIXTURE
    assert 'image_folder.py' not in labelled  # unlabelled images only


@pytest.mark.parametrize('config_name', sorted(FIXTURE_TEXTS))
def test_dataset_dictionary_covers_the_characters_of_its_converter_fixture(config_name):
    texts = FIXTURE_TEXTS[config_name]()
    assert len(texts) >= 3, f'too few fixture texts read for {config_name}: {texts}'
    missing = set(''.join(texts)) - characters(declared_dictionary(config_name))
    assert not missing, f'{config_name}: fixture characters outside its dictionary: {missing}'


def test_rimes_fixture_has_accents_and_its_dictionary_covers_all_french_accents():
    texts = FIXTURE_TEXTS['rimes.py']()
    assert {'É', 'é', 'ï', 'à', 'œ', 'ç'} <= set(''.join(texts))
    charset = characters(declared_dictionary('rimes.py'))
    assert set(FRENCH_ACCENTS + FRENCH_ACCENTS_UPPER) <= charset


def test_english_datasets_keep_the_papers_95_symbols():
    for name in ('iam.py', 'icdar2003.py', 'icdar2013.py', 'iiit5k.py', 'synthtext.py'):
        assert declared_dictionary(name).dict_name == 'english_95', name
    assert declared_dictionary('demo_handwriting.py').dict_name == 'english_95'


RIMES_CONFIGS = sorted(
    str(p.relative_to(REPO_ROOT))
    for p in (REPO_ROOT / 'configs').rglob('*rimes*.py')
    if '_base_' not in p.parts and not p.name.startswith('seqclr_')
)


def test_there_are_fourteen_rimes_recognizer_configs():
    assert len(RIMES_CONFIGS) == 14


def label_check(cfg):
    dataset = cfg.train_dataloader.dataset
    while 'pipeline' not in dataset:
        dataset = dataset.dataset
    (check,) = [t for t in dataset.pipeline if t.type == 'CheckTextInDictionary']
    return TRANSFORMS.build(check)


@pytest.mark.parametrize('config', RIMES_CONFIGS)
def test_rimes_config_encodes_french_accents_and_lets_them_through_the_check(config):
    cfg = Config.fromfile(str(REPO_ROOT / config))
    dictionary = TASK_UTILS.build(cfg.model.decoder.dictionary)
    accents = FRENCH_ACCENTS + FRENCH_ACCENTS_UPPER
    indexes = dictionary.str2idx(accents)
    assert len(indexes) == len(accents)
    assert dictionary.unknown_idx is not None and dictionary.unknown_idx not in indexes
    assert dictionary.idx2str(indexes) == accents
    check = label_check(cfg)
    check.reset_counts()
    word = dict(img_path='été.png', instances=[dict(text='Société où leçon cœur ÉTÉ')])
    assert check(word) is word
    assert check.counts['unknown'] == 0


def test_rimes_recognizer_built_from_its_config_reads_e_acute_as_a_character():
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/decoder_eval/decoder-eval_ctc_tps-resnet31-bilstm_50k_rimes.py')
    )
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model)
    dictionary = model.decoder.dictionary
    (index,) = dictionary.str2idx('é')
    assert index != dictionary.unknown_idx and dictionary.dict[index] == 'é'
    assert model.decoder.dictionary.num_classes == 131 + 2  # characters, blank, unknown
