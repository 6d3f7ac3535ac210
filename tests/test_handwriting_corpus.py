"""Tests of the embedded handwriting demo corpus generator."""

import hashlib
import importlib.util
import json
import os
import os.path as osp
import re
import shutil
import sys

import numpy as np
import pytest
from conftest import REPO_ROOT
from PIL import Image

sys.path.insert(0, str(REPO_ROOT / 'tools' / 'data'))
import demo_corpus as hc  # noqa: E402

SMALL = dict(train=20, val=20, test=20, unlabeled=20)
FONT_ROOTS = ('/usr/share/fonts/truetype', '/usr/share/fonts/opentype')


@pytest.fixture(scope='module')
def fonts():
    try:
        return hc.discover_handwriting_fonts()
    except RuntimeError as error:
        pytest.skip(f'handwriting fonts not installed: {error}')


@pytest.fixture(scope='module')
def words_file():
    if not osp.isfile(hc.DEFAULT_WORDS_FILE):
        pytest.skip(f'{hc.DEFAULT_WORDS_FILE} missing: apt-get install {hc.WORDS_PACKAGE}')
    return hc.DEFAULT_WORDS_FILE


def _generate(out_dir, seed, **kwargs):
    return hc.generate_corpus(str(out_dir), seed=seed, num_samples=SMALL, **kwargs)


@pytest.fixture(scope='module')
def corpus(tmp_path_factory, fonts, words_file):
    out_dir = tmp_path_factory.mktemp('corpus_seed0')
    summary = _generate(out_dir, seed=0)
    return str(out_dir), summary


