"""Tests of the CheckTextInDictionary transform."""

import json

import pytest

from seqclr_mmocr.datasets.transforms import text_checks
from seqclr_mmocr.datasets.transforms.text_checks import CheckTextInDictionary
from seqclr_mmocr.dicts import dict_path


@pytest.fixture(autouse=True)
def fresh_counts():
    CheckTextInDictionary.reset_counts()
    yield
    CheckTextInDictionary.reset_counts()


@pytest.fixture
def log_messages(monkeypatch):
    messages = []
    monkeypatch.setattr(text_checks, 'print_log', lambda msg, **kwargs: messages.append(msg))
    return messages


def sample(text, img_path='data/iam/word_7.png'):
    """A sample as OCRDataset yields it, before LoadOCRAnnotations."""
    return dict(img_path=img_path, instances=[dict(text=text)])


def test_text_inside_the_dictionary_passes_unchanged(log_messages):
    check = CheckTextInDictionary(dict_file=dict_path('english_95'))
    results = sample("Hello, World! (it's 9:30)")
    assert check(results) is results
    assert log_messages == []
    assert sum(CheckTextInDictionary.counts.values()) == 0


def test_unknown_character_error_names_image_text_and_characters():
    check = CheckTextInDictionary(dict_file=dict_path('english_95'))
    with pytest.raises(ValueError) as error:
        check(sample('café crème'))
    message = str(error.value)
    assert 'data/iam/word_7.png' in message
    assert "'café crème'" in message
    assert "['è', 'é']" in message


def test_unknown_character_warn_keeps_sample_and_counts(log_messages):
    check = CheckTextInDictionary(dict_file=dict_path('english_95'), on_unknown='warn')
    first, second = sample('naïve', 'a.png'), sample('façade', 'b.png')
    assert check(first) is first
    assert check(second) is second
    assert CheckTextInDictionary.counts['unknown'] == 2
    assert len(log_messages) == 2
    assert 'a.png' in log_messages[0] and "['ï']" in log_messages[0]
    assert 'b.png' in log_messages[1]
    assert '2 unknown-text samples so far' in log_messages[1]


def test_unknown_character_skip_returns_none_and_counts(log_messages):
    check = CheckTextInDictionary(dict_file=dict_path('english_95'), on_unknown='skip')
    assert check(sample('€5')) is None
    assert CheckTextInDictionary.counts['unknown'] == 1
    assert 'skipped' in log_messages[0]
    assert 'data/iam/word_7.png' in log_messages[0]


def test_french_dictionary_accepts_french_text():
    check = CheckTextInDictionary(dict_file=dict_path('french_rimes'))
    results = sample('Noël à 25° pour 10€')
    assert check(results) is results


@pytest.mark.parametrize('on_empty', ['warn', 'skip'])
def test_empty_text_is_counted_under_its_own_policy(on_empty, log_messages):
    check = CheckTextInDictionary(dict_file='english_95', on_unknown='error', on_empty=on_empty)
    results = sample('')
    expected = results if on_empty == 'warn' else None
    assert check(results) is expected
    assert CheckTextInDictionary.counts == {'empty': 1}
    assert 'empty ground-truth text' in log_messages[0]


def test_empty_text_raises_by_default():
    check = CheckTextInDictionary(dict_file='english_95')
    with pytest.raises(ValueError, match=r'word_7\.png.*empty'):
        check(sample(''))


def test_gt_texts_are_checked_when_present():
    check = CheckTextInDictionary(dict_file=dict_path('english_95'))
    results = dict(img_path='x.png', gt_texts=['ok', 'ß'], instances=[])
    with pytest.raises(ValueError, match='ß'):
        check(results)


def test_sample_without_texts_is_refused():
    check = CheckTextInDictionary(dict_file=dict_path('english_95'))
    with pytest.raises(ValueError, match="x.png.*'gt_texts'"):
        check(dict(img_path='x.png', instances=[dict(bbox=[0, 0, 1, 1])]))


def test_bad_policy_and_unknown_dictionary_are_refused():
    with pytest.raises(ValueError, match='on_unknown'):
        CheckTextInDictionary(dict_file='english_95', on_unknown='ignore')
    with pytest.raises(ValueError, match='on_empty'):
        CheckTextInDictionary(dict_file='english_95', on_empty=None)
    with pytest.raises(FileNotFoundError, match='no_such_dict'):
        CheckTextInDictionary(dict_file='no_such_dict.txt')


def test_skip_makes_a_training_dataset_fetch_another_sample(tmp_path):
    from mmocr.datasets import OCRDataset

    ann = dict(
        metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
        data_list=[
            dict(img_path=f'{i}.png', instances=[dict(text=text)])
            for i, text in enumerate(['good', 'bäd'])
        ],
    )
    ann_file = tmp_path / 'ann.json'
    ann_file.write_text(json.dumps(ann), encoding='utf-8')
    dataset = OCRDataset(
        ann_file=str(ann_file),
        pipeline=[CheckTextInDictionary(dict_file='english_95', on_unknown='skip')],
    )
    # sample 1 is skipped; the dataset refetches until it gets sample 0
    assert dataset[1]['instances'][0]['text'] == 'good'
    assert CheckTextInDictionary.counts['unknown'] >= 1


def test_registered_in_mmocr_transforms():
    from mmocr.registry import TRANSFORMS

    check = TRANSFORMS.build(dict(type='CheckTextInDictionary', dict_file='french_rimes'))
    assert isinstance(check, CheckTextInDictionary)
    assert 'french_rimes.txt' in repr(check)


def test_a_dictionary_config_gives_its_characters_and_not_its_special_tokens(log_messages):
    from mmocr.models.common.dictionary import Dictionary

    french = dict(type='BundledDictionary', dict_name='french_rimes')
    check = CheckTextInDictionary(
        dictionary=dict(french, with_padding=True, padding_token='¤'), on_unknown='warn'
    )
    assert check.charset == frozenset(Dictionary(dict_path('french_rimes')).dict)
    assert check(sample('Noël à Besançon')) is not None
    assert CheckTextInDictionary.counts['unknown'] == 0
    check(sample('1¤'))
    assert CheckTextInDictionary.counts['unknown'] == 1
    assert "['¤']" in log_messages[-1] and 'french_rimes.txt' in log_messages[-1]


def test_dictionary_instance_is_accepted_and_one_source_is_required():
    from mmocr.registry import TASK_UTILS

    english = TASK_UTILS.build(dict(type='BundledDictionary', dict_name='english_95'))
    assert len(CheckTextInDictionary(dictionary=english).charset) == 95
    with pytest.raises(ValueError, match='either'):
        CheckTextInDictionary()
    with pytest.raises(ValueError, match='either'):
        CheckTextInDictionary(dict_file='english_95', dictionary=english)
