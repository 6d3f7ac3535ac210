"""Browse the contrastive views a pretraining config makes, and see whether they stay aligned.

Usage::

    python tools/visualization/browse_augmentations.py CONFIG \\
        [--mode config|imgaug|batched|simclr ...] [--num-images 4] [--num-pairs 2] \\
        [--out augmentations.png] [--seed 0] [--cfg-options k=v ...]

For ``--num-images`` images of the config's train dataset (loaded by path, grayscale,
resized like the pipeline's ``Resize``), draws the original and ``--num-pairs`` pairs of
views per augmentation mode, one row per image and mode:

- ``config``: what the config itself does, its data preprocessor's ``view_augment``
  (batched path) if set, else its pipeline's ``MultiView`` transforms (imgaug path);
- ``imgaug``: the transforms of the config's ``MultiView``, or, for a batched-path config,
  the imgaug ``SeqCLRAugment`` (``seqclr_pretrain_pipeline`` of ``pretrain_pipelines.py``);
- ``batched``: ``BatchSeqCLRAugment`` on a tensor batch (the config's ``view_augment``, else
  the default one); skipped with a message when the module is not available;
- ``simclr``: the SimCLR baseline's augmentation (``simclr_pretrain_pipeline`` of
  ``configs/_base_/pipelines/pretrain_pipelines.py``): flips and crops of up to 36% per side.

Alignment markers: the original's columns at 25/50/75% of its width are tracked through each
view's geometric transformation (imgaug keypoints; the batched path's sampling grid) and
drawn as coloured lines; grey dashed lines mark 25/50/75% of the view's width. SeqCLR pairs
the instances of two views by position, so a pair is aligned when each colour sits at the
same place in both views: under each pair, the largest shift between its two views, as a
share of the width (red when above half an instance window). Prints the PNG's path.
"""

import argparse
import copy
import importlib
import os.path as osp
import sys
from typing import Callable, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _vis_common import (
    PIPELINES_CONFIG,
    choose,
    dataloader_dataset,  # noqa: E402
    dataset_pipeline,
    input_size,
    load_config,
    load_gray,
    samples_of,
    save_figure,
    short_name,
)

MODES = ('config', 'imgaug', 'batched', 'simclr')
MARKER_POSITIONS = (0.25, 0.5, 0.75)
MARKER_COLOURS = ('tab:red', 'tab:green', 'tab:blue')
MODE_TITLES = dict(
    imgaug='SeqCLR, imgaug path (MultiView)',
    batched='SeqCLR, batched path (BatchSeqCLRAugment)',
    simclr='SimCLR baseline (flip, wide crop)',
)

# One view: the augmented uint8 (H, W) image and where the marker columns went (x in
# pixels, None when the augmentation cannot be tracked).
View = Tuple[np.ndarray, Optional[np.ndarray]]
ViewMaker = Callable[[List[np.ndarray]], List[View]]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Draw the contrastive views of a config')
    parser.add_argument('config', help='pretraining config')
    parser.add_argument(
        '--mode',
        nargs='+',
        choices=MODES,
        default=['config'],
        help='augmentation(s) to draw; several give one row group each',
    )
    parser.add_argument('--num-images', type=int, default=4)
    parser.add_argument('--num-pairs', type=int, default=2)
    parser.add_argument('--out', default='augmentations.png', help='output PNG')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of the image choice and of the augmentations'
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py',
    )
    return parser.parse_args(argv)


def multiview_transforms(pipeline: Sequence[dict], where: str) -> List[dict]:
    for transform in pipeline:
        if transform.get('type') == 'MultiView':
            return list(transform['transforms'])
    raise ValueError(f'{where} has no MultiView transform: no imgaug views to draw')


