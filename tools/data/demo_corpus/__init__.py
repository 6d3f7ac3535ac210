"""An embedded, download-free corpus of handwriting-style word images.

The demo corpus renders words of the OS word list (``/usr/share/dict/words``, Debian package
``wamerican``) with the handwriting fonts that Debian packages install (see
:data:`HANDWRITING_FONT_FILES`) and the Google Fonts handwriting families that
``tools/data/fetch_handwriting_fonts.sh`` fetches from npm into ``data/fonts/fontsource/<id>/``
(Fontsource's packages, pinned in ``tools/data/fontsource_hands.txt``; :data:`FONTSOURCE_FOLDER`),
and varies every sample: font size, slant, stroke width, ink
and paper tones, paper texture, ruled lines, blur, noise, baseline jitter and letter spacing.

Writers and splits:

* Each font file is a *writer*. Files of one font family (for example the four
  ``DkgHandwriting`` styles) are one *hand*, so splits are drawn per family: no family, hence
  no font file, is in more than one of ``train``, ``val`` and ``test``. Two files that carry the
  same family and style (``Breip.ttf`` and ``breipfont.ttf`` are two releases of one design)
  are one writer: the first in path order is kept. Families that name one hand differently
  per style (``kiloji - B``) are mapped to one hand (:data:`HAND_OF_FAMILY`).
* Printed typefaces (:data:`TYPEFACE_FONT_DIRS`, Debian font packages: Liberation, URW,
  the ADF families, ...) draw a share (``typeface_ratio``, by default half) of the ``train``
  and ``unlabeled`` samples, a family first and then one of its styles. They teach letter
  shapes across styles; ten-odd training hands (the Debian ones alone) are too few to read an
  unseen hand.
  Val and test never use them: they are read in their own, unseen hands only.
* The ``unlabeled`` pool for self-supervised pretraining uses the **train fonts only** (train
  hands and typefaces), so pretraining never sees a val/test writer. Its annotation file still
  carries the text, for debugging; the pretraining ignores it.
* Words are drawn independently per split from one vocabulary, so a word may occur in several
  splits (as in IAM); the splits are writer-independent, not vocabulary-independent.

Words: the word list is filtered to 2..12 characters drawn from the charset (by default ASCII
letters, digits and ``' - . &``). Possessive lines (``"word's"``) are dropped, because they
would only duplicate the base word; other apostrophes (``O'Brien``, ``I'd``) are kept. A small
share of samples are numbers (``1984``, ``3.50``, ``12-04``) so that digits occur, and a few
words are capitalised or written in capitals.

Missing glyphs: a character is missing in a font when it renders nothing (a non-space
character with an empty bitmap) or renders the font's ``.notdef`` glyph (the bitmap of the
surely-unmapped code point U+FFFF). A word with a missing glyph is redrawn with another font of
the same split, in a seeded random order; if no font of the split has all its glyphs, the word
is skipped, counted and reported with its first few examples.

Fonts that draw lower case as capitals (``Humor-Sans.ttf``) are excluded: they cannot teach
case. The check renders lower and upper case letters whose shapes differ in ordinary hands and
compares the normalised bitmaps (:func:`draws_lowercase_as_capitals`); ``Humor-Sans.ttf`` is
also excluded by name (:data:`EXCLUDED_FONT_FILES`) after that check.

Determinism: every sample draws from its own ``numpy`` generator seeded with
``(seed, split, index)``, and per-writer habits from ``(seed, crc32(font file name))``; fonts
are sorted by path; no global random state, no process pool. The same seed gives
byte-identical PNG files and identical annotations on a given machine (same Pillow/FreeType).

Layout written by :func:`generate_corpus` under ``out_dir``::

    imgs/<split>/<index>.png           grayscale word crops, 32..64 px high
    textrecog_<split>.json             MMOCR 1.x textrecog annotations, one per split
    fonts.json                         split -> list of font file names
    sample_sheet.png                   a grid of samples per split, for a person to look at
    corpus_meta.json                   the generation parameters (written last)

Example:
    >>> import sys; sys.path.insert(0, 'tools/data')
    >>> from demo_corpus import generate_corpus
    >>> summary = generate_corpus('data/demo_handwriting', seed=0,
    ...                           num_samples=dict(train=2000, val=300, test=500,
    ...                                            unlabeled=4000))
    >>> print(summary.format())
"""

from .corpus import (
    CORPUS_FORMAT_VERSION,
    DEFAULT_NUM_SAMPLES,
    DEFAULT_OUT_DIR,
    DEFAULT_TYPEFACE_RATIO,
    TRAINING_SPLITS,
    CorpusSummary,
    SplitSummary,
    generate_corpus,
    generate_split,
    write_annotations,
)
from .render import HandwritingRenderer, WriterHabit
from .sample_sheet import write_sample_sheet
from .words import DEFAULT_CHARSET, DEFAULT_WORDS_FILE, WORDS_PACKAGE, load_words, sample_text
from .writers import (
    DEFAULT_FONT_DIRS,
    EXCLUDED_FONT_FILES,
    FONTSOURCE_FOLDER,
    HANDWRITING_FONT_FILES,
    LABELED_SPLITS,
    SPLITS,
    HandwritingFont,
    assign_font_splits,
    discover_handwriting_fonts,
    discover_typefaces,
    draws_lowercase_as_capitals,
)

__all__ = [
    'CORPUS_FORMAT_VERSION',
    'DEFAULT_TYPEFACE_RATIO',
    'TRAINING_SPLITS',
    'discover_typefaces',
    'DEFAULT_NUM_SAMPLES',
    'DEFAULT_OUT_DIR',
    'CorpusSummary',
    'SplitSummary',
    'generate_corpus',
    'generate_split',
    'write_annotations',
    'HandwritingRenderer',
    'WriterHabit',
    'write_sample_sheet',
    'DEFAULT_CHARSET',
    'DEFAULT_WORDS_FILE',
    'WORDS_PACKAGE',
    'load_words',
    'sample_text',
    'DEFAULT_FONT_DIRS',
    'EXCLUDED_FONT_FILES',
    'FONTSOURCE_FOLDER',
    'HANDWRITING_FONT_FILES',
    'LABELED_SPLITS',
    'SPLITS',
    'HandwritingFont',
    'assign_font_splits',
    'discover_handwriting_fonts',
    'draws_lowercase_as_capitals',
]
