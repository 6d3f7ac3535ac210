"""The recipes of issue 12's harder-pretext, writer-style and warm-up experiments build, train a
few iterations through tools/train.py and keep what they vary: the stronger view augmentation,
the larger batch, the slant/width/perspective ops of writer-style fine-tuning, and the
fine-tuning rate's linear warm-up."""

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT, run_repo_tool
from mmengine.config import Config

PRETRAIN_DIR = REPO_ROOT / 'configs/seqclr'
STRONG_AUG = (
    PRETRAIN_DIR / 'seqclr_window-bilstm_small-resnet-bilstm_strong-aug_2000it_demo-handwriting.py'
)
BATCH_128 = (
    PRETRAIN_DIR / 'seqclr_window-bilstm_small-resnet-bilstm_bs128_1000it_demo-handwriting.py'
)
WRITER_STYLE_NAME = 'ctc_small-resnet-bilstm_writer-style-aug_2000it_demo-handwriting-10pct.py'
WRITER_STYLE = {
    method: REPO_ROOT / f'configs/{method}/{method}_{WRITER_STYLE_NAME}'
    for method in ('supervised', 'finetune')
}

DEMO_FINETUNE = (
    REPO_ROOT / 'configs/finetune/finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'
)
WARMUP = DEMO_FINETUNE.parent / DEMO_FINETUNE.name.replace('_1200it', '_warmup_1200it')


def loader_options(data_root: Path, wrapped_train: bool, batch_size: int) -> list:
    """Data roots and light loaders; recognizers (``wrapped_train``: the label-fraction
    wrapper) also have a test loader, pretraining configs do not."""
    train_dataset = 'dataset.dataset' if wrapped_train else 'dataset'
    opts = [
        f'train_dataloader.{train_dataset}.datasets.0.data_root={data_root}',
        f'train_dataloader.batch_size={batch_size}',
        'train_cfg.val_interval=1000',
        'default_hooks.logger.interval=1',
    ]
    for loader in ('train', 'val', 'test') if wrapped_train else ('train', 'val'):
        if loader != 'train':
            opts.append(f'{loader}_dataloader.dataset.datasets.0.data_root={data_root}')
        opts += [
            f'{loader}_dataloader.num_workers=0',
            f'{loader}_dataloader.persistent_workers=False',
        ]
    return opts


def logged_train_rows(work_dir: Path) -> list:
    (scalars,) = work_dir.glob('*/vis_data/scalars.json')
    rows = [json.loads(line) for line in scalars.read_text().splitlines()]
    return [row for row in rows if 'loss' in row and 'lr' in row]


def logged_train_iterations(work_dir: Path) -> list:
    return [row['step'] for row in logged_train_rows(work_dir)]


def test_strong_augmentation_recipe_widens_only_the_ranges_it_names():
    from seqclr_mmocr.models.utils.batch_augments.seqclr_op_set import SeqCLRRanges

    strong = Config.fromfile(str(STRONG_AUG))
    augment = strong.model.data_preprocessor.view_augment
    paper = SeqCLRRanges()
    # Linear contrast is stronger the lower its alpha, the other ops the higher their range.
    assert augment.linear_contrast[0] < paper.linear_contrast[0]
    assert augment.linear_contrast[1] == paper.linear_contrast[1]
    for name in ('gaussian_blur', 'piecewise_affine', 'perspective'):
        assert augment[name][0] >= getattr(paper, name)[0], name
        assert augment[name][1] > getattr(paper, name)[1], name
    # a wider horizontal crop would shift the two views' windows against each other
    assert 'horizontal_crop' not in augment and 'vertical_crop' not in augment
    assert strong.train_cfg.max_iters == 2000
    assert strong.param_scheduler[0].milestones == [1200, 1600]


def test_batch_128_recipe_sees_as_many_images_as_2000_iterations_of_64():
    demo = Config.fromfile(
        str(PRETRAIN_DIR / 'seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py')
    )
    large = Config.fromfile(str(BATCH_128))
    assert demo.train_dataloader.batch_size == 64
    assert large.train_dataloader.batch_size * large.train_cfg.max_iters == 64 * 2000
    assert large.model == demo.model


@pytest.mark.slow
@pytest.mark.parametrize('config', [STRONG_AUG, BATCH_128], ids=['strong-aug', 'batch-128'])
def test_harder_pretext_recipe_trains_three_iterations(config, word_dataset, tmp_path):
    work_dir = tmp_path / 'work'
    run_repo_tool(
        [
            'tools/train.py',
            str(config),
            '--work-dir',
            str(work_dir),
            '--cfg-options',
            'train_cfg.max_iters=3',
            'default_hooks.checkpoint.interval=3',
        ]
        + loader_options(word_dataset, wrapped_train=False, batch_size=4)
    )
    assert logged_train_iterations(work_dir) == [1, 2, 3]
    assert (work_dir / 'iter_3.pth').exists()