def track_imgaug(transform, img: np.ndarray, markers: np.ndarray) -> View:
    """Apply an ``ImgAugNested``-like transform, tracking the marker points as keypoints."""
    from imgaug.augmentables.kps import Keypoint, KeypointsOnImage

    deterministic = transform.augmenter.to_deterministic()
    height = img.shape[0]
    points = KeypointsOnImage(
        [Keypoint(x=float(x), y=height / 2) for x in markers], shape=img.shape + (1,)
    )
    view = deterministic.augment_image(img[..., None])
    moved = deterministic.augment_keypoints(points)
    return view[..., 0] if view.ndim == 3 else view, np.array([p.x for p in moved.keypoints])


def imgaug_view_maker(transform_cfgs: List[dict], seed: int) -> ViewMaker:
    """Views from pipeline transforms; markers tracked through every imgaug transform."""
    from mmocr.registry import TRANSFORMS

    transforms = [TRANSFORMS.build(copy.deepcopy(t)) for t in transform_cfgs]
    for i, transform in enumerate(transforms):
        if hasattr(transform, 'augmenter'):
            transform.augmenter.seed_(seed + i)

    def make(images: List[np.ndarray]) -> List[View]:
        views = []
        for img in images:
            markers = np.array(MARKER_POSITIONS) * img.shape[1]
            for transform in transforms:
                if hasattr(transform, 'augmenter') and markers is not None:
                    img, markers = track_imgaug(transform, img, markers)
                else:
                    # Not an imgaug transform: apply it as the pipeline would, untracked.
                    img = transform(dict(img=img, img_shape=img.shape[:2]))['img']
                    markers = None
            views.append((img, markers))
        return views

    return make


def load_batch_augment(cfg: Config):
    """The config's ``view_augment`` or a default ``BatchSeqCLRAugment``; None if missing."""
    from mmocr.registry import MODELS

    augment_cfg = (cfg.model.get('data_preprocessor') or {}).get('view_augment') or dict(
        type='BatchSeqCLRAugment'
    )
    if MODELS.get(augment_cfg['type']) is None:
        try:
            importlib.import_module('seqclr_mmocr.models.utils.batch_augments')
        except ImportError as err:
            print(f'--mode batched skipped: {augment_cfg["type"]} is not available ({err})')
            return None
    if MODELS.get(augment_cfg['type']) is None:
        print(f'--mode batched skipped: {augment_cfg["type"]} is not registered')
        return None
    return MODELS.build(copy.deepcopy(augment_cfg))


def grid_landing(grid: torch.Tensor, x: float, y: float) -> float:
    """Output x (pixels) whose sample point in a backward map ``grid`` (H, W, 2) for
    ``grid_sample(align_corners=False)`` lies nearest input point (x, y) (pixels). A point
    cropped out of the view lands on the view's nearest edge."""
    height, width = grid.shape[:2]
    source_x = ((grid[..., 0] + 1) * width - 1) / 2 + 0.5
    source_y = ((grid[..., 1] + 1) * height - 1) / 2 + 0.5
    distance = (source_x - x) ** 2 + (source_y - y) ** 2
    return float(distance.flatten().argmin() % width) + 0.5


def batched_view_maker(augment, seed: int) -> ViewMaker:
    """Views from ``BatchSeqCLRAugment``; markers tracked through its sampling grid when it
    exposes ``sample_params``/``augment``/``sampling_grid``."""
    torch.manual_seed(seed)
    trackable = all(
        hasattr(augment, name) for name in ('sample_params', 'augment', 'sampling_grid')
    )

    def make(images: List[np.ndarray]) -> List[View]:
        batch = torch.from_numpy(np.stack(images)).float()[:, None]
        num, _, height, width = batch.shape
        widths = torch.full((num,), width, dtype=torch.long)
        if not trackable:
            output = augment(batch, widths)
            return [(img, None) for img in output[:, 0].round().clamp(0, 255).byte().numpy()]
        params = augment.sample_params(widths, height)
        output = augment.augment(batch, params, widths)
        grid = augment.sampling_grid(params, height, width, widths)
        views = []
        for i in range(num):
            markers = np.array(
                [grid_landing(grid[i], p * width, height / 2) for p in MARKER_POSITIONS]
            )
            views.append((output[i, 0].round().clamp(0, 255).byte().numpy(), markers))
        return views

    return make


