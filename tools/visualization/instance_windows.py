"""Which part of each word every contrastive instance covers: frames and instance windows.

Usage::

    python tools/visualization/instance_windows.py CONFIG CHECKPOINT \\
        [--num-images 6] [--split val] [--keep-ratio] [--out instance_windows.png] \\
        [--cfg-options k=v ...]

Runs the config's encoder (SeqCLR or SimCLR; CHECKPOINT may be ``random``) on sample images
of ``<split>_dataloader`` and draws, over each input:

- the centres of its T frames. The backbone reduces the width with a constant stride and
  pools the height, so frame t of T is centred at x = (t + 0.5) * W / T input pixels. This
  is the centre of the frame's receptive field, not its extent: a convolutional frame sees
  several neighbouring frames' pixels, and the BiLSTM's contextual frames H see the whole
  word;
- the instance windows of the model's ``instance_mapper`` for the encoder's valid lengths,
  taken from the mapper's own ``windows()``: T' coloured bands for window-to-instance, one
  band for all-to-instance (and SimCLR's mean pooling), one per frame for frame-to-instance.
  The bars under the image give each window's exact frame span (windows may share a frame).

``--keep-ratio`` rescales each image to the pipeline's height, keeping its aspect ratio
(at most the pipeline's width) and right-pads it, as a variable-width pipeline would: the
padding frames then get no instance. Prints the PNG's path.
"""

import argparse
import os.path as osp
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _vis_common import (
    build_model,
    choose,
    dataloader_dataset,  # noqa: E402
    dataset_pipeline,
    encoder_frames,
    frame_centres,
    input_size,
    load_config,
    load_gray,
    normalise,
    rescale_to_height,
    samples_of,
    save_figure,
    short_name,
)

BAR_HEIGHT = 4  # input pixels, for the frame-span bars drawn under each image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Draw frames and instance windows')
    parser.add_argument('config', help='SeqCLR or SimCLR pretraining config')
    parser.add_argument('checkpoint', help="its checkpoint, or 'random' for a fresh encoder")
    parser.add_argument('--num-images', type=int, default=6)
    parser.add_argument(
        '--split',
        default='val',
        choices=['train', 'val', 'test'],
        help='dataloader whose images are drawn',
    )
    parser.add_argument(
        '--keep-ratio',
        action='store_true',
        help='keep the aspect ratio and pad, instead of the fixed resize',
    )
    parser.add_argument('--columns', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0, help='seed of the image choice')
    parser.add_argument('--out', default='instance_windows.png', help='output PNG')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py',
    )
    return parser.parse_args(argv)


def instance_mapper_of(model):
    """The model's mapper, and how to describe it. SimCLR pools all valid frames into one
    vector, i.e. the windows of all-to-instance."""
    mapper = getattr(model, 'instance_mapper', None)
    if mapper is not None:
        return mapper, repr(mapper)
    if hasattr(model, 'pooling'):
        from seqclr_mmocr.models.instance_mappers import AllToInstance

        return AllToInstance(), f'SimCLR pooling={model.pooling!r}: one vector per image'
    raise TypeError(
        f'{type(model).__name__} has no instance_mapper: use a SeqCLR or SimCLR pretraining config'
    )


def window_colours(count: int) -> list:
    cmap = plt.get_cmap('tab10' if count <= 10 else 'tab20')
    return [cmap(i % cmap.N) for i in range(count)]


