"""An embedded, download-free corpus of handwriting-style word images.

The demo corpus renders words of the OS word list (``/usr/share/dict/words``, Debian package
``wamerican``) with the handwriting fonts that Debian packages install (see
:data:`HANDWRITING_FONT_FILES`), and varies every sample: font size, slant, stroke width, ink
and paper tones, paper texture, ruled lines, blur, noise, baseline jitter and letter spacing.

Writers and splits:

* Each font file is a *writer*. Files of one font family (for example the four
  ``DkgHandwriting`` styles) are one *hand*, so splits are drawn per family: no family, hence
  no font file, is in more than one of ``train``, ``val`` and ``test``. Two files that carry the
  same family and style (``Breip.ttf`` and ``breipfont.ttf`` are two releases of one design)
  are one writer: the first in path order is kept.
* The ``unlabeled`` pool for self-supervised pretraining uses the **train fonts only**, so
  pretraining never sees a val/test writer. Its annotation file still carries the text, for
  debugging; the pretraining ignores it.
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
    >>> from seqclr_mmocr.datasets.handwriting_corpus import generate_corpus
    >>> summary = generate_corpus('data/demo_handwriting', seed=0,
    ...                           num_samples=dict(train=2000, val=300, test=500,
    ...                                            unlabeled=4000))
    >>> print(summary.format())
"""

import json
import math
import os
import os.path as osp
import re
import string
import time
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Bump when a change of this file changes the images or annotations for a given seed, so that
# an existing corpus is regenerated instead of reused.
CORPUS_FORMAT_VERSION = 2

SPLITS = ('train', 'val', 'test', 'unlabeled')
LABELED_SPLITS = ('train', 'val', 'test')
DEFAULT_NUM_SAMPLES = dict(train=2000, val=300, test=500, unlabeled=4000)
DEFAULT_OUT_DIR = 'data/demo_handwriting'
DEFAULT_WORDS_FILE = '/usr/share/dict/words'
WORDS_PACKAGE = 'wamerican'
DEFAULT_CHARSET = string.ascii_letters + string.digits + "'-.&"
DEFAULT_FONT_DIRS = (
    '/usr/share/fonts/truetype',
    '/usr/share/fonts/opentype',
    '/usr/local/share/fonts',
    '~/.local/share/fonts',
    '~/.fonts',
)
MIN_FONT_FAMILIES = 3  # one hand for each of train, val and test
MIN_WORD_LEN, MAX_WORD_LEN = 2, 12
MIN_HEIGHT, MAX_HEIGHT = 32, 64
SHEET_SAMPLES_PER_SPLIT = 24

# Handwriting font files known to Debian packages: file name -> package.
HANDWRITING_FONT_FILES: Dict[str, str] = {
    'dkg.ttf': 'fonts-dkg-handwriting',
    'dkgBd.ttf': 'fonts-dkg-handwriting',
    'dkgIt.ttf': 'fonts-dkg-handwriting',
    'dkgBI.ttf': 'fonts-dkg-handwriting',
    'Delphine.ttf': 'fonts-sjfonts',
    'SteveHand.ttf': 'fonts-sjfonts',
    'Breip.ttf': 'fonts-breip',
    'breipfont.ttf': 'fonts-breip',
    'femkeklaver.ttf': 'fonts-femkeklaver',
    'Humor-Sans.ttf': 'fonts-humor-sans',
    'Kristi.ttf': 'fonts-kristi',
    'DancingScript-Regular.otf': 'fonts-dancingscript',
    'DancingScript-Bold.otf': 'fonts-dancingscript',
    'Ecolier-court.ttf': 'fonts-ecolier-court',
    'ComicNeue-Regular.otf': 'fonts-comic-neue',
    'ComicNeue-Bold.otf': 'fonts-comic-neue',
    'ComicNeue-Italic.otf': 'fonts-comic-neue',
    'ComicNeue-BoldItalic.otf': 'fonts-comic-neue',
    'ComicNeue-Light.otf': 'fonts-comic-neue',
    'ComicNeue-LightItalic.otf': 'fonts-comic-neue',
    'Havana-Regular.otf': 'fonts-havana',
    'KaushanScript-Regular.otf': 'fonts-kaushanscript',
    'lobster.otf': 'fonts-lobster',
    'KleeOne-Regular.ttf': 'fonts-klee',
    'KleeOne-SemiBold.ttf': 'fonts-klee',
    'LeckerliOne-Regular.ttf': 'fonts-leckerli-one',
    'Rufscript010.ttf': 'fonts-rufscript',
    'setofont.ttf': 'fonts-seto',
    'YuseiMagic-Regular.ttf': 'fonts-yusei-magic',
}
# Checked by hand (and by draws_lowercase_as_capitals) on the Debian 12 packages.
EXCLUDED_FONT_FILES: Dict[str, str] = {
    'Humor-Sans.ttf': 'draws lower case as capitals',
}
# Letters whose lower and upper case shapes differ in ordinary hands.
_CASE_PROBE_LETTERS = 'abdefghnqrt'
_CAPITALS_IOU_THRESHOLD = 0.5  # median IoU: 0.59 for Humor Sans, at most 0.36 for the others
_SURELY_UNMAPPED = '\uffff'
_PROBE_SIZE = 64
_STROKE_PROBE = 'aemnou'
_SUPERSAMPLING = 2  # ink is drawn at twice the size, for sub-pixel stroke width control
_INK_THRESHOLD = 24  # mask level counted as ink when cropping
_MAX_WORD_ATTEMPTS = 100  # words tried for one sample before giving up
_NUM_SKIP_EXAMPLES = 5


