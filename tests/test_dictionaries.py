"""Tests of the bundled dictionaries, loaded with MMOCR's Dictionary."""

import string

import pytest
from mmocr.models.common.dictionary import Dictionary

from seqclr_mmocr.dicts import DICT_DIR, available_dicts, dict_path

FRENCH_LOWER = 'àâäæçéèêëîïôœùûüÿ'
FRENCH_UPPER = 'ÀÂÄÆÇÉÈÊËÎÏÔŒÙÛÜŸ'


def read_lines(name):
    with open(dict_path(name), encoding='utf-8') as f:
        return f.read().split('\n')[:-1]  # the file ends with a newline


def test_english_95_is_every_printable_ascii_character_space_included():
    dictionary = Dictionary(dict_file=dict_path('english_95'))
    assert dictionary.num_classes == 95
    printable_ascii = {chr(code) for code in range(0x20, 0x7F)}
    assert set(dictionary.dict) == printable_ascii
    assert ' ' in dictionary.dict
    # the paper's split: 52 letters, 10 digits, 33 special characters
    assert sum(c in string.ascii_letters for c in dictionary.dict) == 52
    assert sum(c in string.digits for c in dictionary.dict) == 10
    assert sum(c in string.punctuation + ' ' for c in dictionary.dict) == 33


def test_french_rimes_is_english_95_plus_the_documented_french_symbols():
    english = Dictionary(dict_file=dict_path('english_95')).dict
    french = Dictionary(dict_file=dict_path('french_rimes')).dict
    assert french[:95] == english
    assert french[95:] == list(FRENCH_LOWER + FRENCH_UPPER + '°€')
    assert len(french) == 131
    assert [c.upper() for c in FRENCH_LOWER] == list(FRENCH_UPPER)


def test_german_cvl_is_english_95_plus_the_umlauts_and_sharp_s():
    english = Dictionary(dict_file=dict_path('english_95')).dict
    german = Dictionary(dict_file=dict_path('german_cvl')).dict
    assert german == english + list('äöüÄÖÜß')


@pytest.mark.parametrize('name', ['english_95', 'french_rimes', 'german_cvl'])
def test_dictionary_file_has_one_character_per_line_and_no_duplicates(name):
    lines = read_lines(name)
    assert all(len(line) == 1 for line in lines), 'empty or long line'
    assert len(set(lines)) == len(lines)


@pytest.mark.parametrize('name', ['english_95', 'french_rimes', 'german_cvl'])
def test_special_tokens_come_after_the_characters(name):
    num_chars = len(read_lines(name))
    dictionary = Dictionary(
        dict_file=dict_path(name),
        with_start=True,
        with_end=True,
        same_start_end=True,
        with_padding=True,
        with_unknown=True,
    )
    assert dictionary.num_classes == num_chars + 3
    assert dictionary.padding_idx == num_chars + 1


def test_french_word_round_trips_through_str2idx_and_idx2str():
    dictionary = Dictionary(dict_file=dict_path('french_rimes'))
    for text in ['Œuvre à côté', 'Noël 25° 10€', "l'été", 'ÇA']:
        indexes = dictionary.str2idx(text)
        assert len(indexes) == len(text)
        assert dictionary.idx2str(indexes) == text


def test_english_dictionary_refuses_a_french_accent():
    dictionary = Dictionary(dict_file=dict_path('english_95'))
    with pytest.raises(Exception, match='not in dict'):
        dictionary.str2idx('café')


def test_dict_path_accepts_name_with_or_without_suffix_and_refuses_unknown():
    assert dict_path('english_95') == dict_path('english_95.txt')
    assert dict_path('english_95') == str(DICT_DIR / 'english_95.txt')
    assert available_dicts() == ['english_95', 'french_rimes', 'german_cvl']
    with pytest.raises(FileNotFoundError, match='english_95'):
        dict_path('klingon')


@pytest.mark.parametrize(
    'flags',
    [
        dict(),
        dict(with_padding=True, with_unknown=True),
        dict(with_start=True, with_end=True, same_start_end=True, with_padding=True),
        dict(with_start=True, with_end=True, with_padding=True, with_unknown=True),
    ],
)
@pytest.mark.parametrize('name', ['english_95', 'french_rimes'])
def test_bundled_dictionary_is_mmocrs_dictionary_on_the_named_file(name, flags):
    from mmocr.registry import TASK_UTILS

    bundled = TASK_UTILS.build(dict(type='BundledDictionary', dict_name=name, **flags))
    reference = Dictionary(dict_file=dict_path(name), **flags)
    assert isinstance(bundled, Dictionary)
    assert bundled.dict == reference.dict
    for attr in ('start_idx', 'end_idx', 'padding_idx', 'unknown_idx', 'num_classes'):
        assert getattr(bundled, attr) == getattr(reference, attr), attr
    text = 'Noël, 25°' if name == 'french_rimes' else 'Hello, world'
    assert bundled.str2idx(text) == reference.str2idx(text)
    assert bundled.dict_name == name and bundled.dict_file == dict_path(name)


def test_bundled_dictionary_refuses_an_unknown_name_and_a_path():
    from seqclr_mmocr.dicts import BundledDictionary

    with pytest.raises(FileNotFoundError, match='available'):
        BundledDictionary(dict_name='klingon')
    with pytest.raises(TypeError, match='dict_name'):
        BundledDictionary(dict_name='english_95', dict_file=dict_path('english_95'))