def test_writer_style_pipeline_adds_slant_width_and_perspective_to_the_light_ops():
    for method, path in WRITER_STYLE.items():
        cfg = Config.fromfile(str(path))
        pipeline = cfg.train_dataloader.dataset.dataset.pipeline
        assert pipeline[0].type == 'CheckTextInDictionary', method
        (augment,) = [t for t in pipeline if t.type == 'ImgAugNested']
        ops = [child['cls'] for child in augment.augmenter.children]
        light = [child['cls'] for child in cfg.light_finetune_augment.augmenter.children]
        assert ops == light + ['ShearX', 'ScaleX', 'PerspectiveTransform'], method
        # everything else is the demo recipe's pipeline, in its order
        others = [t.type for t in pipeline if t.type != 'ImgAugNested']
        plain = [t.type for t in cfg.recog_train_pipeline if t.type != 'ImgAugNested']
        assert others == ['CheckTextInDictionary'] + plain, method
        assert cfg.train_cfg.max_iters == 2000
        assert cfg.param_scheduler[0].milestones == [1200, 1600]


def test_writer_style_augment_slants_a_vertical_bar():
    """Applied with every op drawn, the slant moves a vertical bar's top and bottom apart
    horizontally, which none of the light ops (crop, contrast, blur) can do."""
    import imgaug
    import imgaug.augmenters as iaa

    cfg = Config.fromfile(str(WRITER_STYLE['supervised']))
    shear = next(c for c in cfg.writer_style_augment.augmenter.children if c['cls'] == 'ShearX')
    image = np.full((32, 100), 255, np.uint8)
    image[:, 48:52] = 0
    imgaug.seed(0)
    slants = []
    for _ in range(20):
        out = iaa.ShearX(shear['shear'], mode=shear['mode'])(image=image)
        top, bottom = np.argmin(out[2]), np.argmin(out[-3])
        slants.append(abs(int(top) - int(bottom)))
    # tan(15 deg) * 28 rows = 7.5 px at most; most draws slant the bar by a pixel or more
    assert max(slants) <= 8 and np.mean(np.array(slants) >= 1) > 0.7, slants


@pytest.mark.slow
@pytest.mark.parametrize('method', sorted(WRITER_STYLE))
def test_writer_style_recipe_trains_three_iterations(method, word_dataset, tmp_path):
    work_dir = tmp_path / 'work'
    options = [
        'train_cfg.max_iters=3',
        'default_hooks.checkpoint.interval=3',
        'train_dataloader.dataset.fraction=0.5',
    ]
    if method == 'finetune':
        options.append('custom_hooks=[]')  # no pretrained encoder to check here
    run_repo_tool(
        ['tools/train.py', str(WRITER_STYLE[method]), '--work-dir', str(work_dir), '--cfg-options']
        + options
        + loader_options(word_dataset, wrapped_train=True, batch_size=4)
    )
    assert logged_train_iterations(work_dir) == [1, 2, 3]


def test_warmup_recipe_is_the_demo_fine_tuning_plus_a_linear_warm_up():
    warm = Config.fromfile(str(WARMUP))
    plain = Config.fromfile(str(DEMO_FINETUNE))
    steps, ramp = warm.param_scheduler
    # the steps stay param_scheduler.0, which tools/run_demo.sh cuts with --cfg-options
    assert steps == plain.param_scheduler[0]
    assert ramp.type == 'LinearLR'
    assert (ramp.start_factor, ramp.by_epoch, ramp.begin, ramp.end) == (0.1, False, 0, 100)
    others = {key for key in warm.keys() if key != 'param_scheduler'}
    assert others == {key for key in plain.keys() if key != 'param_scheduler'}
    for key in others:
        assert warm[key] == plain[key], key


def reference_rate(base: float, step: int, warmup_end: int, milestones: list) -> float:
    """The rate of 0-based iteration ``step``: linear from 0.1x at iteration 0 to 1x at
    iteration ``warmup_end - 1`` (MMEngine's ``end`` is exclusive), times 0.1 for each
    milestone reached."""
    last = warmup_end - 1
    warmup = 0.1 + 0.9 * min(step, last) / last
    return base * warmup * 0.1 ** sum(step >= milestone for milestone in milestones)


@pytest.mark.slow
def test_warmup_recipe_trains_with_the_ramped_and_stepped_rate(word_dataset, tmp_path):
    """Four iterations, a warm-up of 3 and a step at 2: the logged rate of each iteration is
    both schedulers' product, whichever comes first in the list."""
    work_dir = tmp_path / 'work'
    options = [
        'train_cfg.max_iters=4',
        'default_hooks.checkpoint.interval=4',
        'train_dataloader.dataset.fraction=0.5',
        'optim_wrapper.optimizer.lr=0.003',
        'param_scheduler.0.milestones=[2]',
        'param_scheduler.1.end=3',
        'custom_hooks=[]',  # no pretrained encoder to check here
    ]
    run_repo_tool(
        ['tools/train.py', str(WARMUP), '--work-dir', str(work_dir), '--cfg-options']
        + options
        + loader_options(word_dataset, wrapped_train=True, batch_size=4)
    )
    rows = logged_train_rows(work_dir)
    assert [row['step'] for row in rows] == [1, 2, 3, 4]
    expected = [reference_rate(0.003, row['step'] - 1, 3, [2]) for row in rows]
    # 0.0003, 0.00165, 0.0003, 0.0003
    assert [row['lr'] for row in rows] == pytest.approx(expected, rel=1e-6)
