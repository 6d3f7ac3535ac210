"""Writers of the demo corpus: the handwriting fonts, their discovery and the
writer-independent split of font families (hands) into train, val and test; and the printed
typefaces that only the training data (labelled train and the unlabelled pool) uses.

See :mod:`demo_corpus` for the whole design.
"""

import os
import os.path as osp
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageFont

SPLITS = ('train', 'val', 'test', 'unlabeled')
LABELED_SPLITS = ('train', 'val', 'test')
# Where tools/data/fetch_handwriting_fonts.sh puts the Fontsource fonts: data/fonts/.
REPO_FONT_DIR = osp.normpath(osp.join(osp.dirname(__file__), '..', '..', '..', 'data', 'fonts'))
DEFAULT_FONT_DIRS = (
    REPO_FONT_DIR,
    '/usr/share/fonts/truetype',
    '/usr/share/fonts/opentype',
    '/usr/local/share/fonts',
    '~/.local/share/fonts',
    '~/.fonts',
)
MIN_FONT_FAMILIES = 3  # one hand for each of train, val and test


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
    'Purisa.ttf': 'fonts-tlwg-purisa',
    'Purisa-Bold.ttf': 'fonts-tlwg-purisa',
    'Purisa-Oblique.ttf': 'fonts-tlwg-purisa',
    'Purisa-BoldOblique.ttf': 'fonts-tlwg-purisa',
    'kiloji.ttf': 'fonts-kiloji',
    'kiloji_b.ttf': 'fonts-kiloji',
    'kiloji_d.ttf': 'fonts-kiloji',
    'kiloji_p.ttf': 'fonts-kiloji',
    'CabinSketch-Regular.ttf': 'fonts-cabinsketch',
    'CabinSketch-Bold.ttf': 'fonts-cabinsketch',
}
# Google Fonts' handwriting families, from the npm packages of Fontsource (pinned in
# tools/data/fontsource_hands.txt): every font file under a folder of this name is a hand,
# ``fontsource/<id>/<id>-latin-400-normal.woff``, shipped by ``@fontsource/<id>``.
FONTSOURCE_FOLDER = 'fontsource'
# Font families that name one hand differently per style: family name -> hand.
HAND_OF_FAMILY: Dict[str, str] = {
    'kiloji - B': 'kiloji',
    'kiloji - D': 'kiloji',
    'kiloji - P': 'kiloji',
    'CabinSketch': 'Cabin Sketch',
}
# Printed typefaces, by the font folder their Debian package installs: folder -> package.
# They teach letter shapes across many styles, so the training data (labelled train and the
# unlabelled pool) draws a share of its words with them; val and test never do: they are read
# in unseen hands only.
TYPEFACE_FONT_DIRS: Dict[str, str] = {
    'adf': 'fonts-adf-*',
    'averia-gwf': 'fonts-averia-gwf fonts-averia-sans-gwf fonts-averia-serif-gwf',
    'cantarell': 'fonts-cantarell',
    'comfortaa': 'fonts-comfortaa',
    'crosextra': 'fonts-crosextra-caladea fonts-crosextra-carlito',
    'dejavu': 'fonts-dejavu-core',
    'dosis': 'fonts-dosis',
    'ebgaramond': 'fonts-ebgaramond',
    'fonts-oldstandard': 'fonts-oldstandard',
    'freefont': 'fonts-freefont-ttf',
    'inconsolata': 'fonts-inconsolata',
    'jura': 'fonts-jura',
    'liberation': 'fonts-liberation',
    'linux-libertine': 'fonts-linuxlibertine',
    'mononoki': 'fonts-mononoki',
    'open-sans': 'fonts-open-sans',
    'opendyslexic': 'fonts-opendyslexic',
    'quicksand': 'fonts-quicksand',
    'roboto': 'fonts-roboto-unhinted',
    'sortsmill': 'fonts-goudybookletter',
    'staypuft': 'fonts-staypuft',
    'tuffy': 'fonts-tuffy',
    'urw-base35': 'fonts-urw-base35',
    'yanone-kaffeesatz': 'fonts-yanone-kaffeesatz',
}
# Typefaces whose letters are not letters (symbols, keycaps, initials) or are hard to read
# (checked by eye on Debian 12): file name prefix -> why.
EXCLUDED_TYPEFACE_PREFIXES: Dict[str, str] = {
    'D050000L': 'dingbats',
    'StandardSymbols': 'Greek symbols',
    'LinBiolinum_K': 'keyboard keycaps',
    'LinLibertine_I': 'initials',
    'BerenisADFProMath': 'math',
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
        self.family_name, self.style = probe.getname()
        self.family = HAND_OF_FAMILY.get(self.family_name, self.family_name)
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
    return (
        'sudo apt-get install '
        + ' '.join(packages)
        + '; and, for the Google Fonts hands: bash tools/data/fetch_handwriting_fonts.sh'
    )


def _walk_font_files(font_dirs: Sequence[str]) -> Iterator[Tuple[str, str, str]]:
    """Every file under the existing ``font_dirs``, as ``(font_dir, folder, file name)``, in a
    fixed order."""
    for font_dir in font_dirs:
        font_dir = osp.expanduser(font_dir)
        if not osp.isdir(font_dir):
            continue
        for root, dirs, files in os.walk(font_dir):
            dirs.sort()
            for name in sorted(files):
                yield font_dir, root, name


def _load_fonts(
    paths_and_packages: Iterable[Tuple[str, str]], skip_unreadable: bool = False
) -> List[HandwritingFont]:
    """The fonts at the paths, sorted by path, without those that draw lower case as capitals
    and without a second file of a family and style already found (the first path wins)."""
    fonts, seen = [], set()
    for path, package in sorted(set(paths_and_packages)):
        try:
            if draws_lowercase_as_capitals(path):
                continue
            font = HandwritingFont(path, package)
        except OSError:
            if not skip_unreadable:
                raise
            continue  # a file FreeType cannot open is no font of ours
        if (font.family_name, font.style) in seen:
            continue
        seen.add((font.family_name, font.style))
        fonts.append(font)
    return fonts


def discover_handwriting_fonts(
    font_dirs: Sequence[str] = DEFAULT_FONT_DIRS, min_families: int = MIN_FONT_FAMILIES
) -> List[HandwritingFont]:
    """Find the usable handwriting fonts by scanning font folders for known file names, and
    for any font file in a ``fontsource/<id>/`` folder (:data:`FONTSOURCE_FOLDER`).

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
    pairs = []
    for _, root, name in _walk_font_files(font_dirs):
        if name in HANDWRITING_FONT_FILES and name not in EXCLUDED_FONT_FILES:
            pairs.append((osp.join(root, name), HANDWRITING_FONT_FILES[name]))
        elif osp.basename(osp.dirname(root)) == FONTSOURCE_FOLDER and name.endswith(
            ('.woff', '.ttf', '.otf')
        ):
            pairs.append((osp.join(root, name), '@fontsource/' + osp.basename(root)))
    fonts = _load_fonts(pairs)
    families = sorted({font.family for font in fonts})
    if len(families) < min_families:
        raise RuntimeError(
            f'The handwriting demo corpus needs fonts of at least {min_families} families '
            f'(one per train/val/test split) but found {len(families)} {families} in '
            f'{list(font_dirs)}. Install the Debian font packages: {_install_hint()}'
        )
    return fonts


def discover_typefaces(font_dirs: Sequence[str] = DEFAULT_FONT_DIRS) -> List[HandwritingFont]:
    """Find the printed typefaces of :data:`TYPEFACE_FONT_DIRS` in the font folders.

    Fonts named in :data:`EXCLUDED_TYPEFACE_PREFIXES`, fonts that draw lower case as capitals
    (small caps) and a second file of an already found family and style are left out. None
    found is not an error: the corpus is then drawn in handwriting fonts only.

    Returns:
        list[HandwritingFont]: The typefaces, sorted by path.
    """
    excluded = tuple(EXCLUDED_TYPEFACE_PREFIXES)
    pairs = []
    for font_dir, root, name in _walk_font_files(font_dirs):
        parts = set(osp.relpath(root, font_dir).split(os.sep)) & set(TYPEFACE_FONT_DIRS)
        if parts and name.lower().endswith(('.ttf', '.otf')) and not name.startswith(excluded):
            pairs.append((osp.join(root, name), TYPEFACE_FONT_DIRS[min(parts)]))
    return _load_fonts(pairs, skip_unreadable=True)


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