def _file_hashes(root):
    hashes = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = osp.join(folder, name)
            if name == 'corpus_meta.json':
                continue  # holds the elapsed time
            with open(path, 'rb') as f:
                hashes[osp.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return hashes


def _texts(out_dir, split):
    with open(osp.join(out_dir, f'textrecog_{split}.json'), encoding='utf-8') as f:
        return [item['instances'][0]['text'] for item in json.load(f)['data_list']]


def _font_named(fonts, file_name):
    for font in fonts:
        if font.file_name == file_name:
            return font
    pytest.skip(f'{file_name} not installed')


@pytest.mark.slow
def test_same_seed_gives_byte_identical_files(corpus, tmp_path):
    out_dir, _ = corpus
    _generate(tmp_path, seed=0)
    first, second = _file_hashes(out_dir), _file_hashes(str(tmp_path))
    assert len(first) == 4 * 20 + 4 + 2  # images, 4 annotation files, fonts.json, sheet
    assert first == second


@pytest.mark.slow
def test_different_seed_gives_different_images_and_words(corpus, tmp_path):
    out_dir, _ = corpus
    _generate(tmp_path, seed=1)
    first, second = _file_hashes(out_dir), _file_hashes(str(tmp_path))
    images = [p for p in first if p.startswith('imgs')]
    assert sorted(images) == sorted(p for p in second if p.startswith('imgs'))
    assert sum(first[p] != second[p] for p in images) == len(images)
    assert _texts(out_dir, 'train') != _texts(str(tmp_path), 'train')


def test_splits_share_no_font_family_and_unlabeled_uses_train_fonts(corpus, fonts):
    out_dir, summary = corpus
    with open(osp.join(out_dir, 'fonts.json')) as f:
        font_splits = json.load(f)
    assert set(font_splits) == set(hc.SPLITS) | {'typefaces'}
    family = {font.file_name: font.family for font in fonts}
    labeled = [set(font_splits[s]) for s in hc.LABELED_SPLITS]
    assert all(labeled), 'every labelled split needs a font'
    for i in range(3):
        for j in range(i + 1, 3):
            assert not labeled[i] & labeled[j]
            assert not {family[f] for f in labeled[i]} & {family[f] for f in labeled[j]}
    assert set(font_splits['unlabeled']) <= set(font_splits['train'])
    assert summary.splits['unlabeled'].fonts == font_splits['unlabeled']


def test_typefaces_draw_a_share_of_train_and_unlabeled_and_nothing_of_val_and_test(corpus):
    out_dir, summary = corpus
    with open(osp.join(out_dir, 'fonts.json')) as f:
        typefaces = json.load(f)['typefaces']
    if not typefaces:
        pytest.skip('no printed typeface installed (see TYPEFACE_FONT_DIRS)')
    assert not set(typefaces) & set(hc.HANDWRITING_FONT_FILES)
    for split in hc.TRAINING_SPLITS:  # 20 samples at a share of 0.5
        assert 0 < summary.splits[split].typeface_samples < 20, split
    for split in ('val', 'test'):
        assert summary.splits[split].typeface_samples == 0, split


class _StubFont:
    def __init__(self, family, index, missing=''):
        self.family, self.file_name, self._missing = family, f'{family}{index}.ttf', missing

    def missing_glyphs(self, text):
        return [ch for ch in text if ch in self._missing]


def test_typeface_is_drawn_by_family_first_so_many_styles_do_not_weigh_more():
    one_style = [_StubFont('A', 0)]
    ten_styles = [_StubFont('B', i) for i in range(10)]
    rng = np.random.default_rng(0)
    picks = [hc.corpus._choose_typeface('word', [one_style, ten_styles], rng) for _ in range(4000)]
    share_a = sum(font.family == 'A' for font in picks) / len(picks)
    assert abs(share_a - 0.5) < 0.03  # by font file it would be 1/11
    # A family lacking a glyph of the word gives way to one that has it.
    lacking = [_StubFont('C', 0, missing='&')]
    assert hc.corpus._choose_typeface('R&D', [lacking, one_style], rng).family == 'A'
    assert hc.corpus._choose_typeface('R&D', [lacking], rng) is None


def test_styles_of_one_hand_named_as_families_are_one_hand():
    fonts = hc.discover_handwriting_fonts()
    kiloji = [font for font in fonts if font.file_name.startswith('kiloji')]
    if len(kiloji) < 2:
        pytest.skip('fonts-kiloji not installed')
    assert {font.family for font in kiloji} == {'kiloji'}


def test_typefaces_exclude_symbol_fonts_and_small_caps():
    typefaces = hc.discover_typefaces()
    if not typefaces:
        pytest.skip('no printed typeface installed')
    names = {font.file_name for font in typefaces}
    assert not any(n.startswith(tuple(hc.writers.EXCLUDED_TYPEFACE_PREFIXES)) for n in names)
    assert not any(hc.draws_lowercase_as_capitals(font.path) for font in typefaces[::7])
    keys = [(font.family, font.style) for font in typefaces]
    assert len(keys) == len(set(keys)), 'a family and style is one typeface'


@pytest.mark.parametrize('seed', [0, 1, 2, 3, 4])
def test_font_assignment_is_disjoint_for_any_seed(fonts, seed):
    splits = hc.assign_font_splits(fonts, seed)
    families = [{f.family for f in splits[s]} for s in hc.LABELED_SPLITS]
    assert all(families)
    assert sum(len(f) for f in families) == len(set().union(*families))
    assert {f.path for f in splits['unlabeled']} == {f.path for f in splits['train']}
    assert sum(len(splits[s]) for s in hc.LABELED_SPLITS) == len(fonts)


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_split_shares_count_hands_not_font_files(fonts, seed):
    # ComicNeue brings six files of one hand: counted by files it would fill train's share
    # alone. Counted by families, each split is within one hand of its 60/20/20 share.
    splits = hc.assign_font_splits(fonts, seed)
    num_families = len({f.family for f in fonts})
    for split, ratio in zip(hc.LABELED_SPLITS, (0.6, 0.2, 0.2)):
        got = len({f.family for f in splits[split]})
        assert abs(got - ratio * num_families) <= 1, (split, got, num_families)


def test_missing_glyph_is_detected_by_empty_or_notdef_bitmap(fonts):
    # Checked by eye: Kristi draws a .notdef box for the euro sign; Dancing Script has a
    # euro glyph and an empty .notdef. No handwriting font has Cherokee letters (the
    # Japanese hands KleeOne, Seto and Yusei Magic do have CJK ideographs).
    kristi = _font_named(fonts, 'Kristi.ttf')
    dancing = _font_named(fonts, 'DancingScript-Regular.otf')
    assert kristi.missing_glyphs('5€ ab') == ['€']
    assert dancing.missing_glyphs('5€ ab') == []
    for font in fonts:
        assert font.missing_glyphs('a\u13a0b') == ['\u13a0'], font.file_name


def test_word_with_missing_glyph_is_redrawn_with_another_font(fonts, tmp_path):
    kristi = _font_named(fonts, 'Kristi.ttf')
    dancing = _font_named(fonts, 'DancingScript-Regular.otf')
    renderer = hc.HandwritingRenderer(seed=0)
    _, summary, sheet = hc.generate_split(
        'train',
        20,
        [kristi, dancing],
        ['cost€'],
        renderer,
        str(tmp_path),
        charset=hc.DEFAULT_CHARSET + '€',
        numeric_ratio=0.0,
    )
    assert summary.samples == 20 and summary.skipped_words == 0
    assert summary.refonted_words > 0  # the words whose first draw was Kristi
    assert {font for _, _, font in sheet} == {'DancingScript-Regular.otf'}


def test_word_no_split_font_can_draw_is_skipped_and_counted(fonts, tmp_path):
    kristi = _font_named(fonts, 'Kristi.ttf')
    renderer = hc.HandwritingRenderer(seed=0)
    data_list, summary, _ = hc.generate_split(
        'train',
        20,
        [kristi],
        ['hello', 'cost€'],
        renderer,
        str(tmp_path),
        charset=hc.DEFAULT_CHARSET + '€',
        numeric_ratio=0.0,
    )
    assert [item['instances'][0]['text'].lower() for item in data_list] == ['hello'] * 20
    assert summary.skipped_words > 0
    assert summary.skipped_examples[0].lower() == repr('cost€')
    assert (
        f'{summary.skipped_words} words skipped'
        in hc.CorpusSummary(str(tmp_path), dict(train=summary), 'sheet.png').format()
    )
    with pytest.raises(RuntimeError, match='no font of'):
        hc.generate_split(
            'train',
            1,
            [kristi],
            ['cost€'],
            renderer,
            str(tmp_path),
            charset=hc.DEFAULT_CHARSET + '€',
            numeric_ratio=0.0,
        )


def test_images_are_grayscale_32_to_64_high_and_inked(corpus):
    out_dir, _ = corpus
    for split in hc.SPLITS:
        with open(osp.join(out_dir, f'textrecog_{split}.json')) as f:
            data_list = json.load(f)['data_list']
        assert len(data_list) == 20
        for item in data_list:
            image = Image.open(osp.join(out_dir, item['img_path']))
            assert image.mode == 'L', item['img_path']
            assert 32 <= image.height <= 64, item['img_path']
            pixels = np.asarray(image, dtype=np.int32)
            # Ink: a fair number of pixels much darker than the paper (the median).
            dark = pixels < np.median(pixels) - 60
            assert dark.sum() >= 20, item['img_path']


def test_annotations_follow_mmocr_textrecog_format(corpus):
    out_dir, _ = corpus
    with open(osp.join(out_dir, 'textrecog_val.json')) as f:
        ann = json.load(f)
    assert ann['metainfo'] == dict(dataset_type='TextRecogDataset', task_name='textrecog')
    for index, item in enumerate(ann['data_list']):
        assert item['img_path'] == f'imgs/val/{index:06d}.png'
        text = item['instances'][0]['text']
        assert 2 <= len(text) <= 12 and set(text) <= set(hc.DEFAULT_CHARSET)
    assert osp.isfile(osp.join(out_dir, 'sample_sheet.png'))


def test_annotations_load_with_mmocr_ocr_dataset(corpus):
    datasets = pytest.importorskip('mmocr.datasets')
    out_dir, _ = corpus
    dataset = datasets.OCRDataset(data_root=out_dir, ann_file='textrecog_train.json', pipeline=[])
    assert len(dataset) == 20
    sample = dataset[0]
    assert sample['img_path'] == osp.join(out_dir, 'imgs/train/000000.png')
    assert sample['instances'][0]['text'] == _texts(out_dir, 'train')[0]


@pytest.mark.slow
def test_existing_corpus_is_reused_unless_forced_or_changed(fonts, words_file, tmp_path):
    tiny = dict(train=2, val=2, test=2, unlabeled=2)
    assert not hc.generate_corpus(str(tmp_path), seed=0, num_samples=tiny).reused
    assert hc.generate_corpus(str(tmp_path), seed=0, num_samples=tiny).reused
    assert not hc.generate_corpus(str(tmp_path), seed=0, num_samples=tiny, force=True).reused
    assert not hc.generate_corpus(str(tmp_path), seed=1, num_samples=tiny).reused
    assert not hc.generate_corpus(str(tmp_path), seed=1, num_samples=dict(tiny, val=1)).reused
    # The larger earlier run's image 000001.png of val is gone.
    assert sorted(os.listdir(tmp_path / 'imgs' / 'val')) == ['000000.png']


def test_fonts_drawing_lower_case_as_capitals_are_detected():
    humor = '/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf'
    kristi = '/usr/share/fonts/truetype/kristi/Kristi.ttf'
    if not (osp.isfile(humor) and osp.isfile(kristi)):
        pytest.skip('fonts-humor-sans or fonts-kristi not installed')
    assert hc.draws_lowercase_as_capitals(humor)
    assert not hc.draws_lowercase_as_capitals(kristi)


def test_duplicate_family_and_style_is_one_writer(fonts):
    keys = [(font.family_name, font.style) for font in fonts]
    assert len(keys) == len(set(keys))
    assert 'Humor-Sans.ttf' not in {font.file_name for font in fonts}


def test_missing_fonts_and_word_list_fail_naming_packages(tmp_path):
    with pytest.raises(RuntimeError, match='fonts-dkg-handwriting'):
        hc.discover_handwriting_fonts(font_dirs=[str(tmp_path)])
    with pytest.raises(FileNotFoundError, match='wamerican'):
        hc.load_words(str(tmp_path / 'no_words'))


def test_fonts_in_a_fontsource_family_folder_are_hands_named_by_their_npm_package(tmp_path):
    kristi, femke, breip = (
        osp.join(FONT_ROOTS[0], name)
        for name in ('kristi/Kristi.ttf', 'femkeklaver/femkeklaver.ttf', 'breip/Breip.ttf')
    )
    if not all(osp.isfile(path) for path in (kristi, femke, breip)):
        pytest.skip('fonts-kristi, fonts-femkeklaver or fonts-breip not installed')
    family_dir = tmp_path / 'fontsource' / 'my-hand'
    family_dir.mkdir(parents=True)
    (tmp_path / 'other').mkdir()
    shutil.copy(kristi, family_dir / 'my-hand-latin-400-normal.ttf')
    shutil.copy(femke, tmp_path / 'other' / 'unknown-name.ttf')  # not a known file name
    shutil.copy(breip, tmp_path / 'fontsource' / 'loose.ttf')  # not in a family folder
    fonts = hc.discover_handwriting_fonts(font_dirs=[str(tmp_path)], min_families=1)
    assert [(osp.relpath(f.path, tmp_path), f.package) for f in fonts] == [
        (osp.join('fontsource', 'my-hand', 'my-hand-latin-400-normal.ttf'), '@fontsource/my-hand')
    ]


def test_pinned_fontsource_list_names_each_package_once_with_an_exact_version():
    lines = (REPO_ROOT / 'tools' / 'data' / 'fontsource_hands.txt').read_text().splitlines()
    specs = [line for line in lines if line and not line.startswith('#')]
    ids = [spec.split('@')[0] for spec in specs]
    assert len(specs) > 100
    assert all(re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*@\d+\.\d+\.\d+', spec) for spec in specs)
    assert len(ids) == len(set(ids))
    # the families left out on purpose (header of the list) stay out
    assert not {'amatic-sc', 'permanent-marker', 'kristi', 'dancing-script'} & set(ids)


def test_word_filter_keeps_charset_words_of_2_to_12_chars_without_possessives(tmp_path):
    words_file = tmp_path / 'words'
    words_file.write_text(
        '\n'.join(
            [
                'a',
                'dog',
                "dog's",
                'café',
                'abcdefghijkl',
                'abcdefghijklm',
                "O'Brien",
                'dog',
                'x-ray',
                'e.g.',
                '',
            ]
        ),
        encoding='utf-8',
    )
    assert hc.load_words(str(words_file)) == ['dog', 'abcdefghijkl', "O'Brien", 'x-ray', 'e.g.']


@pytest.mark.slow
def test_cli_prints_summary_and_sheet_path(fonts, words_file, tmp_path, capsys):
    path = osp.join(osp.dirname(__file__), '..', 'tools', 'data', 'generate_demo_corpus.py')
    spec = importlib.util.spec_from_file_location('generate_demo_corpus', path)
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out_dir = tmp_path / 'cli'
    assert (
        cli.main(
            [
                '--out-dir',
                str(out_dir),
                '--num-train',
                '3',
                '--num-val',
                '2',
                '--num-test',
                '2',
                '--num-unlabeled',
                '4',
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert 'train' in printed and '3 samples' in printed
    assert str(out_dir / 'sample_sheet.png') in printed
    with open(out_dir / 'corpus_meta.json') as f:
        assert json.load(f)['params']['num_samples'] == dict(train=3, val=2, test=2, unlabeled=4)


@pytest.mark.slow
def test_train_hands_holdout_draws_new_words_in_train_hands_only(corpus, tmp_path):
    import shutil

    out_dir, _ = corpus
    copy = tmp_path / 'corpus'
    shutil.copytree(out_dir, copy)
    sys.path.insert(0, str(REPO_ROOT / 'docs' / 'experiments' / 'scripts'))
    import make_train_hands_holdout as holdout

    assert holdout.main([str(copy), '--num', '12']) == 0
    _, summary = holdout.make_holdout(str(copy), 12)
    with open(copy / 'fonts.json', encoding='utf-8') as f:
        assert set(summary.fonts) == set(json.load(f)['train'])
    assert summary.typeface_samples == 0
    with open(copy / 'textrecog_train_hands_holdout.json', encoding='utf-8') as f:
        data_list = json.load(f)['data_list']
    assert len(data_list) == 12
    assert all((copy / item['img_path']).is_file() for item in data_list)
    # The split's own seed stream: not a copy of the train annotations.
    assert [d['instances'][0]['text'] for d in data_list] != _texts(str(copy), 'train')[:12]
    assert holdout.main([str(tmp_path / 'missing')]) == 1
