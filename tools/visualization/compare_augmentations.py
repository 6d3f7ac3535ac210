# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Side-by-side picture of the two SeqCLR augmentation paths on the same images.

Each row is one image, resized to 32x100 grayscale as in the pretraining pipeline; the
columns are the original, ``--num-views`` views of the imgaug path (``SeqCLRAugment``)
and ``--num-views`` views of the batched tensor path (``BatchSeqCLRAugment``).

Example::

    python tools/visualization/compare_augmentations.py \
        --ann-file textrecog_train.json --data-root data/demo_handwriting \
        --num-images 8 --num-views 4 --out work_dirs/compare_augmentations.png
    python tools/visualization/compare_augmentations.py --images-dir my_word_images/
"""

import argparse
import os
import os.path as osp
from pathlib import Path
from typing import List, Tuple

import cv2
import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import mmengine  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from seqclr_mmocr.datasets.transforms.imgaug_transforms import SeqCLRAugment  # noqa: E402
from seqclr_mmocr.models.utils.batch_augments import BatchSeqCLRAugment  # noqa: E402

IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')
# (width, height) of the pretraining pipeline's Resize.
IMAGE_SIZE = (100, 32)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument('--images-dir', help='folder of images (searched recursively)')
    source.add_argument('--ann-file', help='MMOCR textrecog JSON (relative to --data-root)')
    parser.add_argument('--data-root', default='', help='root of --ann-file and its images')
    parser.add_argument('--num-images', type=int, default=8, help='rows of the picture')
    parser.add_argument('--num-views', type=int, default=4, help='views per path')
    parser.add_argument('--out', default='work_dirs/compare_augmentations.png', help='output PNG')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the image choice and of both augmentation paths',
    )
    args = parser.parse_args()
    if args.num_images < 1 or args.num_views < 1:
        parser.error('--num-images and --num-views must be at least 1')
    return args


def list_images(args: argparse.Namespace) -> List[str]:
    """Image paths from ``--images-dir`` or from the ``data_list`` of ``--ann-file``."""
    if args.images_dir:
        if not osp.isdir(args.images_dir):
            raise FileNotFoundError(f'--images-dir {args.images_dir!r} is not a folder')
        paths = sorted(
            str(p) for p in Path(args.images_dir).rglob('*') if p.suffix.lower() in IMAGE_SUFFIXES
        )
        if not paths:
            raise FileNotFoundError(
                f'no image ({", ".join(IMAGE_SUFFIXES)}) under {args.images_dir!r}'
            )
        return paths
    ann_file = osp.join(args.data_root, args.ann_file)
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'annotation file {ann_file!r} not found')
    annotations = mmengine.load(ann_file)
    data_list = annotations.get('data_list') if isinstance(annotations, dict) else None
    if not isinstance(data_list, list):
        raise ValueError(f'{ann_file}: expected an MMOCR JSON with a "data_list" list')
    paths, malformed = [], []
    for index, record in enumerate(data_list):
        if isinstance(record, dict) and isinstance(record.get('img_path'), str):
            paths.append(osp.join(args.data_root, record['img_path']))
        else:
            malformed.append(index)
    if malformed:
        print(
            f'{ann_file}: {len(malformed)} record(s) without an "img_path" skipped, '
            f'first at data_list indices {malformed[:5]}'
        )
    if not paths:
        raise ValueError(f'{ann_file}: no record with an "img_path"')
    return paths


def load_images(paths: List[str], num_images: int, seed: int) -> Tuple[List[str], List[np.ndarray]]:
    """Up to ``num_images`` readable images, picked at random, as 32x100 uint8 grayscale."""
    order = np.random.default_rng(seed).permutation(len(paths))
    chosen, images, unreadable = [], [], []
    for index in order:
        img = cv2.imread(paths[index], cv2.IMREAD_GRAYSCALE)
        if img is None or img.size == 0:
            unreadable.append(paths[index])
            continue
        chosen.append(paths[index])
        images.append(cv2.resize(img, IMAGE_SIZE, interpolation=cv2.INTER_LINEAR))
        if len(images) == num_images:
            break
    if unreadable:
        print(f'{len(unreadable)} unreadable image(s) skipped, e.g. {unreadable[:3]}')
    if not images:
        raise ValueError('none of the images could be read')
    return chosen, images


def imgaug_views(images: List[np.ndarray], num_views: int, seed: int) -> np.ndarray:
    """(N, K, H, W) uint8 views of the imgaug path, one image at a time."""
    augment = SeqCLRAugment(seed=seed)
    views = [
        [augment(dict(img=img.copy()))['img'] for _ in range(num_views)]
        for img in mmengine.track_iter_progress(images)
    ]
    return np.asarray(views)


def batched_views(images: List[np.ndarray], num_views: int, seed: int) -> np.ndarray:
    """(N, K, H, W) views of the batched path, all in one batch."""
    batch = torch.from_numpy(np.stack(images)).float()[:, None]
    batch = batch.repeat_interleave(num_views, dim=0)
    views = BatchSeqCLRAugment(seed=seed)(batch)
    return views[:, 0].reshape(len(images), num_views, *views.shape[-2:]).numpy()


def draw(
    images: List[np.ndarray], names: List[str], imgaug: np.ndarray, batched: np.ndarray, out: str
) -> None:
    num_images, num_views = imgaug.shape[:2]
    columns = (
        [('original', None)]
        + [(f'imgaug {k + 1}', ('imgaug', k)) for k in range(num_views)]
        + [(f'batched {k + 1}', ('batched', k)) for k in range(num_views)]
    )
    fig, axes = plt.subplots(
        num_images,
        len(columns),
        squeeze=False,
        figsize=(1.6 * len(columns), 0.75 * num_images + 1.0),
    )
    for row in range(num_images):
        for col, (header, source) in enumerate(columns):
            if source is None:
                picture = images[row]
            else:
                picture = (imgaug if source[0] == 'imgaug' else batched)[row, source[1]]
            ax = axes[row, col]
            ax.imshow(picture, cmap='gray', vmin=0, vmax=255, interpolation='nearest')
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(header, fontsize=9)
            if col == 0:
                ax.set_ylabel(
                    osp.basename(names[row]), fontsize=6, rotation=0, ha='right', va='center'
                )
    fig.suptitle(
        'SeqCLR augmentation: imgaug SeqCLRAugment vs batched BatchSeqCLRAugment'
        f' (32x100 grayscale, {num_views} views each)',
        fontsize=10,
    )
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=150)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    names, images = load_images(list_images(args), args.num_images, args.seed)
    imgaug = imgaug_views(images, args.num_views, args.seed)
    batched = batched_views(images, args.num_views, args.seed)
    draw(images, names, imgaug, batched, args.out)
    print(f'Saved the comparison of {len(images)} images to {osp.abspath(args.out)}')


if __name__ == '__main__':
    main()
