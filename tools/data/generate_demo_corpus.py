"""Generate the download-free handwriting demo corpus.

Renders words of the OS word list with the handwriting fonts of Debian packages into
writer-independent ``train``/``val``/``test`` splits and an ``unlabeled`` pretraining pool
(train fonts only), as MMOCR 1.x textrecog annotations. See
``tools/data/demo_corpus/__init__.py`` for the details.

Example::

    python tools/data/generate_demo_corpus.py --out-dir data/demo_handwriting --seed 0
"""

import argparse
import sys

from demo_corpus import (
    DEFAULT_CHARSET,
    DEFAULT_FONT_DIRS,
    DEFAULT_NUM_SAMPLES,
    DEFAULT_OUT_DIR,
    DEFAULT_TYPEFACE_RATIO,
    DEFAULT_WORDS_FILE,
    generate_corpus,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate the handwriting-style demo corpus (no download).'
    )
    parser.add_argument('--out-dir', default=DEFAULT_OUT_DIR, help='output folder')
    parser.add_argument('--seed', type=int, default=0, help='seed of everything random')
    for split in ('train', 'val', 'test', 'unlabeled'):
        parser.add_argument(
            f'--num-{split}',
            type=int,
            default=DEFAULT_NUM_SAMPLES[split],
            help=f'number of {split} samples (default {DEFAULT_NUM_SAMPLES[split]})',
        )
    parser.add_argument(
        '--words-file', default=DEFAULT_WORDS_FILE, help='word list, one word a line'
    )
    parser.add_argument(
        '--charset',
        default=DEFAULT_CHARSET,
        help='characters a word may contain (words with others are left out)',
    )
    parser.add_argument(
        '--numeric-ratio',
        type=float,
        default=0.05,
        help='share of samples that are numbers rather than words',
    )
    parser.add_argument(
        '--typeface-ratio',
        type=float,
        default=DEFAULT_TYPEFACE_RATIO,
        help='share of the train and unlabelled samples drawn with printed typefaces rather '
        'than the train hands (val and test: always their own hands; 0: handwriting only; '
        f'default {DEFAULT_TYPEFACE_RATIO})',
    )
    parser.add_argument(
        '--font-dir',
        action='append',
        dest='font_dirs',
        help='folder scanned for the handwriting fonts (repeatable; default: the system '
        'and user font folders)',
    )
    parser.add_argument(
        '--force',
        action='store_true',
        help='regenerate even if the output exists with the same parameters',
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    for flag, value in (
        ('--numeric-ratio', args.numeric_ratio),
        ('--typeface-ratio', args.typeface_ratio),
    ):
        if not 0.0 <= value <= 1.0:
            print(f'{flag} must be in [0, 1], got {value}', file=sys.stderr)
            return 2
    try:
        summary = generate_corpus(
            out_dir=args.out_dir,
            seed=args.seed,
            num_samples=dict(
                train=args.num_train,
                val=args.num_val,
                test=args.num_test,
                unlabeled=args.num_unlabeled,
            ),
            words_file=args.words_file,
            charset=args.charset,
            font_dirs=args.font_dirs or DEFAULT_FONT_DIRS,
            numeric_ratio=args.numeric_ratio,
            force=args.force,
            typeface_ratio=args.typeface_ratio,
        )
    except (RuntimeError, FileNotFoundError, ValueError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(summary.format())
    return 0


if __name__ == '__main__':
    sys.exit(main())