def view_makers(cfg: Config, modes: Sequence[str], seed: int) -> List[Tuple[str, ViewMaker]]:
    train_pipeline = dataset_pipeline(dataloader_dataset(cfg, 'train'))
    has_view_augment = bool((cfg.model.get('data_preprocessor') or {}).get('view_augment'))
    makers = []
    for mode in dict.fromkeys(modes):
        if mode == 'config':
            mode = 'batched' if has_view_augment else 'imgaug'
        if mode == 'imgaug':
            if any(t.get('type') == 'MultiView' for t in train_pipeline):
                transforms = multiview_transforms(train_pipeline, 'the train pipeline')
            else:
                print(
                    'the train pipeline has no MultiView (batched path): --mode imgaug '
                    f'draws seqclr_pretrain_pipeline of {PIPELINES_CONFIG}'
                )
                transforms = multiview_transforms(
                    Config.fromfile(PIPELINES_CONFIG).seqclr_pretrain_pipeline,
                    f'seqclr_pretrain_pipeline of {PIPELINES_CONFIG}',
                )
            maker = imgaug_view_maker(transforms, seed)
        elif mode == 'simclr':
            maker = imgaug_view_maker(
                multiview_transforms(
                    Config.fromfile(PIPELINES_CONFIG).simclr_pretrain_pipeline,
                    f'simclr_pretrain_pipeline of {PIPELINES_CONFIG}',
                ),
                seed,
            )
        else:
            augment = load_batch_augment(cfg)
            if augment is None:
                continue
            maker = batched_view_maker(augment, seed)
        if mode not in dict(makers):
            makers.append((mode, maker))
    if not makers:
        raise RuntimeError(f'no augmentation to draw for modes {list(modes)}')
    return makers


def pair_shift(view_a: View, view_b: View, width: int) -> Optional[Tuple[float, bool]]:
    """Largest shift of a marker between two views (share of the width), and whether a
    view reversed the marker order (a flip)."""
    markers_a, markers_b = view_a[1], view_b[1]
    if markers_a is None or markers_b is None:
        return None
    shift = float(np.abs(markers_a - markers_b).max()) / width
    flipped = any(m[0] > m[-1] for m in (markers_a, markers_b))
    return shift, flipped


def draw_markers(
    ax, width: int, height: int, markers: Optional[np.ndarray], reference: bool
) -> None:
    if reference:
        for p in MARKER_POSITIONS:
            ax.axvline(p * width - 0.5, color='0.55', lw=0.8, ls=(0, (2, 2)))
    if markers is None:
        return
    for x, colour in zip(markers, MARKER_COLOURS):
        clipped = float(np.clip(x, 0, width)) - 0.5
        if 0 <= x <= width:
            ax.axvline(clipped, color=colour, lw=1.4, alpha=0.9)
        else:  # the marked column was cropped away: an arrow at the edge it left by
            ax.annotate(
                '',
                xy=(clipped, height / 2),
                xytext=(clipped + (6 if x < 0 else -6), height / 2),
                arrowprops=dict(arrowstyle='->', color=colour, lw=1.4),
            )


