"""The dictionaries bundled with the package, found by name wherever it is installed."""

from pathlib import Path
from typing import List

from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS

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


@TASK_UTILS.register_module()
class BundledDictionary(Dictionary):
    """MMOCR's :class:`Dictionary` on a dictionary file of this package, named
    without a path.

    A config that names ``dict_name`` instead of a ``dict_file`` path keeps
    working when the package is installed without ``-e`` or the checkout
    moves: the file is looked up in the installed ``seqclr_mmocr/dicts/``.
    Every other argument, and the resulting dictionary, are MMOCR's.

    Args:
        dict_name (str): The name of a bundled dictionary, with or without
            ``.txt``: one of :func:`available_dicts`, e.g. ``'english_95'``
            or ``'french_rimes'``.
        **kwargs: The other arguments of MMOCR's ``Dictionary``
            (``with_start``, ``with_end``, ``same_start_end``,
            ``with_padding``, ``with_unknown`` and the special tokens).

    Example:
        >>> # configs/_base_/datasets/rimes.py declares its charset once:
        >>> rimes_dictionary = dict(type='BundledDictionary', dict_name='french_rimes')
        >>> # an experiment config gives it to the decoder, which keeps its own flags
        >>> model = dict(decoder=dict(dictionary=rimes_dictionary))
    """

    def __init__(self, dict_name: str, **kwargs) -> None:
        if 'dict_file' in kwargs:
            raise TypeError('BundledDictionary takes dict_name, not dict_file')
        self.dict_name = dict_name
        self.dict_file = dict_path(dict_name)
        super().__init__(dict_file=self.dict_file, **kwargs)
