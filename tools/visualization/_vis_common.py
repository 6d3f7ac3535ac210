"""Shared helpers of the visualisation tools: configs, models, and sample images.

(Named ``_vis_common`` rather than ``_common`` so that it never shadows
``tools/dataset_converters/_common.py`` when both folders are on ``sys.path``, as in tests.)
"""

import logging
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from torch import Tensor

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
PIPELINES_CONFIG = osp.join(REPO_ROOT, 'configs', '_base_', 'pipelines', 'pretrain_pipelines.py')
DEFAULT_INPUT_SIZE = (100, 32)  # (width, height) of the paper's pre-resized inputs
ENCODER_PREFIXES = ('preprocessor.', 'backbone.', 'encoder.')


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Read a config (importing its ``custom_imports``), apply ``--cfg-options`` and set
    the default scope, as MMOCR's tools do."""
    import seqclr_mmocr  # noqa: F401  (registers the modules, for configs without imports)

    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmocr'))
    return cfg


def leaf_datasets(dataset_cfg: dict) -> List[dict]:
    """The dataset configs that hold images, under ``ConcatDataset`` (``datasets``) and
    wrappers such as ``LabelFractionDataset`` (``dataset``)."""
    if 'datasets' in dataset_cfg:
        return [leaf for d in dataset_cfg['datasets'] for leaf in leaf_datasets(d)]
    if 'dataset' in dataset_cfg:
        return leaf_datasets(dataset_cfg['dataset'])
    return [dataset_cfg]


def dataloader_dataset(cfg: Config, split: str) -> dict:
    """The dataset config of ``<split>_dataloader``, with a clear error if it is missing."""
    loader = cfg.get(f'{split}_dataloader')
    if not loader or not loader.get('dataset'):
        raise KeyError(
            f'the config has no {split}_dataloader.dataset; choose another split '
            'or pass --ann-file and --data-root'
        )
    return loader['dataset']


def dataset_pipeline(dataset_cfg: dict) -> list:
    """The pipeline of a dataset config: its own, else its first leaf's."""
    if dataset_cfg.get('pipeline'):
        return list(dataset_cfg['pipeline'])
    for leaf in leaf_datasets(dataset_cfg):
        if leaf.get('pipeline'):
            return list(leaf['pipeline'])
    return []


def samples_of(dataset_cfg: dict) -> List[Tuple[str, Optional[str]]]:
    """(image path, text or None) of every sample of the leaf datasets of ``dataset_cfg``.

    The leaves are built without their pipelines: only their annotations are read.
    """
    from mmocr.registry import DATASETS

    samples = []
    for leaf in leaf_datasets(dataset_cfg):
        leaf = dict(leaf, pipeline=[])
        dataset = DATASETS.build(leaf)
        for i in range(len(dataset)):
            info = dataset.get_data_info(i)
            instances = info.get('instances') or [{}]
            samples.append((info['img_path'], instances[0].get('text')))
    if not samples:
        raise ValueError(
            f'no samples in dataset {dataset_cfg.get("type")} '
            f'({[leaf.get("ann_file") for leaf in leaf_datasets(dataset_cfg)]})'
        )
    return samples


def annotation_samples(ann_file: str, data_root: str = '') -> List[Tuple[str, Optional[str]]]:
    """(image path, text) of an MMOCR textrecog annotation file, for ``--ann-file``."""
    return samples_of(dict(type='OCRDataset', data_root=data_root, ann_file=ann_file))


def choose(samples: Sequence, num: int, seed: Optional[int]) -> list:
    """``num`` samples: the first ones when ``seed`` is None, else a seeded random draw."""
    num = min(num, len(samples))
    if seed is None:
        return list(samples[:num])
    index = np.random.default_rng(seed).choice(len(samples), size=num, replace=False)
    return [samples[i] for i in sorted(index)]


def input_size(pipeline: Optional[Sequence[dict]]) -> Tuple[int, int]:
    """(width, height) of the pipeline's fixed-size ``Resize``, else 100 x 32."""
    for transform in pipeline or []:
        if transform.get('type') == 'Resize' and transform.get('scale') is not None:
            width, height = transform['scale']
            return int(width), int(height)
    return DEFAULT_INPUT_SIZE


