"""Do frames of the same character land together? A PCA map of frame embeddings per encoder.

Usage::

    python tools/visualization/embedding_map.py \\
        --config CFG_A --checkpoint random \\
        --config CFG_B --checkpoint CKPT_B \\
        --config CFG_C --checkpoint CKPT_C --labels random,simclr,seqclr \\
        [--ctc-config RECOG_CFG --ctc-checkpoint RECOG_CKPT] [--ctc-blank nearest] \\
        [--split val | --ann-file ANN --data-root ROOT] [--num-images 120] \\
        [--metric cosine] [--out embedding_map.png] [--cfg-options k=v ...]

Each (config, checkpoint) is one encoder; ``random`` as the checkpoint means the config's
model freshly initialised (no loading). On the labelled images of the first config's
``<split>_dataloader`` (or of ``--ann-file``), resized like its pipeline, every encoder gives
its frames R (N, T, F) (its own ``representation``; ``--representation visual`` forces the
backbone frames V of contrastive models). Each valid frame becomes a point, coloured by the
character it most likely covers:

- with ``--ctc-config``/``--ctc-checkpoint`` (a CTC recognizer, e.g. a fine-tuned one): its
  best path, the arg-max class of every frame. A frame whose arg-max is a character gets that
  character (CTC repeats are the same character). A blank frame gets, with ``--ctc-blank``,
  the character of the ``nearest`` non-blank frame (ties: the left one), of the ``previous``
  one (before the first emission: the first), or is dropped (``drop``). An image whose path
  emits nothing is dropped. When the recognizer has T_r != T frames, encoder frame t takes
  the label of recognizer frame floor((t + 0.5) * T_r / T).
- otherwise by relative position: frame t of L valid frames covers character
  floor((t + 0.5) / L * len(text)) (the character under its centre, if all characters of the
  word had the same width), a rough label that mixes neighbouring characters.

Each panel is a 2-D PCA of one encoder's points (its own components; of the points scaled
to unit length with the default cosine metric, the geometry the score sees). Its title gives the
silhouette score by character, computed on the full F-dimensional points (``--metric``
cosine or euclidean distance): from -1 to 1, higher means frames of one character are
closer to each other than to frames of other characters. Prints the scores and the PNG path.
"""

import argparse
import math
import os.path as osp
import sys
from collections import Counter
from typing import List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.patheffects as path_effects  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from torch import Tensor  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _vis_common import (
    annotation_samples,
    build_model,
    choose,  # noqa: E402
    dataloader_dataset,
    dataset_pipeline,
    encoder_frames,
    input_size,
    leaf_datasets,
    load_config,
    load_gray,
    normalise,
    samples_of,
    save_figure,
    short_name,
)

BLANK_MODES = ('nearest', 'previous', 'drop')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='PCA map of frame embeddings by character')
    parser.add_argument(
        '--config', action='append', required=True, help='encoder config (repeat for each encoder)'
    )
    parser.add_argument(
        '--checkpoint',
        action='append',
        required=True,
        help="its checkpoint, or 'random' (repeat, one per --config)",
    )
    parser.add_argument('--labels', help='comma-separated panel names, one per --config')
    parser.add_argument('--ctc-config', help='CTC recognizer config, to label the frames')
    parser.add_argument('--ctc-checkpoint', help='CTC recognizer checkpoint')
    parser.add_argument(
        '--ctc-blank',
        choices=BLANK_MODES,
        default='nearest',
        help='label of the frames whose best-path class is the blank',
    )
    parser.add_argument(
        '--ctc-correct-only',
        action='store_true',
        help='keep only the images the CTC recognizer reads correctly',
    )
    parser.add_argument('--split', default='val', choices=['train', 'val', 'test'])
    parser.add_argument('--ann-file', help='MMOCR textrecog annotation file instead of --split')
    parser.add_argument('--data-root', default='', help='data root of --ann-file')
    parser.add_argument('--num-images', type=int, default=120)
    parser.add_argument(
        '--representation',
        choices=['own', 'visual'],
        default='own',
        help="frames of each model's own representation R, or V for all",
    )
    parser.add_argument(
        '--metric',
        choices=['cosine', 'euclidean'],
        default='cosine',
        help='distance of the silhouette score',
    )
    parser.add_argument(
        '--num-chars', type=int, default=10, help='most frequent characters drawn in colour'
    )
    parser.add_argument('--out', default='embedding_map.png', help='output PNG')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of every config, as in tools/train.py',
    )
    args = parser.parse_args(argv)
    if len(args.config) != len(args.checkpoint):
        parser.error(
            f'{len(args.config)} --config but {len(args.checkpoint)} --checkpoint: '
            'give one checkpoint (or random) per config'
        )
    if (args.ctc_config is None) != (args.ctc_checkpoint is None):
        parser.error('--ctc-config and --ctc-checkpoint go together')
    if args.labels is None:
        args.labels = [short_name(c) for c in args.checkpoint]
    else:
        args.labels = [name.strip() for name in args.labels.split(',')]
        if len(args.labels) != len(args.config):
            parser.error(
                f'--labels names {len(args.labels)} panels, but there are '
                f'{len(args.config)} --config'
            )
    return args


