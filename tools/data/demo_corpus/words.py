"""The words of the demo corpus: the OS word list, filtered, plus a few numbers."""

import os.path as osp
import string
from typing import List, Sequence

import numpy as np

DEFAULT_WORDS_FILE = '/usr/share/dict/words'
WORDS_PACKAGE = 'wamerican'
DEFAULT_CHARSET = string.ascii_letters + string.digits + "'-.&"
MIN_WORD_LEN, MAX_WORD_LEN = 2, 12


def load_words(
    words_file: str = DEFAULT_WORDS_FILE,
    charset: str = DEFAULT_CHARSET,
    min_len: int = MIN_WORD_LEN,
    max_len: int = MAX_WORD_LEN,
) -> List[str]:
    """Read a word list (one word per line) and keep the words the corpus can use.

    A word is kept when it has ``min_len``..``max_len`` characters, all in ``charset``, and is
    not a possessive (``"...'s"``). Duplicates are dropped; the file order is kept.

    Raises:
        FileNotFoundError: If the file is missing (the message names the Debian package).
        ValueError: If no word passes the filter.
    """
    if not osp.isfile(words_file):
        raise FileNotFoundError(
            f'Word list {words_file} not found. Install it with: '
            f'sudo apt-get install {WORDS_PACKAGE} (or pass another file with one word a '
            'line).'
        )
    allowed = set(charset)
    with open(words_file, encoding='utf-8', errors='replace') as f:
        lines = [line.strip() for line in f]
    words = [
        w
        for w in lines
        if min_len <= len(w) <= max_len and not w.endswith("'s") and set(w) <= allowed
    ]
    words = list(dict.fromkeys(words))
    if not words:
        raise ValueError(
            f'No word of {words_file} has {min_len}..{max_len} characters within the charset '
            f'{charset!r}.'
        )
    return words


def sample_text(
    words: Sequence[str], charset: str, numeric_ratio: float, rng: np.random.Generator
) -> str:
    """A word of the list (sometimes capitalised) or, now and then, a number."""
    if rng.random() < numeric_ratio:
        kind = int(rng.integers(4))
        if kind == 0:
            text = str(int(rng.integers(1, 10000)))
        elif kind == 1:
            text = f'{int(rng.integers(0, 100))}.{int(rng.integers(0, 100)):02d}'
        elif kind == 2:
            text = str(int(rng.integers(1900, 2031)))
        else:
            text = f'{int(rng.integers(1, 32)):02d}-{int(rng.integers(1, 13)):02d}'
        if MIN_WORD_LEN <= len(text) and set(text) <= set(charset):
            return text
    word = words[int(rng.integers(len(words)))]
    draw = rng.random()
    if word.islower() and draw < 0.08:
        capitalised = word[0].upper() + word[1:]
        if set(capitalised) <= set(charset):
            return capitalised
    elif word.islower() and draw < 0.11 and len(word) <= 8:
        upper = word.upper()
        if set(upper) <= set(charset):
            return upper
    return word