def load_gray(path: str, size: Optional[Tuple[int, int]] = DEFAULT_INPUT_SIZE) -> np.ndarray:
    """An image as uint8 grayscale (H, W), resized to ``size`` = (width, height) like the
    pipelines' ``Resize(keep_ratio=False)`` (``mmcv.imresize``, bilinear); None keeps it."""
    img = mmcv.imread(path, flag='grayscale')
    if img is None:
        raise FileNotFoundError(f'cannot read image {path}')
    return img if size is None else mmcv.imresize(img, size)


def build_model(
    cfg: Config,
    checkpoint: Optional[str],
    required: Sequence[str] = ENCODER_PREFIXES,
    seed: int = 0,
) -> torch.nn.Module:
    """The config's model in eval mode, on the CPU.

    ``checkpoint`` None or ``'random'``: freshly initialised (``init_weights``, as a
    training run starts), with ``seed``. Otherwise the checkpoint's weights; weights of the
    model under the ``required`` prefixes must all be in it (a pretraining checkpoint
    without its projection head, e.g. an exported encoder, is fine for the encoder).
    """
    from mmengine.runner import load_checkpoint
    from mmocr.registry import MODELS

    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    # init_weights logs every parameter's initialisation: keep the tool's output readable.
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    if checkpoint not in (None, 'random'):
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
        state = load_checkpoint(
            model, checkpoint, map_location='cpu', strict=False, logger='silent'
        )
        state = state.get('state_dict', state)
        missing = [
            k for k in model.state_dict() if k.startswith(tuple(required)) and k not in state
        ]
        if missing:
            raise KeyError(
                f'{checkpoint} lacks {len(missing)} weights of the model of this '
                f'config, e.g. {missing[:3]}: is it a checkpoint of this model?'
            )
    return model.eval()


def normalise(images: Sequence[np.ndarray], model: torch.nn.Module) -> Tensor:
    """uint8 (H, W) images of one size to the model's normalised (N, 1, H, W) batch."""
    batch = torch.from_numpy(np.stack(images)).float()[:, None]
    preprocessor = model.data_preprocessor
    if getattr(preprocessor, '_enable_normalize', False):
        batch = (batch - preprocessor.mean) / preprocessor.std
    return batch


def rescale_to_height(img: np.ndarray, height: int, max_width: int) -> np.ndarray:
    """Resize to ``height`` keeping the aspect ratio, the width capped at ``max_width``."""
    width = min(max_width, max(1, round(img.shape[1] * height / img.shape[0])))
    return mmcv.imresize(img, (width, height))


def frame_centres(num_frames: int, width: float) -> np.ndarray:
    """x (input pixels) of the centre of each of T frames spanning ``width`` pixels.

    The backbones downsample the width with a constant stride and pool the height, so
    frame t sits at ``(t + 0.5) * W / T``; its true receptive field is wider (and, for the
    BiLSTM's H, the whole image), so this is where each frame is centred, not all it sees.
    """
    return (np.arange(num_frames) + 0.5) * width / num_frames


def short_name(path: str) -> str:
    """A config or checkpoint file name without folders or extension."""
    return osp.splitext(osp.basename(path.rstrip('/')))[0]


def encoder_frames(
    model: torch.nn.Module, batch: Tensor, valid_ratios: Optional[Sequence[float]] = None
) -> Tuple[Tensor, Tensor]:
    """Frames (N, T, F) and valid lengths (N,) of a contrastive model's representation R,
    or of a recognizer's encoder output (its backbone frames V when it has no encoder)."""
    from seqclr_mmocr.models.utils.sequence_utils import map_to_sequence, valid_lengths

    with torch.no_grad():
        if hasattr(model, 'extract_frames'):
            return model.extract_frames(batch, valid_ratios)
        feat = model.extract_feat(batch)
        if getattr(model, 'with_encoder', False):
            samples = None
            if valid_ratios is not None:
                from mmocr.structures import TextRecogDataSample

                samples = [TextRecogDataSample(metainfo=dict(valid_ratio=r)) for r in valid_ratios]
            frames = model.encoder(feat, samples)
        else:
            frames = map_to_sequence(feat)
    return frames, valid_lengths(valid_ratios, frames.size(1), frames.size(0), frames.device)


def save_figure(fig, out: str, dpi: int = 120) -> None:
    """Save a matplotlib figure as ``out``, creating its folder, and close it."""
    import matplotlib.pyplot as plt

    folder = osp.dirname(osp.abspath(out))
    os.makedirs(folder, exist_ok=True)
    fig.savefig(out, dpi=dpi)
    plt.close(fig)