def silhouette_score(features: Tensor, labels: Sequence, metric: str = 'euclidean') -> float:
    """Mean silhouette coefficient of points ``features`` (n, d) grouped by ``labels``.

    For point i of cluster C: a = mean distance to the other points of C, b = the smallest
    mean distance to the points of another cluster, s = (b - a) / max(a, b); s = 0 for a
    point alone in its cluster (Rousseeuw 1987; scikit-learn's convention).

    Args:
        features (Tensor): (n, d) points.
        labels (Sequence): n hashable cluster labels, with 2 <= #clusters <= n - 1.
        metric (str): ``'euclidean'`` or ``'cosine'`` (1 - cosine similarity).
    """
    names = sorted(set(labels), key=str)
    if not 2 <= len(names) <= len(labels) - 1:
        raise ValueError(
            f'the silhouette needs 2 to n - 1 clusters, got {len(names)} for {len(labels)} points'
        )
    features = features.double()
    if metric == 'euclidean':
        distances = torch.cdist(features, features)
    elif metric == 'cosine':
        unit = torch.nn.functional.normalize(features, dim=1)
        distances = (1 - unit @ unit.T).clamp(min=0)
    else:
        raise ValueError(f"metric must be 'euclidean' or 'cosine', got {metric!r}")
    index = {name: k for k, name in enumerate(names)}
    cluster = torch.tensor([index[label] for label in labels])
    members = torch.nn.functional.one_hot(cluster, len(names)).double()
    sizes = members.sum(0)
    sums = distances @ members  # (n, k): summed distance of each point to each cluster
    own_size = sizes[cluster]
    a = sums.gather(1, cluster[:, None])[:, 0] / (own_size - 1).clamp(min=1)
    mean_to_cluster = sums / sizes
    mean_to_cluster.scatter_(1, cluster[:, None], float('inf'))
    b = mean_to_cluster.min(1).values
    scale = torch.maximum(a, b)
    scores = torch.where(scale > 0, (b - a) / scale, torch.zeros_like(a))
    scores = torch.where(own_size > 1, scores, torch.zeros_like(scores))
    return float(scores.mean())


def ctc_frame_labels(
    best_path: Sequence[int], blank: int, mode: str = 'nearest'
) -> List[Optional[int]]:
    """The class each frame covers, from a CTC best path (arg-max class per frame).

    Non-blank frames keep their class. Blank frames get, by ``mode``, the class of the
    ``nearest`` non-blank frame (ties: the left one), of the ``previous`` one (frames before
    the first emission: the first emitted class), or None (``drop``). All None when the path
    emits nothing.
    """
    if mode not in BLANK_MODES:
        raise ValueError(f'mode must be one of {BLANK_MODES}, got {mode!r}')
    path = [int(c) for c in best_path]
    emitting = [t for t, c in enumerate(path) if c != blank]
    labels: List[Optional[int]] = []
    for t, c in enumerate(path):
        if c != blank:
            labels.append(c)
        elif not emitting or mode == 'drop':
            labels.append(None)
        elif mode == 'previous':
            before = [s for s in emitting if s < t]
            labels.append(path[before[-1] if before else emitting[0]])
        else:
            nearest = min(emitting, key=lambda s: (abs(s - t), s))
            labels.append(path[nearest])
    return labels


def position_labels(text: str, length: int) -> List[str]:
    """Character under the centre of each of ``length`` frames, if all characters of
    ``text`` were equally wide: frame t covers text[floor((t + 0.5) / length * len(text))]."""
    return [text[int((t + 0.5) / length * len(text))] for t in range(length)]


def resample_labels(labels: Sequence, num_frames: int) -> list:
    """Labels of ``len(labels)`` frames carried over to ``num_frames`` frames by position."""
    return [labels[int((t + 0.5) * len(labels) / num_frames)] for t in range(num_frames)]


