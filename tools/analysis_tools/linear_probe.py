"""Linear CTC probe on cached frozen frames: decoder evaluation in a smaller, faster case.

Decoder evaluation trains a per-frame linear CTC layer on a frozen encoder. This tool
isolates that layer: it computes the frozen frames (H, V or concat(H, V)) of a recognizer's
encoder once, without augmentation, then trains only a linear CTC layer on the cached frames
with Adam, for each learning rate given, and prints the validation CER and word accuracy as
it goes, with the statistics of the frames (how much they vary across images). Seconds
instead of a full training run, so the learning rate, the scale of the frames and the length
of pretraining can be checked one at a time.

Example::

    python tools/analysis_tools/linear_probe.py \\
        configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py \\
        --checkpoint work_dirs/demo/pretrain/encoder.pth --data-root data/demo_handwriting \\
        --standardise --lrs 1e-3 1e-2
"""

import argparse
import json
import os.path as osp
import time
from typing import List, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from rapidfuzz.distance import Levenshtein

import seqclr_mmocr  # noqa: F401  (registers the modules, safe checkpoint loading)
from seqclr_mmocr.models.utils.sequence_utils import map_to_sequence


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Linear CTC probe on frozen encoder frames')
    parser.add_argument('config', help='a recognizer config (its encoder and dictionary)')
    parser.add_argument(
        '--checkpoint',
        default='random',
        help="pretraining or recognizer checkpoint, or 'random' (default)",
    )
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--train-ann', default='textrecog_train.json')
    parser.add_argument('--val-ann', default='textrecog_val.json')
    parser.add_argument(
        '--num-train', type=int, default=6000, help='first N training images (default 6000)'
    )
    parser.add_argument('--frames', choices=('H', 'V', 'HV'), default='H')
    parser.add_argument(
        '--standardise',
        action='store_true',
        help='standardise each channel over the training frames first',
    )
    parser.add_argument(
        '--recalibrate-bn',
        action='store_true',
        help="re-estimate BatchNorm's running statistics on the training images (no labels, "
        'no gradients, the weights unchanged) before the frames are computed',
    )
    parser.add_argument('--lrs', type=float, nargs='+', default=[1e-3])
    parser.add_argument('--steps', type=int, default=3000)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--evals', type=int, default=6, help='validations per learning rate')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def load_split(data_root: str, ann_file: str, limit: int = None) -> Tuple[torch.Tensor, List[str]]:
    """Grayscale 32x100 images scaled to [-1, 1] (as the demo's data preprocessor) and texts."""
    with open(osp.join(data_root, ann_file)) as f:
        data_list = json.load(f)['data_list'][:limit]
    images, texts = [], []
    for item in data_list:
        path = osp.join(data_root, item['img_path'])
        image = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if image is None:
            raise FileNotFoundError(f'{path} (listed in {ann_file}) cannot be read')
        images.append(cv2.resize(image, (100, 32)))
        texts.append(item['instances'][0]['text'])
    array = (np.stack(images).astype(np.float32) - 127.5) / 127.5
    return torch.from_numpy(array)[:, None], texts


@torch.no_grad()
def frozen_frames(model, images: torch.Tensor, which: str) -> torch.Tensor:
    """The encoder's frames (N, T, C) in eval mode, as a frozen decoder evaluation sees them:
    the recognizer's own ``extract_feat`` and encoder, V pooled as the decoders pool it."""
    model.eval()
    out = []
    for batch in images.split(256):
        feat = model.extract_feat(batch)
        parts = [] if which == 'V' else [model.encoder(feat, None)]
        if which != 'H':
            parts.append(map_to_sequence(feat))
        out.append(torch.cat(parts, dim=-1))
    return torch.cat(out)


