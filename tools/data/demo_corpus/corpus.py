"""Generation of the whole demo corpus: every split, its annotations, the sample sheet."""

import json
import os
import os.path as osp
import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image

from .render import HandwritingRenderer
from .sample_sheet import write_sample_sheet
from .words import DEFAULT_CHARSET, DEFAULT_WORDS_FILE, load_words, sample_text
from .writers import (
    DEFAULT_FONT_DIRS,
    SPLITS,
    HandwritingFont,
    assign_font_splits,
    discover_handwriting_fonts,
    discover_typefaces,
)

# Bump when a change of this file changes the images or annotations for a given seed, so that
# an existing corpus is regenerated instead of reused.
CORPUS_FORMAT_VERSION = 3

DEFAULT_NUM_SAMPLES = dict(train=2000, val=300, test=500, unlabeled=4000)
DEFAULT_OUT_DIR = 'data/demo_handwriting'
FONTS_NAMED_PER_SPLIT = 8  # in the printed summary
# Splits that train a recognizer; only they are drawn in printed typefaces as well.
TRAINING_SPLITS = ('train', 'unlabeled')
DEFAULT_TYPEFACE_RATIO = 0.5
SHEET_SAMPLES_PER_SPLIT = 24
_MAX_WORD_ATTEMPTS = 100  # words tried for one sample before giving up
_NUM_SKIP_EXAMPLES = 5


@dataclass
class SplitSummary:
    """What was generated for one split."""

    samples: int = 0
    fonts: List[str] = field(default_factory=list)
    refonted_words: int = 0  # drawn with another font of the split: a glyph was missing
    skipped_words: int = 0  # no font of the split had all the glyphs
    skipped_examples: List[str] = field(default_factory=list)
    typeface_samples: int = 0  # drawn with a printed typeface instead of a hand


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
            # fonts.json lists every font; a line names a few.
            shown = ', '.join(s.fonts[:FONTS_NAMED_PER_SPLIT])
            if len(s.fonts) > FONTS_NAMED_PER_SPLIT:
                shown += f' and {len(s.fonts) - FONTS_NAMED_PER_SPLIT} more'
            line = (
                f'  {split:9s} {s.samples:6d} samples, {len(s.fonts)} handwriting fonts '
                f'({shown}), {s.typeface_samples} samples in printed typefaces, '
                f'{s.refonted_words} words redrawn with another font, {s.skipped_words} words '
                'skipped'
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


def _choose_typeface(
    text: str, by_family: Sequence[Sequence[HandwritingFont]], rng: np.random.Generator
) -> Optional[HandwritingFont]:
    """A typeface with every glyph of ``text``: a family first, then one of its styles, so
    that a family with many styles is not drawn more often than the others."""
    for family in rng.permutation(len(by_family)):
        styles = by_family[family]
        for i in rng.permutation(len(styles)):
            if not styles[i].missing_glyphs(text):
                return styles[i]
    return None


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
    typefaces: Sequence[HandwritingFont] = (),
    typeface_ratio: float = 0.0,
) -> Tuple[List[dict], SplitSummary, List[Tuple[np.ndarray, str, str]]]:
    """Render and save ``num_samples`` images of one split.

    A share ``typeface_ratio`` of the samples is drawn with one of ``typefaces`` (printed
    fonts) instead of a hand of ``fonts``; with no typefaces, every sample is handwriting.

    Returns:
        tuple: The MMOCR ``data_list``, the :class:`SplitSummary` and the first
        :data:`SHEET_SAMPLES_PER_SPLIT` samples as ``(image, text, font file name)``.
    """
    summary = SplitSummary(fonts=[f.file_name for f in fonts])
    img_dir = osp.join(out_dir, 'imgs', split)
    os.makedirs(img_dir, exist_ok=True)
    data_list, sheet = [], []
    by_family: Dict[str, List[HandwritingFont]] = {}
    for typeface in typefaces:
        by_family.setdefault(typeface.family, []).append(typeface)
    typeface_families = [by_family[name] for name in sorted(by_family)]
    for index in range(num_samples):
        rng = np.random.default_rng([seed, _split_code(split), index])
        printed = bool(typeface_families) and rng.random() < typeface_ratio
        for _ in range(_MAX_WORD_ATTEMPTS):
            text = sample_text(words, charset, numeric_ratio, rng)
            if printed:
                font, refonted = _choose_typeface(text, typeface_families, rng), False
                if font is not None:
                    summary.typeface_samples += 1
                    break
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


def _dump_json(obj, path: str) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write('\n')


def write_annotations(data_list: List[dict], path: str) -> None:
    """Write ``data_list`` as an MMOCR 1.x textrecog annotation file."""
    metainfo = dict(dataset_type='TextRecogDataset', task_name='textrecog')
    _dump_json(dict(metainfo=metainfo, data_list=data_list), path)


def _corpus_params(
    seed: int,
    num_samples: Dict[str, int],
    words_file: str,
    charset: str,
    numeric_ratio: float,
    fonts: Sequence[HandwritingFont],
    typefaces: Sequence[HandwritingFont],
    typeface_ratio: float,
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
        typefaces=[font.path for font in typefaces],
        typeface_ratio=typeface_ratio,
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
    typeface_ratio: float = DEFAULT_TYPEFACE_RATIO,
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
        typeface_ratio (float): Share of the ``train`` and ``unlabeled`` samples drawn with a
            printed typeface (:func:`discover_typefaces`) rather than a train hand; val and
            test are always drawn in their own hands. 0 for handwriting only.

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
    if not 0.0 <= typeface_ratio <= 1.0:
        raise ValueError(f'typeface_ratio must be in [0, 1], got {typeface_ratio}.')
    fonts = discover_handwriting_fonts(font_dirs)
    typefaces = discover_typefaces(font_dirs) if typeface_ratio > 0 else []
    words = load_words(words_file, charset)
    params = _corpus_params(
        seed, counts, words_file, charset, numeric_ratio, fonts, typefaces, typeface_ratio
    )
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
            typefaces=typefaces if split in TRAINING_SPLITS else (),
            typeface_ratio=typeface_ratio,
        )
        write_annotations(data_list, osp.join(out_dir, f'textrecog_{split}.json'))
        summaries[split], sheets[split] = summary, sheet
    print()  # end the progress bar line
    _dump_json(
        {
            **{split: [f.file_name for f in font_splits[split]] for split in SPLITS},
            'typefaces': [f.file_name for f in typefaces],
        },
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