def draw(rows: list, num_pairs: int, window_share: float, title: str, out: str) -> None:
    columns = 1 + 2 * num_pairs
    # Inches: a 1.7 x 0.55 image per cell, room for the pair captions, the row labels on the
    # left, the title above and the legend below.
    width, height = 1.0 + 1.8 * columns, 1.9 + 0.95 * len(rows)
    fig, axes = plt.subplots(len(rows), columns, figsize=(width, height), squeeze=False)
    fig.subplots_adjust(
        left=1.0 / width,
        right=1 - 0.1 / width,
        top=1 - 1.2 / height,
        bottom=0.7 / height,
        wspace=0.06,
        hspace=0.75,
    )
    for r, (label, original, views) in enumerate(rows):
        height, width = original.shape
        cells = [(original, np.array(MARKER_POSITIONS) * width)] + views
        for c, (img, markers) in enumerate(cells):
            ax = axes[r, c]
            ax.imshow(
                img,
                cmap='gray',
                vmin=0,
                vmax=255,
                extent=(-0.5, img.shape[1] - 0.5, img.shape[0] - 0.5, -0.5),
            )
            ax.set_xticks([])
            ax.set_yticks([])
            draw_markers(ax, img.shape[1], img.shape[0], markers, reference=c > 0)
            if r == 0:
                ax.set_title(
                    'original' if c == 0 else f'pair {(c + 1) // 2}, view {"ab"[(c - 1) % 2]}',
                    fontsize=9,
                )
            if c > 0 and c % 2 == 0:
                result = pair_shift(cells[c - 1], cells[c], width)
                if result is None:
                    text, colour = 'pair shift: not tracked', '0.3'
                else:
                    shift, flipped = result
                    text = f'pair shift {100 * shift:.0f}% of W' + (', flipped' if flipped else '')
                    colour = 'tab:red' if flipped or shift > window_share / 2 else 'tab:green'
                # Centred under the pair of views.
                ax.text(
                    -0.04,
                    -0.08,
                    text,
                    transform=ax.transAxes,
                    ha='center',
                    va='top',
                    fontsize=8,
                    color=colour,
                )
        axes[r, 0].set_ylabel(label, fontsize=8, rotation=0, ha='right', va='center')
    handles = [plt.Line2D([], [], color=c, lw=1.6) for c in MARKER_COLOURS]
    handles.append(plt.Line2D([], [], color='0.55', lw=0.8, ls=(0, (2, 2))))
    labels = [f'original column at {int(100 * p)}% of W' for p in MARKER_POSITIONS]
    labels.append('25/50/75% of the view')
    fig.legend(handles, labels, loc='lower center', ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=10)
    save_figure(fig, out)


def window_share_of(cfg: Config) -> float:
    """Width share of one instance window of the config's mapper (T' windows; 1/5 else)."""
    mapper = cfg.model.get('instance_mapper') or {}
    return 1.0 / mapper.get('num_windows', 5)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    dataset_cfg = dataloader_dataset(cfg, 'train')
    size = input_size(dataset_pipeline(dataset_cfg))
    chosen = choose(samples_of(dataset_cfg), args.num_images, args.seed)
    originals = [load_gray(path, size) for path, _ in chosen]

    makers = view_makers(cfg, args.mode, args.seed)
    # Each call augments every image once: 2 K calls give K pairs per image.
    views_by_mode = [
        (mode, [make(originals) for _ in range(2 * args.num_pairs)]) for mode, make in makers
    ]
    rows = []
    for i, ((path, text), original) in enumerate(zip(chosen, originals)):
        word = f'"{text}"' if text else osp.basename(path)
        for mode, views in views_by_mode:
            rows.append((f'{word}\n{mode}', original, [v[i] for v in views]))

    names = '; '.join(f'{mode}: {MODE_TITLES[mode]}' for mode, _ in makers)
    share = window_share_of(cfg)
    title = (
        f'Contrastive views of {short_name(args.config)}\n{names}\n'
        "Coloured lines follow the original's 25/50/75% columns into each view. SeqCLR "
        'pairs instances by position,\nso they must sit at the same place in both views '
        f'of a pair (green: pair shift below half an instance window, W/{2 / share:.0f}).'
    )
    draw(rows, args.num_pairs, share, title, args.out)
    print(args.out)


if __name__ == '__main__':
    main()
