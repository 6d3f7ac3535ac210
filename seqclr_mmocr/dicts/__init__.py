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
- ``german_cvl.txt``: ``english_95`` followed by ``ä ö ü Ä Ö Ü ß`` for the
  German texts of CVL (102 characters). Not checked against the full CVL
  annotations either.

Configs name a dictionary, never a path into the checkout, with the
registered :class:`BundledDictionary`, e.g. in a dataset config::

    rimes_dictionary = dict(type='BundledDictionary', dict_name='french_rimes')

To train on another charset, add ``<name>.txt`` here (it is shipped as
package data) and name it in the dataset config.
"""

from .bundled_dictionary import DICT_DIR, BundledDictionary, available_dicts, dict_path

__all__ = ['DICT_DIR', 'BundledDictionary', 'available_dicts', 'dict_path']