@torch.no_grad()
def recalibrate_batchnorm(model, images: torch.Tensor, batch_size: int = 64) -> None:
    """Replace every BatchNorm's running mean and variance by their averages over ``images``
    (clean images, where pretraining saw augmented views); nothing else changes."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    model.eval()
    for norm in norms:  # only these: the decoder-eval recognizer keeps its encoder in eval mode
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over all the batches
        norm.train()
    for batch in images.split(batch_size):
        model.extract_feat(batch)
    model.eval()


def frame_stats(frames: torch.Tensor) -> str:
    per_channel = frames.std(dim=(0, 1))
    return (
        f'std {frames.std():.4f}, per-channel std median {per_channel.median():.4f} '
        f'(min {per_channel.min():.4f}), std across images of the middle frame '
        f'{frames[:, frames.size(1) // 2].std(0).mean():.4f}'
    )


def greedy_decode(logits: torch.Tensor, dictionary, blank: int) -> List[str]:
    texts = []
    for row in logits.argmax(-1).tolist():
        kept, previous = [], None
        for index in row:
            if index != previous and index != blank:
                kept.append(index)
            previous = index
        texts.append(dictionary.idx2str(kept) if kept else '')
    return texts


def main(argv=None) -> None:
    args = parse_args(argv)
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules

    register_all_modules()
    cfg = Config.fromfile(args.config)
    torch.manual_seed(args.seed)  # the 'random' encoder is then the same in every run
    model = MODELS.build(cfg.model)
    if args.checkpoint != 'random':
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    dictionary = model.decoder.dictionary
    blank = dictionary.padding_idx

    start = time.time()
    train_images, train_texts = load_split(args.data_root, args.train_ann, args.num_train)
    val_images, val_texts = load_split(args.data_root, args.val_ann)
    if args.recalibrate_bn:
        recalibrate_batchnorm(model, train_images)
    train_frames = frozen_frames(model, train_images, args.frames)
    val_frames = frozen_frames(model, val_images, args.frames)
    print(
        f'{args.checkpoint}: {args.frames} frames {tuple(train_frames.shape)} in '
        f'{time.time() - start:.0f} s; {frame_stats(train_frames)}',
        flush=True,
    )
    if args.standardise:
        mean, std = train_frames.mean((0, 1)), train_frames.std((0, 1)) + 1e-5
        train_frames, val_frames = (train_frames - mean) / std, (val_frames - mean) / std

    targets = [torch.tensor(dictionary.str2idx(text)) for text in train_texts]
    num_chars = sum(len(text) for text in val_texts)
    for lr in args.lrs:
        torch.manual_seed(args.seed)
        head = torch.nn.Linear(train_frames.size(-1), dictionary.num_classes)
        optimizer = torch.optim.Adam(head.parameters(), lr=lr)
        generator = torch.Generator().manual_seed(args.seed)
        for step in range(1, args.steps + 1):
            index = torch.randint(len(train_frames), (args.batch_size,), generator=generator)
            batch_targets = [targets[i] for i in index]
            log_probs = head(train_frames[index]).log_softmax(-1).transpose(0, 1)
            loss = F.ctc_loss(
                log_probs,
                torch.cat(batch_targets),
                torch.full((args.batch_size,), log_probs.size(0), dtype=torch.long),
                torch.tensor([len(t) for t in batch_targets]),
                blank=blank,
                zero_infinity=True,
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step % max(1, args.steps // args.evals) == 0 or step == args.steps:
                with torch.no_grad():
                    predictions = greedy_decode(head(val_frames), dictionary, blank)
                cer = (
                    sum(Levenshtein.distance(p, g) for p, g in zip(predictions, val_texts))
                    / num_chars
                )
                acc = np.mean([p == g for p, g in zip(predictions, val_texts)])
                print(
                    f'lr {lr:g} step {step}: train loss {loss.item():.3f}, val CER '
                    f'{100 * cer:.1f}%, word accuracy {100 * acc:.1f}%, e.g. '
                    f'{predictions[:3]} for {val_texts[:3]}',
                    flush=True,
                )


if __name__ == '__main__':
    main()