def ctc_labels(args, images: List[np.ndarray], texts: List[str]) -> Tuple[list, List[bool]]:
    """Per image, the character of every recognizer frame (None: unlabelled), and whether
    the recognizer read the image correctly."""
    cfg = load_config(args.ctc_config, args.cfg_options)
    model = build_model(
        cfg, args.ctc_checkpoint, required=('preprocessor.', 'backbone.', 'encoder.', 'decoder.')
    )
    decoder = getattr(model, 'decoder', None)
    if decoder is None or not hasattr(decoder, 'dictionary'):
        raise TypeError(f'{args.ctc_config} is not an MMOCR recognizer with a decoder')
    dictionary = decoder.dictionary
    blank = dictionary.padding_idx
    if blank is None:
        raise ValueError(f'{args.ctc_config}: the dictionary has no padding (CTC blank) token')
    with torch.no_grad():
        probs = model(normalise(images, model), None, mode='tensor')
    if probs.dim() != 3:
        raise ValueError(
            f'{args.ctc_config}: expected per-frame class scores (N, T, C), got '
            f'{tuple(probs.shape)}: is it a CTC recognizer?'
        )
    ignored = {dictionary.unknown_idx, dictionary.start_idx, dictionary.end_idx} - {None}
    per_image, correct = [], []
    for path, text in zip(probs.argmax(-1).tolist(), texts):
        classes = ctc_frame_labels(path, blank, args.ctc_blank)
        per_image.append(
            [None if c is None or c in ignored else dictionary.dict[c] for c in classes]
        )
        collapsed = [c for t, c in enumerate(path) if c != blank and (t == 0 or c != path[t - 1])]
        correct.append(''.join(dictionary.dict[c] for c in collapsed if c not in ignored) == text)
    return per_image, correct


def points_of(
    frames: Tensor, lengths: Tensor, labels: List[Optional[list]], texts: List[str]
) -> Tuple[Tensor, List[str]]:
    """The valid, labelled frames of every image and their characters."""
    points, characters = [], []
    num_frames = frames.size(1)
    for i, text in enumerate(texts):
        length = int(lengths[i])
        if labels[i] is None:
            frame_labels = position_labels(text, length)
        else:
            frame_labels = resample_labels(labels[i], num_frames)[:length]
        for t, character in enumerate(frame_labels):
            if character is not None:
                points.append(frames[i, t])
                characters.append(character)
    if not points:
        raise ValueError('no labelled frame: every image was dropped')
    return torch.stack(points), characters


def pca_2d(points: Tensor) -> Tuple[np.ndarray, np.ndarray]:
    """2-D PCA projection of (n, d) points and the share of variance of each component."""
    centred = points.double() - points.double().mean(0)
    _, singular, right = torch.linalg.svd(centred, full_matrices=False)
    share = singular**2 / (singular**2).sum()
    return (centred @ right[:2].T).numpy(), share[:2].numpy()


def draw_panel(
    ax,
    projected: np.ndarray,
    characters: List[str],
    shown: List[str],
    colours: dict,
    title: str,
    pca_share: np.ndarray,
) -> None:
    characters = np.array(characters)
    rest = ~np.isin(characters, shown)
    ax.scatter(projected[rest, 0], projected[rest, 1], s=3, c='0.82', lw=0, label='other')
    for character in shown:
        mine = characters == character
        if not mine.any():
            continue
        ax.scatter(
            projected[mine, 0], projected[mine, 1], s=6, color=colours[character], lw=0, alpha=0.75
        )
        centre = projected[mine].mean(0)
        ax.text(
            centre[0],
            centre[1],
            display(character),
            fontsize=11,
            weight='bold',
            color=colours[character],
            ha='center',
            va='center',
            path_effects=[path_effects.withStroke(linewidth=2.5, foreground='white')],
        )
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(f'PC 1 ({100 * pca_share[0]:.0f}% of variance)', fontsize=8)
    ax.set_ylabel(f'PC 2 ({100 * pca_share[1]:.0f}%)', fontsize=8)
    ax.tick_params(labelsize=7)


def display(character: str) -> str:
    return '\u2423' if character == ' ' else character


