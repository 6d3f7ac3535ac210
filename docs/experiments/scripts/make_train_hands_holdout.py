"""Write new words in the *training* hands of a demo corpus: a hold-out that tells how well a
recognizer reads the hands it was trained on, against the unseen val/test hands.

Reads the corpus's ``fonts.json`` (train hands only, no printed typefaces) and writes
``imgs/train_hands_holdout/`` and ``textrecog_train_hands_holdout.json`` beside the splits.
Evaluate with ``tools/test.py CONFIG CHECKPOINT --cfg-options
test_dataloader.dataset.datasets.0.ann_file=textrecog_train_hands_holdout.json``.

Example::

    python docs/experiments/scripts/make_train_hands_holdout.py data/demo_handwriting --num 300
"""

import argparse
import json
import os.path as osp
import sys

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
sys.path.insert(0, osp.join(REPO_ROOT, 'tools', 'data'))  # the demo corpus's generator

from demo_corpus import (  # noqa: E402
    HandwritingRenderer,
    discover_handwriting_fonts,
    generate_split,
    load_words,
    write_annotations,
)

SPLIT = 'train_hands_holdout'


def make_holdout(corpus: str, num: int, seed: int = 0):
    """Write the hold-out into ``corpus``; returns its annotation path and SplitSummary."""
    with open(osp.join(corpus, 'fonts.json'), encoding='utf-8') as f:
        train_names = set(json.load(f)['train'])
    fonts = [font for font in discover_handwriting_fonts() if font.file_name in train_names]
    data_list, summary, _ = generate_split(
        SPLIT, num, fonts, load_words(), HandwritingRenderer(seed), corpus, seed=seed
    )
    out = osp.join(corpus, f'textrecog_{SPLIT}.json')
    write_annotations(data_list, out)
    return out, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('corpus', help='a corpus written by generate_demo_corpus.py')
    parser.add_argument('--num', type=int, default=300, help='number of words (default 300)')
    parser.add_argument('--seed', type=int, default=0, help='seed of the corpus (default 0)')
    args = parser.parse_args(argv)
    if not osp.isfile(osp.join(args.corpus, 'fonts.json')):
        print(f'error: {args.corpus}/fonts.json not found: not a demo corpus', file=sys.stderr)
        return 1
    out, summary = make_holdout(args.corpus, args.num, args.seed)
    print(f'{summary.samples} words in {len(summary.fonts)} train fonts: {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
