"""Write a folder of small grayscale word images for the GPU check's runs (no download).

Usage::

    python tools/gpu/make_word_images.py OUT_DIR [--num 512] [--seed 0]

Draws words with PIL's built-in font into ``OUT_DIR/imgs/*.png`` and lists them in
``OUT_DIR/textrecog_unlabeled.json`` (MMOCR 1.x textrecog format), so that the folder
serves both ``ImageFolderDataset`` (which scans it) and the data-loading measurement of
``tools/analysis_tools/benchmark_pretrain.py`` (which reads the JSON).
"""

import argparse
import json
import os
import os.path as osp

import numpy as np
from PIL import Image, ImageDraw

WORDS = [
    'the',
    'word',
    'image',
    'text',
    'read',
    'line',
    'pen',
    'ink',
    'paper',
    'hand',
    'write',
    'letter',
    'note',
    'page',
    'book',
    'name',
    'contrast',
    'sequence',
]


def make_word_images(out_dir: str, num: int, seed: int = 0) -> str:
    """Draw ``num`` images under ``out_dir``; return the annotation file's path."""
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(out_dir, 'imgs'), exist_ok=True)
    data_list = []
    for i in range(num):
        word = WORDS[int(rng.integers(len(WORDS)))]
        width = 12 + 7 * len(word) + int(rng.integers(0, 16))
        img = Image.new('L', (width, 32), color=int(rng.integers(180, 256)))
        ImageDraw.Draw(img).text(
            (4 + int(rng.integers(0, 6)), 8 + int(rng.integers(0, 8))),
            word,
            fill=int(rng.integers(0, 80)),
        )
        rel = f'imgs/{i:05d}.png'
        img.save(osp.join(out_dir, rel))
        data_list.append(dict(img_path=rel, instances=[dict(text=word)]))
    ann = osp.join(out_dir, 'textrecog_unlabeled.json')
    with open(ann, 'w') as f:
        json.dump(
            dict(
                metainfo=dict(dataset_type='TextRecogDataset', task_name='textrecog'),
                data_list=data_list,
            ),
            f,
        )
    return ann


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='Write small word images (no download)')
    parser.add_argument('out_dir')
    parser.add_argument('--num', type=int, default=512)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if args.num < 1:
        parser.error('--num must be at least 1')
    ann = make_word_images(args.out_dir, args.num, args.seed)
    print(f'[make_word_images] {args.num} images listed in {ann}')


if __name__ == '__main__':
    main()