def _basic_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine does not depend on libraqm's version, which keeps the images
    # byte-identical across machines with the same FreeType.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def _mask_array(mask) -> np.ndarray:
    width, height = mask.size
    return np.frombuffer(bytes(mask), dtype=np.uint8).reshape(height, width)


def draws_lowercase_as_capitals(path: str) -> bool:
    """Whether a font draws lower-case letters with the shapes of its capitals.

    For each letter of ``abdefghnqrt`` the lower and upper case glyphs are cropped to their
    ink, resized to 24x24 and binarised; the font draws capitals only when the median
    intersection over union exceeds 0.5.
    """
    font = _basic_font(path, _PROBE_SIZE)

    def normalised(ch: str) -> Optional[np.ndarray]:
        mask = font.getmask(ch)
        bbox = mask.getbbox()
        if bbox is None:
            return None
        image = Image.frombytes('L', mask.size, bytes(mask)).crop(bbox)
        return np.asarray(image.resize((24, 24), Image.BILINEAR)) > 127

    ious = []
    for ch in _CASE_PROBE_LETTERS:
        lower, upper = normalised(ch), normalised(ch.upper())
        if lower is None or upper is None:
            continue
        union = np.logical_or(lower, upper).sum()
        ious.append(np.logical_and(lower, upper).sum() / max(int(union), 1))
    return bool(ious) and float(np.median(ious)) > _CAPITALS_IOU_THRESHOLD


