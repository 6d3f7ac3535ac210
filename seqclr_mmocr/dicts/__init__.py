"""Character dictionaries of the SeqCLR paper, in MMOCR ``Dictionary`` format.

Each file holds one character per line (MMOCR's ``Dictionary(dict_file=...)``
format). A line holding a single space is the space character: MMOCR only
strips ``\\r\\n`` from a line, so the space is kept as a class. Keep these
files away from editors and hooks that strip trailing whitespace.

- ``english_95.txt``: the paper's 95 English symbols (Appendix D), i.e. every
  printable ASCII character 0x20-0x7E: 10 digits, 26 lower-case letters,
  26 upper-case letters, the 32 ASCII punctuation marks and the space.
- ``french_rimes.txt``: ``english_95`` followed by 36 French symbols for
  RIMES: ``à â ä æ ç é è ê ë î ï ô œ ù û ü ÿ``, their 17 upper-case forms,
  ``°`` and ``€`` (131 characters in all). This list was not checked against
  the RIMES annotations; run ``CheckTextInDictionary(on_unknown='warn')``
  over them to find missing symbols.

Example:
    >>> from seqclr_mmocr.dicts import dict_path
    >>> dictionary = dict(type='Dictionary', dict_file=dict_path('english_95'),
    ...                   with_padding=True)
"""

from pathlib import Path
from typing import List

DICT_DIR = Path(__file__).parent


def available_dicts() -> List[str]:
    """Names (file stems) of the bundled dictionaries, sorted."""
    return sorted(path.stem for path in DICT_DIR.glob('*.txt'))


def dict_path(name: str) -> str:
    """Path of a bundled dictionary file.

    Args:
        name (str): The dictionary name, with or without ``.txt``, e.g.
            ``'english_95'`` or ``'french_rimes.txt'``.

    Returns:
        str: The absolute path of the dictionary file.

    Raises:
        FileNotFoundError: If no bundled dictionary has that name.
    """
    file_name = name if name.endswith('.txt') else f'{name}.txt'
    path = DICT_DIR / file_name
    if not path.is_file():
        raise FileNotFoundError(
            f'No bundled dictionary named {name!r} in {DICT_DIR}; available: {available_dicts()}'
        )
    return str(path)