def main(argv=None):
    args = parse_args(argv)
    first_cfg = load_config(args.config[0], args.cfg_options)
    if args.ann_file:
        dataset_name = args.ann_file
        samples = annotation_samples(args.ann_file, args.data_root)
        size = input_size(None)
    else:
        dataset_cfg = dataloader_dataset(first_cfg, args.split)
        dataset_name = ', '.join(
            osp.basename(leaf.get('ann_file', '?')) for leaf in leaf_datasets(dataset_cfg)
        )
        samples = samples_of(dataset_cfg)
        size = input_size(dataset_pipeline(dataset_cfg))
    unlabelled = sum(1 for _, text in samples if not text)
    if unlabelled:
        print(
            f'skipping {unlabelled} samples without text, e.g. '
            f'{[p for p, t in samples if not t][:3]}'
        )
    samples = choose([s for s in samples if s[1]], args.num_images, None)
    images = [load_gray(path, size) for path, _ in samples]
    texts = [text for _, text in samples]

    labels: List[Optional[list]] = [None] * len(images)
    if args.ctc_config:
        labels, correct = ctc_labels(args, images, texts)
        print(f'CTC best path reads {sum(correct)} of {len(correct)} images correctly')
        if args.ctc_correct_only:
            keep = [i for i, ok in enumerate(correct) if ok]
            if not keep:
                raise ValueError('--ctc-correct-only: the recognizer reads no image correctly')
            images, texts, labels = ([x[i] for i in keep] for x in (images, texts, labels))
        labelling = (
            f'labels: best path of {short_name(args.ctc_checkpoint)} (blanks: {args.ctc_blank})'
        )
    else:
        labelling = 'labels: relative position in the word'

    panels = []
    for config, checkpoint, name in zip(args.config, args.checkpoint, args.labels):
        cfg = first_cfg if config == args.config[0] else load_config(config, args.cfg_options)
        model = build_model(cfg, checkpoint)
        if args.representation == 'visual' and hasattr(model, 'representation'):
            model.representation = 'visual'
        frames, lengths = encoder_frames(model, normalise(images, model))
        points, characters = points_of(frames, lengths, labels, texts)
        if 2 <= len(set(characters)) < len(characters):
            score = silhouette_score(points, characters, args.metric)
        else:  # undefined, e.g. a recognizer whose best path emits one character only
            score = float('nan')
        representation = getattr(model, 'representation', 'encoder output')
        print(
            f'{name}: silhouette by character {score:.4f} ({args.metric}; {len(points)} '
            f'frames, {len(set(characters))} characters, R={representation}, '
            f'{points.size(1)}-d)'
        )
        panels.append((name, checkpoint, representation, points, characters, score))

    counts = Counter(c for panel in panels for c in panel[4])
    shown = [c for c, _ in counts.most_common(args.num_chars)]
    palette = plt.get_cmap('tab10' if len(shown) <= 10 else 'tab20')
    colours = {c: palette(k % palette.N) for k, c in enumerate(shown)}
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 5.2), squeeze=False)
    for ax, (name, checkpoint, representation, points, characters, score) in zip(axes[0], panels):
        # The map shows the geometry the score measures: unit-length frames for cosine.
        projected, share = pca_2d(
            torch.nn.functional.normalize(points, dim=1) if args.metric == 'cosine' else points
        )
        title = (
            f'{name}\n{short_name(checkpoint)}, R={representation} ({points.size(1)}-d)\n'
            f'silhouette by character: {score:.3f}'
        )
        draw_panel(ax, projected, characters, shown, colours, title, share)
    first_counts = Counter(panels[0][4])
    handles = [
        plt.Line2D(
            [],
            [],
            ls='',
            marker='o',
            markersize=6,
            color=colours[c],
            label=f'{display(c)} ({first_counts[c]})',
        )
        for c in shown
    ]
    handles.append(
        plt.Line2D([], [], ls='', marker='o', markersize=5, color='0.82', label='other characters')
    )
    # About 1.3 inches per entry; rows as even as possible.
    legend_rows = math.ceil(len(handles) / max(3, int(fig.get_size_inches()[0] / 1.3)))
    fig.legend(
        handles=handles,
        loc='lower center',
        ncol=math.ceil(len(handles) / legend_rows),
        fontsize=8,
        frameon=False,
        title_fontsize=8,
        title=f'most frequent characters (frames in {panels[0][0]})',
    )
    unit = ' of unit-length frames' if args.metric == 'cosine' else ''
    fig.suptitle(
        f'Frame embeddings by character, 2-D PCA{unit}: {len(images)} images of '
        f'{dataset_name}\n{labelling}; silhouette on the full frames, '
        f'{args.metric} distance',
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    save_figure(fig, args.out)
    print(args.out)


if __name__ == '__main__':
    main()