def draw_image(
    ax, img: np.ndarray, valid_width: int, num_frames: int, length: int, spans: list, colours: list
) -> None:
    height, width = img.shape
    ax.imshow(img, cmap='gray', vmin=0, vmax=255, extent=(0, width, height, 0))
    if valid_width < width:
        ax.add_patch(
            Rectangle(
                (valid_width, 0),
                width - valid_width,
                height,
                facecolor='0.5',
                alpha=0.45,
                hatch='//',
                edgecolor='0.3',
                lw=0,
            )
        )
    step = width / num_frames
    for j, (start, end) in enumerate(spans):
        colour = colours[j]
        ax.add_patch(
            Rectangle(
                (start * step, 0), (end - start) * step, height, facecolor=colour, alpha=0.25, lw=0
            )
        )
        # Alternate rows, so that windows sharing a frame stay distinguishable.
        top = height + 1 + (j % 2) * (BAR_HEIGHT + 1)
        ax.add_patch(
            Rectangle(
                (start * step, top),
                (end - start) * step,
                BAR_HEIGHT,
                facecolor=colour,
                edgecolor='black',
                lw=0.4,
            )
        )
        if len(spans) <= 12:
            ax.text(
                (start + end) / 2 * step,
                top + BAR_HEIGHT / 2,
                f'{start}-{end - 1}' if end - start > 1 else f'{start}',
                ha='center',
                va='center',
                fontsize=5.5,
            )
    centres = frame_centres(num_frames, width)
    ax.scatter(
        centres[:length],
        np.full(length, height - 2.5),
        s=7,
        c='yellow',
        edgecolors='black',
        linewidths=0.4,
        zorder=3,
    )
    if length < num_frames:
        ax.scatter(
            centres[length:],
            np.full(num_frames - length, height - 2.5),
            s=7,
            facecolors='none',
            edgecolors='black',
            linewidths=0.4,
            zorder=3,
        )
    ax.set_xlim(0, width)
    ax.set_ylim(height + 2 * (BAR_HEIGHT + 1) + 1, 0)
    ax.set_xticks(centres[::5])
    ax.set_xticklabels([str(t) for t in range(0, num_frames, 5)], fontsize=6)
    ax.tick_params(length=2, pad=1)
    ax.set_yticks([])


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    model = build_model(cfg, args.checkpoint)
    mapper, mapper_name = instance_mapper_of(model)

    dataset_cfg = dataloader_dataset(cfg, args.split)
    width, height = input_size(dataset_pipeline(dataset_cfg))
    chosen = choose(samples_of(dataset_cfg), args.num_images, args.seed)
    if args.keep_ratio:
        images = [rescale_to_height(load_gray(path, None), height, width) for path, _ in chosen]
        valid_widths = [img.shape[1] for img in images]
        images = [
            np.pad(img, ((0, 0), (0, width - img.shape[1])), constant_values=128) for img in images
        ]
        valid_ratios = [w / width for w in valid_widths]
    else:
        images = [load_gray(path, (width, height)) for path, _ in chosen]
        valid_widths, valid_ratios = [width] * len(images), None

    frames, lengths = encoder_frames(model, normalise(images, model), valid_ratios)
    num_frames = frames.size(1)
    lengths = lengths.cpu().long()
    image_index, start, end = mapper.windows(lengths)
    max_windows = int(np.bincount(image_index.numpy(), minlength=len(images)).max())
    colours = window_colours(max_windows)

    columns = min(args.columns, len(images))
    rows = (len(images) + columns - 1) // columns
    # Inches: each 100 x 43 px panel (image and bars) about 4.3 x 1.85, with its title and
    # ticks; the figure title above and the legend below.
    fig_height = 2.3 * rows + 1.35
    fig, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, fig_height), squeeze=False)
    fig.subplots_adjust(
        left=0.02,
        right=0.99,
        top=1 - 0.95 / fig_height,
        bottom=0.45 / fig_height,
        wspace=0.06,
        hspace=0.35,
    )
    for ax in axes.flat:
        ax.axis('off')
    for i, ((path, text), img) in enumerate(zip(chosen, images)):
        ax = axes.flat[i]
        ax.axis('on')
        mine = image_index == i
        spans = list(zip(start[mine].tolist(), end[mine].tolist()))
        draw_image(ax, img, valid_widths[i], num_frames, int(lengths[i]), spans, colours)
        word = f'"{text}"' if text else osp.basename(path)
        ax.set_title(
            f'{word}: {int(lengths[i])} of {num_frames} frames valid, '
            f'{len(spans)} instance{"s" if len(spans) != 1 else ""}',
            fontsize=8,
        )
        print(f'{path}: length {int(lengths[i])}, windows {spans}')

    if max_windows <= 10:
        handles = [
            Patch(facecolor=colours[j], alpha=0.6, label=f'instance {j + 1}')
            for j in range(max_windows)
        ]
    else:
        handles = [
            Patch(
                facecolor=colours[0], alpha=0.6, label=f'instances 1-{max_windows} (colours cycle)'
            )
        ]
    handles.append(
        plt.Line2D(
            [],
            [],
            ls='',
            marker='o',
            markersize=4,
            markerfacecolor='yellow',
            markeredgecolor='black',
            label='frame centre x=(t+0.5)W/T (tick: frame t)',
        )
    )
    if args.keep_ratio:
        handles.append(Patch(facecolor='0.5', alpha=0.45, hatch='//', label='padding'))
    fig.legend(
        handles=handles, loc='lower center', ncol=min(len(handles), 8), fontsize=7.5, frameon=False
    )
    representation = getattr(model, 'representation', 'frames')
    fig.suptitle(
        f'Instance windows of {short_name(args.config)} ({short_name(args.checkpoint)})\n'
        f'{mapper_name} on R={representation} ({num_frames} frames of {frames.size(2)} '
        f"channels, {width / num_frames:g} input px apart); bars: each instance's frames\n"
        "frame centres approximate each frame's receptive field by its centre (constant "
        'horizontal stride); its extent is wider',
        fontsize=9,
    )
    save_figure(fig, args.out, dpi=130)
    print(args.out)


if __name__ == '__main__':
    main()