class HandwritingFont:
    """One handwriting font file: a writer of the corpus.

    Args:
        path (str): Path of the ``.ttf``/``.otf`` file.
        package (str): Debian package that ships it, for messages.
    """

    def __init__(self, path: str, package: str = 'unknown') -> None:
        self.path = path
        self.file_name = osp.basename(path)
        self.package = package
        probe = _basic_font(path, _PROBE_SIZE)
        self.family, self.style = probe.getname()
        x_top = probe.getbbox('x', anchor='ls')[1]
        # Font size per pixel of x-height, so that all hands get comparable letter sizes.
        self.size_per_x_height = _PROBE_SIZE / max(-x_top, 1)
        # Stroke thickness per pixel of font size: 2 * area / perimeter of the ink.
        ink = _mask_array(probe.getmask(_STROKE_PROBE)) > 127
        padded = np.pad(ink, 1)
        perimeter = (padded[1:] != padded[:-1]).sum() + (padded[:, 1:] != padded[:, :-1]).sum()
        self.stroke_per_size = 2.0 * ink.sum() / max(int(perimeter), 1) / _PROBE_SIZE
        self._probe = probe
        notdef = probe.getmask(_SURELY_UNMAPPED)
        self._notdef = (notdef.size, bytes(notdef))
        self._has_glyph: Dict[str, bool] = {}
        self._sized: Dict[int, ImageFont.FreeTypeFont] = {}

    def __repr__(self) -> str:
        return f'HandwritingFont({self.file_name!r}, {self.family} {self.style})'

    def has_glyph(self, ch: str) -> bool:
        """Whether the font draws ``ch`` with a glyph of its own (not .notdef, not empty)."""
        if ch not in self._has_glyph:
            if ch.isspace():
                self._has_glyph[ch] = True
            else:
                mask = self._probe.getmask(ch)
                drawn = mask.getbbox() is not None
                self._has_glyph[ch] = drawn and (mask.size, bytes(mask)) != self._notdef
        return self._has_glyph[ch]

    def missing_glyphs(self, text: str) -> List[str]:
        """Characters of ``text`` the font lacks, in order of first occurrence."""
        return [ch for ch in dict.fromkeys(text) if not self.has_glyph(ch)]

    def sized(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at ``size`` pixels (cached)."""
        if size not in self._sized:
            self._sized[size] = _basic_font(self.path, size)
        return self._sized[size]


def _install_hint() -> str:
    packages = sorted(
        set(HANDWRITING_FONT_FILES.values())
        - {HANDWRITING_FONT_FILES[f] for f in EXCLUDED_FONT_FILES}
    )
    return 'sudo apt-get install ' + ' '.join(packages)


def discover_handwriting_fonts(
    font_dirs: Sequence[str] = DEFAULT_FONT_DIRS, min_families: int = MIN_FONT_FAMILIES
) -> List[HandwritingFont]:
    """Find the usable handwriting fonts by scanning font folders for known file names.

    Fonts in :data:`EXCLUDED_FONT_FILES`, fonts that draw lower case as capitals and a second
    file of an already found family and style are left out.

    Args:
        font_dirs (Sequence[str]): Folders scanned recursively. Defaults to the system and user
            font folders.
        min_families (int): Fewest font families (hands) needed; one per labelled split.

    Returns:
        list[HandwritingFont]: The fonts, sorted by path.

    Raises:
        RuntimeError: If fewer than ``min_families`` families are found; the message names
            the Debian packages to install.
    """
    paths = []
    for font_dir in font_dirs:
        font_dir = osp.expanduser(font_dir)
        if not osp.isdir(font_dir):
            continue
        for root, dirs, files in os.walk(font_dir):
            dirs.sort()
            for name in sorted(files):
                if name in HANDWRITING_FONT_FILES and name not in EXCLUDED_FONT_FILES:
                    paths.append(osp.join(root, name))
    fonts, seen = [], set()
    for path in sorted(set(paths)):
        if draws_lowercase_as_capitals(path):
            continue
        font = HandwritingFont(path, HANDWRITING_FONT_FILES[osp.basename(path)])
        if (font.family, font.style) in seen:
            continue
        seen.add((font.family, font.style))
        fonts.append(font)
    families = sorted({font.family for font in fonts})
    if len(families) < min_families:
        raise RuntimeError(
            f'The handwriting demo corpus needs fonts of at least {min_families} families '
            f'(one per train/val/test split) but found {len(families)} {families} in '
            f'{list(font_dirs)}. Install the Debian font packages: {_install_hint()}'
        )
    return fonts


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


def assign_font_splits(
    fonts: Sequence[HandwritingFont],
    seed: int,
    ratios: Tuple[float, float, float] = (0.6, 0.2, 0.2),
) -> Dict[str, List[HandwritingFont]]:
    """Assign whole font families to writer-independent splits.

    Families are sorted by name and shuffled with ``seed``, then taken largest first (a
    stable sort, so the seed orders families of equal size) and each is given to the split
    whose family count is furthest below its share ``ratios`` (train, val, test) of all
    families.
    Every split gets at least one family. The ``unlabeled`` pool gets the train fonts.

    Returns:
        dict[str, list[HandwritingFont]]: Split name -> its fonts, sorted by path.
    """
    by_family: Dict[str, List[HandwritingFont]] = {}
    for font in sorted(fonts, key=lambda f: f.path):
        by_family.setdefault(font.family, []).append(font)
    names = sorted(by_family)
    if len(names) < len(LABELED_SPLITS):
        raise ValueError(
            f'Need at least {len(LABELED_SPLITS)} font families (one per '
            f'split), got {names}. Install: {_install_hint()}'
        )
    order = np.random.default_rng([seed, 0x5EED]).permutation(len(names))
    shuffled = sorted((names[i] for i in order), key=lambda n: -len(by_family[n]))
    # Shares count hands (families), not font files: a family with many styles (six
    # ComicNeue weights) is still one writer and must not crowd other hands out of train.
    deficit = {split: r * len(names) for split, r in zip(LABELED_SPLITS, ratios)}
    splits: Dict[str, List[HandwritingFont]] = {split: [] for split in LABELED_SPLITS}
    for i, name in enumerate(shuffled):
        empty = [split for split in LABELED_SPLITS if not splits[split]]
        candidates = empty if len(shuffled) - i <= len(empty) else list(LABELED_SPLITS)
        # Ties go to test, then val: the test split should not be the smallest.
        split = max(reversed(candidates), key=lambda s: deficit[s])
        splits[split].extend(by_family[name])
        deficit[split] -= 1
    splits = {split: sorted(members, key=lambda f: f.path) for split, members in splits.items()}
    splits['unlabeled'] = list(splits['train'])
    return splits


@dataclass
class WriterHabit:
    """Per-writer tendencies, so that one writer's samples look alike."""

    slant: float
    spacing: float
    size: float


def _writer_habit(seed: int, font: HandwritingFont) -> WriterHabit:
    # crc32, not hash(): str hashes are salted per process.
    rng = np.random.default_rng([seed, zlib.crc32(font.file_name.encode())])
    return WriterHabit(
        slant=float(rng.normal(0.08, 0.12)),
        spacing=float(rng.uniform(-0.05, 0.15)),
        size=float(rng.uniform(0.9, 1.1)),
    )


def _smooth_field(rng: np.random.Generator, height: int, width: int, cell: int) -> np.ndarray:
    """Low-frequency noise in about [-1, 1]: a coarse random grid upsampled bicubically."""
    grid = rng.standard_normal((height // cell + 2, width // cell + 2)).astype(np.float32)
    image = Image.fromarray(grid, mode='F').resize((width, height), Image.BICUBIC)
    return np.asarray(image)


class HandwritingRenderer:
    """Render one word as a grayscale handwriting-style crop.

    Args:
        seed (int): Corpus seed; sets the per-writer habits.

    Example:
        >>> renderer = HandwritingRenderer(seed=0)
        >>> image = renderer.render('hello', font, np.random.default_rng(0))  # uint8 HxW
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._habits: Dict[str, WriterHabit] = {}

    def habit(self, font: HandwritingFont) -> WriterHabit:
        if font.path not in self._habits:
            self._habits[font.path] = _writer_habit(self.seed, font)
        return self._habits[font.path]

    def render(self, word: str, font: HandwritingFont, rng: np.random.Generator) -> np.ndarray:
        """Render ``word`` with ``font``; returns a uint8 array of height 32..64."""
        habit = self.habit(font)
        ss = _SUPERSAMPLING
        x_height = rng.uniform(10, 17) * habit.size  # in output pixels
        size = max(8, int(round(ss * x_height * font.size_per_x_height)))
        # Stroke width: the font's own, scaled by a random factor and kept within
        # 1.1..3.4 output pixels. At the drawing scale, stroke_width k thickens strokes by
        # k output pixels, and one 3x3 erosion thins them by one.
        native = font.stroke_per_size * size / ss
        target = float(np.clip(native * np.exp(rng.normal(0.1, 0.35)), 1.1, 3.4))
        stroke = max(0, int(round(target - native)))
        mask, baseline = self._draw_ink(word, font.sized(size), ss * x_height, habit, stroke, rng)
        if target - native <= -0.7:
            thinned = mask.filter(ImageFilter.MinFilter(3))
            if np.count_nonzero(np.asarray(thinned) > 127) >= 0.5 * np.count_nonzero(
                np.asarray(mask) > 127
            ):
                mask = thinned
        slant = float(np.clip(habit.slant + rng.normal(0, 0.08), -0.3, 0.5))
        mask = self._shear(mask, slant, baseline).reduce(ss)
        alpha, baseline = self._crop(np.asarray(mask), baseline / ss, rng)
        return self._paint(alpha, baseline, rng)

    @staticmethod
    def _draw_ink(
        word: str,
        font: ImageFont.FreeTypeFont,
        x_height: float,
        habit: WriterHabit,
        stroke: int,
        rng: np.random.Generator,
    ) -> Tuple[Image.Image, float]:
        """Draw the ink mask (255 = ink) and return it with the baseline row.

        ``x_height`` is in pixels of the drawing; offsets are relative to it.
        """
        per_letter = len(word) > 1 and rng.random() < 0.6
        if per_letter:
            # Baseline jitter: a slow tilt plus per-letter wobble; spacing: a per-word value
            # plus per-letter noise, on top of the kerned advances.
            jitter_scale = rng.uniform(0.0, 0.12) * x_height
            tilt = rng.normal(0, 0.04) * x_height
            centre = (len(word) - 1) / 2
            offsets_y = [
                tilt * (i - centre) + rng.normal(0, 1) * jitter_scale for i in range(len(word))
            ]
            spacing = (habit.spacing + rng.uniform(-0.08, 0.2)) * x_height
            extra = np.cumsum(
                [0.0] + [spacing + rng.uniform(-0.1, 0.1) * x_height for _ in range(len(word) - 1)]
            )
            offsets_x = [font.getlength(word[:i]) + extra[i] for i in range(len(word))]
        else:
            offsets_y, offsets_x = [0.0], [0.0]
        pieces = list(word) if per_letter else [word]
        boxes = []
        for piece, dx, dy in zip(pieces, offsets_x, offsets_y):
            left, top, right, bottom = font.getbbox(piece, anchor='ls', stroke_width=stroke)
            boxes.append((left + dx, top + dy, right + dx, bottom + dy))
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        pad = 4 + stroke
        height = int(math.ceil(bottom - top)) + 2 * pad
        # Room for the shear, which moves a row by up to 0.5 * its distance to the baseline.
        shear_pad = int(math.ceil(0.5 * height))
        width = int(math.ceil(right - left)) + 2 * (pad + shear_pad)
        canvas = Image.new('L', (width, height), 0)
        draw = ImageDraw.Draw(canvas)
        baseline = pad - top
        x0 = shear_pad + pad - left
        if per_letter:
            for ch, dx, dy in zip(word, offsets_x, offsets_y):
                draw.text(
                    (x0 + dx, baseline + dy),
                    ch,
                    font=font,
                    fill=255,
                    anchor='ls',
                    stroke_width=stroke,
                    stroke_fill=255,
                )
        else:
            draw.text(
                (x0, baseline),
                word,
                font=font,
                fill=255,
                anchor='ls',
                stroke_width=stroke,
                stroke_fill=255,
            )
        return canvas, baseline

    @staticmethod
    def _shear(mask: Image.Image, slant: float, baseline: float) -> Image.Image:
        """Slant the ink: a row at height ``h`` above the baseline moves ``slant * h`` right."""
        if abs(slant) < 1e-3:
            return mask
        # Image.transform maps each output pixel (x, y) to the input (x + s*y - s*b, y).
        return mask.transform(
            mask.size, Image.AFFINE, (1, slant, -slant * baseline, 0, 1, 0), resample=Image.BILINEAR
        )

    @staticmethod
    def _crop(
        mask: np.ndarray, baseline: float, rng: np.random.Generator
    ) -> Tuple[np.ndarray, float]:
        """Crop around the ink with a small random margin, to 32..64 rows.

        Returns the ink opacity in [0, 1] and the baseline row in the crop.
        """
        rows = np.flatnonzero((mask > _INK_THRESHOLD).any(axis=1))
        cols = np.flatnonzero((mask > _INK_THRESHOLD).any(axis=0))
        if rows.size == 0:
            raise ValueError('the word rendered no ink')
        top, bottom = rows[0], rows[-1] + 1
        left, right = cols[0], cols[-1] + 1
        mt, mb, ml, mr = (int(m) for m in rng.integers(2, 9, size=4))
        crop = np.pad(mask[top:bottom, left:right], ((mt, mb), (ml, mr)))
        baseline = baseline - top + mt
        if crop.shape[0] > MAX_HEIGHT:
            target = int(rng.integers(52, MAX_HEIGHT + 1))
            scale = target / crop.shape[0]
            new_width = max(1, int(round(crop.shape[1] * scale)))
            crop = np.asarray(Image.fromarray(crop).resize((new_width, target), Image.LANCZOS))
            baseline *= scale
        if crop.shape[0] < MIN_HEIGHT:
            missing = MIN_HEIGHT - crop.shape[0]
            extra_top = int(rng.integers(0, missing + 1))
            crop = np.pad(crop, ((extra_top, missing - extra_top), (0, 0)))
            baseline += extra_top
        return crop.astype(np.float32) / 255.0, baseline

    @staticmethod
    def _paint(alpha: np.ndarray, baseline: float, rng: np.random.Generator) -> np.ndarray:
        """Put the ink on textured paper, then blur and add noise."""
        height, width = alpha.shape
        paper_tone = rng.uniform(185, 250)
        ink_tone = rng.uniform(0, min(80, paper_tone - 120))
        paper = np.full((height, width), paper_tone, dtype=np.float32)
        paper += rng.uniform(0, 10) * _smooth_field(rng, height, width, 24)
        paper += rng.uniform(0, 4) * rng.standard_normal((height, width)).astype(np.float32)
        if rng.random() < 0.2:
            # A faint ruled line just under the baseline.
            row = int(round(baseline + rng.uniform(1, 4)))
            if 0 <= row < height:
                paper[row] -= rng.uniform(20, 50)
        # Uneven pen pressure.
        pressure = 1.0 - rng.uniform(0, 0.25) * (0.5 + 0.5 * _smooth_field(rng, height, width, 12))
        alpha = alpha * np.clip(pressure, 0.5, 1.0)
        image = paper * (1.0 - alpha) + ink_tone * alpha
        if rng.random() < 0.4:
            blurred = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).filter(
                ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))
            )
            image = np.asarray(blurred, dtype=np.float32)
        image = image + rng.uniform(0, 6) * rng.standard_normal((height, width)).astype(np.float32)
        return np.clip(np.round(image), 0, 255).astype(np.uint8)


def _sample_text(
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


@dataclass
class SplitSummary:
    """What was generated for one split."""

    samples: int = 0
    fonts: List[str] = field(default_factory=list)
    refonted_words: int = 0  # drawn with another font of the split: a glyph was missing
    skipped_words: int = 0  # no font of the split had all the glyphs
    skipped_examples: List[str] = field(default_factory=list)


@dataclass
class CorpusSummary:
    """What :func:`generate_corpus` did."""

    out_dir: str
    splits: Dict[str, SplitSummary]
    sheet_path: str
    seconds: float = 0.0
    reused: bool = False

    def format(self) -> str:
        lines = [
            f'Handwriting demo corpus in {self.out_dir}'
            + (
                ' (existing, same parameters: not regenerated)'
                if self.reused
                else f' (generated in {self.seconds:.1f} s)'
            )
        ]
        for split, s in self.splits.items():
            line = (
                f'  {split:9s} {s.samples:6d} samples, {len(s.fonts)} fonts '
                f'({", ".join(s.fonts)}), {s.refonted_words} words redrawn with another '
                f'font, {s.skipped_words} words skipped'
            )
            if s.skipped_examples:
                line += f' (e.g. {", ".join(s.skipped_examples)})'
            lines.append(line)
        lines.append(f'  sample sheet: {self.sheet_path}')
        return '\n'.join(lines)


def _split_code(split: str) -> int:
    return SPLITS.index(split) if split in SPLITS else zlib.crc32(split.encode())


def _choose_font(
    text: str, fonts: Sequence[HandwritingFont], rng: np.random.Generator
) -> Tuple[Optional[HandwritingFont], bool]:
    """A font of ``fonts`` with every glyph of ``text`` and whether it was a second choice."""
    order = rng.permutation(len(fonts))
    for rank, i in enumerate(order):
        if not fonts[i].missing_glyphs(text):
            return fonts[i], rank > 0
    return None, False


def generate_split(
    split: str,
    num_samples: int,
    fonts: Sequence[HandwritingFont],
    words: Sequence[str],
    renderer: HandwritingRenderer,
    out_dir: str,
    charset: str = DEFAULT_CHARSET,
    numeric_ratio: float = 0.05,
    seed: int = 0,
    progress: Optional[ProgressBar] = None,
) -> Tuple[List[dict], SplitSummary, List[Tuple[np.ndarray, str, str]]]:
    """Render and save ``num_samples`` images of one split.

    Returns:
        tuple: The MMOCR ``data_list``, the :class:`SplitSummary` and the first
        :data:`SHEET_SAMPLES_PER_SPLIT` samples as ``(image, text, font file name)``.
    """
    summary = SplitSummary(fonts=[f.file_name for f in fonts])
    img_dir = osp.join(out_dir, 'imgs', split)
    os.makedirs(img_dir, exist_ok=True)
    data_list, sheet = [], []
    for index in range(num_samples):
        rng = np.random.default_rng([seed, _split_code(split), index])
        for _ in range(_MAX_WORD_ATTEMPTS):
            text = _sample_text(words, charset, numeric_ratio, rng)
            font, refonted = _choose_font(text, fonts, rng)
            if font is not None:
                break
            summary.skipped_words += 1
            if len(summary.skipped_examples) < _NUM_SKIP_EXAMPLES:
                summary.skipped_examples.append(repr(text))
        else:
            raise RuntimeError(
                f'Split {split!r}: no font of {summary.fonts} has the glyphs of '
                f'{_MAX_WORD_ATTEMPTS} words in a row (e.g. {summary.skipped_examples}); '
                'restrict the charset or the word list.'
            )
        summary.refonted_words += int(refonted)
        image = renderer.render(text, font, rng)
        rel_path = f'imgs/{split}/{index:06d}.png'
        Image.fromarray(image, mode='L').save(osp.join(out_dir, rel_path))
        data_list.append(dict(img_path=rel_path, instances=[dict(text=text)]))
        if len(sheet) < SHEET_SAMPLES_PER_SPLIT:
            sheet.append((image, text, font.file_name))
        summary.samples += 1
        if progress is not None:
            progress.update()
    _remove_stale_images(img_dir, num_samples)
    return data_list, summary, sheet


def _remove_stale_images(img_dir: str, num_samples: int) -> None:
    """Delete ``<index>.png`` files left by an earlier, larger run of this generator."""
    for name in os.listdir(img_dir):
        match = re.fullmatch(r'(\d{6,})\.png', name)
        if match and int(match.group(1)) >= num_samples:
            os.remove(osp.join(img_dir, name))


def write_sample_sheet(
    path: str, samples: Dict[str, List[Tuple[np.ndarray, str, str]]], columns: int = 6
) -> None:
    """Draw a grid of samples per split, each captioned with its text and font."""
    cell_w, cell_h, image_h, header_h = 230, 92, 64, 26
    caption_font = ImageFont.load_default(size=12)
    header_font = ImageFont.load_default(size=16)
    rows = {split: max(1, math.ceil(len(items) / columns)) for split, items in samples.items()}
    height = sum(header_h + r * cell_h for r in rows.values()) + 8
    sheet = Image.new('L', (columns * cell_w + 8, height), 255)
    draw = ImageDraw.Draw(sheet)
    y = 4
    for split, items in samples.items():
        fonts = sorted({font for _, _, font in items})
        draw.text(
            (6, y + 4), f'{split}  (fonts seen: {", ".join(fonts)})', font=header_font, fill=0
        )
        y += header_h
        for i, (image, text, font) in enumerate(items):
            x0 = 4 + (i % columns) * cell_w
            y0 = y + (i // columns) * cell_h
            crop = Image.fromarray(image, mode='L')
            scale = min(1.0, (cell_w - 10) / crop.width, image_h / crop.height)
            if scale < 1.0:
                crop = crop.resize(
                    (max(1, int(crop.width * scale)), max(1, int(crop.height * scale))),
                    Image.BILINEAR,
                )
            sheet.paste(crop, (x0 + 2, y0 + 2))
            draw.rectangle((x0 + 1, y0 + 1, x0 + 3 + crop.width, y0 + 3 + crop.height), outline=160)
            draw.text((x0 + 2, y0 + image_h + 8), f'{text}  [{font}]', font=caption_font, fill=0)
        y += rows[split] * cell_h
    sheet.save(path)


def _dump_json(obj, path: str) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write('\n')


def _corpus_params(
    seed: int,
    num_samples: Dict[str, int],
    words_file: str,
    charset: str,
    numeric_ratio: float,
    fonts: Sequence[HandwritingFont],
) -> dict:
    return dict(
        format_version=CORPUS_FORMAT_VERSION,
        seed=seed,
        num_samples={split: int(num_samples[split]) for split in SPLITS},
        words_file=osp.abspath(words_file),
        words_file_size=osp.getsize(words_file),
        charset=charset,
        numeric_ratio=numeric_ratio,
        fonts=[font.path for font in fonts],
        pillow=Image.__version__,
    )


def generate_corpus(
    out_dir: str = DEFAULT_OUT_DIR,
    seed: int = 0,
    num_samples: Optional[Dict[str, int]] = None,
    words_file: str = DEFAULT_WORDS_FILE,
    charset: str = DEFAULT_CHARSET,
    font_dirs: Sequence[str] = DEFAULT_FONT_DIRS,
    numeric_ratio: float = 0.05,
    force: bool = False,
) -> CorpusSummary:
    """Generate the handwriting demo corpus (see the module docstring for the layout).

    An existing corpus with the same parameters (``corpus_meta.json``) is reused unless
    ``force``.

    Args:
        out_dir (str): Output folder.
        seed (int): Seed of everything random.
        num_samples (dict, optional): Samples per split (``train``, ``val``, ``test``,
            ``unlabeled``); missing splits take :data:`DEFAULT_NUM_SAMPLES`.
        words_file (str): Word list, one word a line.
        charset (str): Characters a word may contain.
        font_dirs (Sequence[str]): Folders scanned for the handwriting fonts.
        numeric_ratio (float): Share of samples that are numbers rather than words.
        force (bool): Regenerate even if the corpus exists with the same parameters.

    Returns:
        CorpusSummary: Per-split counts and the sample sheet path.
    """
    counts = dict(DEFAULT_NUM_SAMPLES)
    counts.update(num_samples or {})
    unknown = set(counts) - set(SPLITS)
    if unknown:
        raise ValueError(f'Unknown splits {sorted(unknown)}; expected {SPLITS}.')
    if any(int(n) < 0 for n in counts.values()):
        raise ValueError(f'Sample counts must be >= 0, got {counts}.')
    fonts = discover_handwriting_fonts(font_dirs)
    words = load_words(words_file, charset)
    params = _corpus_params(seed, counts, words_file, charset, numeric_ratio, fonts)
    meta_path = osp.join(out_dir, 'corpus_meta.json')
    sheet_path = osp.join(out_dir, 'sample_sheet.png')
    if not force and osp.isfile(meta_path):
        with open(meta_path, encoding='utf-8') as f:
            meta = json.load(f)
        outputs = [osp.join(out_dir, f'textrecog_{s}.json') for s in SPLITS]
        if meta.get('params') == params and all(osp.isfile(p) for p in outputs):
            splits = {s: SplitSummary(**v) for s, v in meta['summary'].items()}
            return CorpusSummary(out_dir, splits, sheet_path, reused=True)

    start = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    if osp.isfile(meta_path):
        os.remove(meta_path)  # an interrupted run must not look complete
    font_splits = assign_font_splits(fonts, seed)
    renderer = HandwritingRenderer(seed)
    progress = ProgressBar(sum(counts.values()))
    summaries, sheets = {}, {}
    for split in SPLITS:
        data_list, summary, sheet = generate_split(
            split,
            counts[split],
            font_splits[split],
            words,
            renderer,
            out_dir,
            charset,
            numeric_ratio,
            seed,
            progress,
        )
        _dump_json(
            dict(
                metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
                data_list=data_list,
            ),
            osp.join(out_dir, f'textrecog_{split}.json'),
        )
        summaries[split], sheets[split] = summary, sheet
    print()  # end the progress bar line
    _dump_json(
        {split: [f.file_name for f in font_splits[split]] for split in SPLITS},
        osp.join(out_dir, 'fonts.json'),
    )
    write_sample_sheet(sheet_path, sheets)
    seconds = time.perf_counter() - start
    _dump_json(
        dict(
            params=params,
            summary={s: vars(v) for s, v in summaries.items()},
            seconds=round(seconds, 2),
        ),
        meta_path,
    )
    return CorpusSummary(out_dir, summaries, sheet_path, seconds=seconds)
