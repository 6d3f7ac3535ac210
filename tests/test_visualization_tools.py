"""tools/visualization: each tool draws a valid PNG from a tiny pretraining, and the numbers
behind the pictures (silhouette score, CTC best-path alignment, alignment markers, merged
resumed logs) match hand computations."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, make_word_images, run_repo_tool

PRETRAIN_CONFIG = str(
    REPO_ROOT / 'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
)
SIMCLR_CONFIG = str(
    REPO_ROOT / 'configs/seqclr/simclr_mean-mlp_small-resnet_400it_demo-handwriting.py'
)
CTC_CONFIG = str(REPO_ROOT / 'configs/_base_/models/ctc_small-resnet-bilstm.py')
TOOLS = REPO_ROOT / 'tools' / 'visualization'


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f'vis_{name}', TOOLS / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def data_options(root: Path, loaders=('train', 'val')) -> list:
    return [f'{name}_dataloader.dataset.datasets.0.data_root={root}' for name in loaders]


def assert_png(path: Path) -> None:
    from PIL import Image

    assert path.is_file() and path.stat().st_size > 0, f'{path} was not written'
    with Image.open(path) as img:
        img.verify()
    with Image.open(path) as img:
        assert img.format == 'PNG' and img.width > 100 and img.height > 100


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    """A 3-iteration SeqCLR pretraining on tiny word images, through tools/train.py."""
    root = tmp_path_factory.mktemp('vis_words')
    for seed, (split, num) in enumerate([('train', 8), ('val', 8), ('test', 4), ('unlabeled', 16)]):
        make_word_images(root, num=num, seed=seed, split=split)
    work_dir = root / 'pretrain'
    opts = [
        'train_cfg.max_iters=3',
        'train_cfg.val_interval=3',
        'default_hooks.checkpoint.interval=3',
        'param_scheduler.0.milestones=[2,3]',
        'train_dataloader.batch_size=8',
        'val_dataloader.batch_size=8',
        'default_hooks.logger.interval=1',
        'randomness.seed=0',
    ]
    for name in ('train', 'val'):
        opts += [f'{name}_dataloader.num_workers=0', f'{name}_dataloader.persistent_workers=False']
    run_repo_tool(
        ['tools/train.py', PRETRAIN_CONFIG, '--work-dir', str(work_dir), '--cfg-options']
        + opts
        + data_options(root),
        timeout=600,
    )
    return root, work_dir, work_dir / 'iter_3.pth'


@pytest.fixture(autouse=True)
def repo_cwd(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.syspath_prepend(str(REPO_ROOT))


# --- Smoke tests: every tool writes a PNG ------------------------------------------------


@pytest.mark.slow
def test_prediction_sheet_draws_the_first_test_images_with_their_ground_truth(
    pretrained, tmp_path, capsys
):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    root, _, _ = pretrained
    config = str(
        REPO_ROOT / 'configs/finetune/'
        'finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'
    )
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(config).model)
    checkpoint = tmp_path / 'recognizer.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    options = ['--cfg-options', f'test_dataloader.dataset.datasets.0.data_root={root}']
    tool = load_tool('prediction_sheet')
    out = tmp_path / 'sheet.png'
    tool.main([config, str(checkpoint), '--num-images', '3', '--out', str(out)] + options)
    assert_png(out)
    assert capsys.readouterr().out.splitlines()[-1] == str(out)  # the tool prints its PNG
    # The rows are the first test samples, in order, with their own labels.
    cfg = tool.load_config(config, {'test_dataloader.dataset.datasets.0.data_root': str(root)})
    with DefaultScope.overwrite_default_scope('mmocr'):
        rows = tool.predict(cfg, str(checkpoint), 3)
    labels = json.loads((root / 'textrecog_test.json').read_text())['data_list']
    assert [gt for _, gt, _ in rows] == [d['instances'][0]['text'] for d in labels[:3]]
    assert all(image.shape == (32, 100) for image, _, _ in rows)


@pytest.mark.slow
def test_browse_augmentations_draws_the_configs_batched_imgaug_and_simclr_views(
    pretrained, tmp_path
):
    root, _, _ = pretrained
    out = tmp_path / 'aug.png'
    load_tool('browse_augmentations').main(
        [
            PRETRAIN_CONFIG,
            '--mode',
            'config',
            'imgaug',
            'simclr',
            '--num-images',
            '2',
            '--num-pairs',
            '1',
            '--out',
            str(out),
            '--cfg-options',
        ]
        + data_options(root)
    )
    assert_png(out)


@pytest.mark.slow
def test_instance_windows_draws_the_mappers_own_windows(pretrained, tmp_path, capsys):
    root, _, checkpoint = pretrained
    out = tmp_path / 'windows.png'
    load_tool('instance_windows').main(
        [PRETRAIN_CONFIG, str(checkpoint), '--num-images', '2', '--out', str(out), '--cfg-options']
        + data_options(root)
    )
    assert_png(out)
    # 32 x 100 inputs give T = 25 valid frames: WindowToInstance(5) pools frames 5 by 5.
    assert (
        'length 25, windows [(0, 5), (5, 10), (10, 15), (15, 20), (20, 25)]'
        in capsys.readouterr().out
    )


@pytest.mark.slow
def test_instance_windows_with_padding_and_simclr_mean_pooling(pretrained, tmp_path, capsys):
    root, _, _ = pretrained
    out = tmp_path / 'windows_simclr.png'
    load_tool('instance_windows').main(
        [
            SIMCLR_CONFIG,
            'random',
            '--num-images',
            '3',
            '--keep-ratio',
            '--out',
            str(out),
            '--cfg-options',
        ]
        + data_options(root)
    )
    assert_png(out)
    lines = [line for line in capsys.readouterr().out.splitlines() if ', windows ' in line]
    assert len(lines) == 3
    for line in lines:
        length = int(line.split('length ')[1].split(',')[0])
        # The word images are narrower than 100 px once 32 px high: padding frames.
        assert length < 25 and line.endswith(f'windows [(0, {length})]')


@pytest.mark.slow
def test_embedding_map_compares_encoders_with_position_and_ctc_labels(pretrained, tmp_path, capsys):
    root, _, checkpoint = pretrained
    common = [
        '--config',
        PRETRAIN_CONFIG,
        '--checkpoint',
        'random',
        '--config',
        PRETRAIN_CONFIG,
        '--checkpoint',
        str(checkpoint),
        '--labels',
        'random,seqclr',
        '--num-images',
        '6',
    ]
    out = tmp_path / 'embedding.png'
    load_tool('embedding_map').main(
        common + ['--out', str(out), '--cfg-options'] + data_options(root, ('val',))
    )
    assert_png(out)
    out_ctc = tmp_path / 'embedding_ctc.png'
    load_tool('embedding_map').main(
        common
        + [
            '--ctc-config',
            CTC_CONFIG,
            '--ctc-checkpoint',
            'random',
            '--out',
            str(out_ctc),
            '--cfg-options',
        ]
        + data_options(root, ('val',))
    )
    assert_png(out_ctc)
    printed = capsys.readouterr().out
    assert printed.count('silhouette by character') == 4
    assert 'CTC best path reads' in printed


@pytest.mark.slow
def test_plot_curves_draws_pretraining_keys_of_a_work_dir(pretrained, tmp_path, capsys):
    _, work_dir, _ = pretrained
    out = tmp_path / 'curves.png'
    load_tool('plot_curves').main([str(work_dir), '--log-y', 'lr', '--out', str(out)])
    assert_png(out)
    assert str(out) in capsys.readouterr().out


# --- Numbers behind the pictures -----------------------------------------------------------


def reference_silhouette(points: np.ndarray, labels: list, distance) -> float:
    """Rousseeuw's definition with plain loops."""
    scores = []
    for i, label in enumerate(labels):
        own = [j for j, other in enumerate(labels) if other == label and j != i]
        if not own:
            scores.append(0.0)
            continue
        a = sum(distance(points[i], points[j]) for j in own) / len(own)
        b = min(
            sum(distance(points[i], points[j]) for j, o in enumerate(labels) if o == other)
            / labels.count(other)
            for other in set(labels)
            if other != label
        )
        scores.append((b - a) / max(a, b))
    return sum(scores) / len(scores)


def test_silhouette_matches_a_hand_computed_example():
    silhouette = load_tool('embedding_map').silhouette_score
    points = torch.tensor([[0.0], [1.0], [4.0], [5.0]])
    # Points 0 and 5: a = 1, b = 4.5; points 1 and 4: a = 1, b = 3.5.
    expected = (3.5 / 4.5 + 2.5 / 3.5) / 2
    assert silhouette(points, ['x', 'x', 'y', 'y']) == pytest.approx(expected, abs=1e-12)
    # A point alone in its cluster scores 0 and changes the others' b.
    points = torch.tensor([[0.0], [1.0], [4.0], [5.0], [20.0]])
    expected = (3.5 / 4.5 + 2.5 / 3.5 + 2.5 / 3.5 + 3.5 / 4.5 + 0) / 5
    assert silhouette(points, ['x', 'x', 'y', 'y', 'z']) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize('metric', ['euclidean', 'cosine'])
def test_silhouette_matches_a_loop_reference(metric):
    silhouette = load_tool('embedding_map').silhouette_score
    rng = np.random.default_rng(0)
    points = rng.normal(size=(23, 4)) + np.repeat(np.eye(4)[:3] * 2, [8, 8, 7], axis=0)
    labels = ['a'] * 8 + ['b'] * 8 + ['c'] * 6 + ['d']

    def euclidean(p, q):
        return float(np.sqrt(((p - q) ** 2).sum()))

    def cosine(p, q):
        return 1 - float(p @ q / np.linalg.norm(p) / np.linalg.norm(q))

    expected = reference_silhouette(points, labels, euclidean if metric == 'euclidean' else cosine)
    assert silhouette(torch.from_numpy(points), labels, metric) == pytest.approx(expected, abs=1e-9)


def test_silhouette_rejects_a_single_cluster():
    silhouette = load_tool('embedding_map').silhouette_score
    with pytest.raises(ValueError, match='2 to n - 1 clusters'):
        silhouette(torch.zeros(3, 2), ['a', 'a', 'a'])


def test_ctc_best_path_alignment_on_hand_made_logits():
    tool = load_tool('embedding_map')
    blank, a, b = 0, 1, 2
    # Best path: blank a a blank blank b blank blank.
    path = [blank, a, a, blank, blank, b, blank, blank]
    logits = torch.full((len(path), 3), -5.0)
    logits[torch.arange(len(path)), torch.tensor(path)] = 3.0
    best = logits.argmax(-1).tolist()
    assert tool.ctc_frame_labels(best, blank, 'nearest') == [a, a, a, a, b, b, b, b]
    assert tool.ctc_frame_labels(best, blank, 'previous') == [a, a, a, a, a, b, b, b]
    assert tool.ctc_frame_labels(best, blank, 'drop') == [None, a, a, None, None, b, None, None]
    # A blank halfway between two emissions goes to the left one.
    assert tool.ctc_frame_labels([a, blank, b], blank, 'nearest') == [a, a, b]
    assert tool.ctc_frame_labels([blank, blank], blank, 'nearest') == [None, None]


def test_position_labels_give_each_frame_the_character_under_its_centre():
    tool = load_tool('embedding_map')
    assert tool.position_labels('abc', 6) == list('aabbcc')
    assert tool.position_labels('ab', 5) == list('aabbb')
    assert tool.resample_labels(list('abcd'), 8) == list('aabbccdd')


def test_markers_follow_a_flip_and_an_identity_grid():
    tool = load_tool('browse_augmentations')
    from seqclr_mmocr.datasets.transforms import ImgAugNested

    flip = ImgAugNested(augmenter=dict(cls='Fliplr', p=1.0), seed=0)
    img = np.zeros((32, 100), np.uint8)
    img[:, :10] = 255
    view, markers = tool.track_imgaug(flip, img, np.array([25.0, 50.0, 75.0]))
    assert view[:, -10:].min() == 255 and view[:, :-10].max() == 0
    assert markers.tolist() == [75.0, 50.0, 25.0]
    assert tool.pair_shift((img, np.array([25.0, 50.0, 75.0])), (view, markers), 100) == (0.5, True)
    # An identity backward map sends every input point to itself.
    ys, xs = torch.meshgrid(torch.arange(32.0), torch.arange(100.0), indexing='ij')
    grid = torch.stack([(2 * xs + 1) / 100 - 1, (2 * ys + 1) / 32 - 1], -1)
    assert tool.grid_landing(grid, 25.5, 16.5) == 25.5


def write_scalars(path: Path, rows: list, extra_lines=()) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('\n'.join([json.dumps(r) for r in rows] + list(extra_lines)) + '\n')


def test_plot_curves_merges_resumed_runs_and_reports_malformed_lines(tmp_path, capsys):
    tool = load_tool('plot_curves')
    run = tmp_path / 'run'
    write_scalars(
        run / '20240101_000000/vis_data/scalars.json',
        [dict(lr=1.0, loss=4.0 - s, step=s) for s in range(1, 5)]
        + [{'DemoHW/recog/word_acc': 0.1, 'step': 4}],
    )
    write_scalars(
        run / '20240102_000000/vis_data/scalars.json',
        [dict(lr=0.1, loss=10.0 + s, step=s) for s in range(3, 7)],
        extra_lines=['{"loss": 1.0, "lr": 1', 'not json'],
    )
    latest = tool.read_rows(tool.scalar_files(str(run), all_timestamps=False))
    assert 'skipped 2 malformed line(s)' in capsys.readouterr().out
    steps, values, is_val = tool.series(latest, 'loss')
    assert steps.tolist() == [3, 4, 5, 6] and not is_val

    merged = tool.read_rows(tool.scalar_files(str(run), all_timestamps=True))
    steps, values, _ = tool.series(merged, 'loss')
    assert steps.tolist() == [1, 2, 3, 4, 5, 6]
    assert values.tolist() == [3.0, 2.0, 13.0, 14.0, 15.0, 16.0]
    steps, values, is_val = tool.series(merged, 'DemoHW/recog/word_acc')
    assert is_val and steps.tolist() == [4] and values.tolist() == [0.1]
    assert tool.expand(tool.default_keys(merged), [merged]) == ['loss', 'DemoHW/recog/word_acc']
    out = tmp_path / 'curves.png'
    tool.main([str(run), '--all-timestamps', '--smooth', '2', '--out', str(out)])
    assert_png(out)


def test_plot_curves_groups_runs_of_one_label_into_mean_and_sample_std_at_common_steps(tmp_path):
    tool = load_tool('plot_curves')
    losses = {'a1': [4.0, 3.0, 2.0, 1.0], 'a2': [6.0, 2.0, 1.0], 'b': [5.0, 5.0]}
    first_step = {'a1': 1, 'a2': 2, 'b': 1}
    runs = []
    for name, values in losses.items():
        path = tmp_path / name / '20240101_000000/vis_data/scalars.json'
        start = first_step[name]
        write_scalars(path, [dict(lr=0.1, loss=v, step=start + i) for i, v in enumerate(values)])
        runs.append(str(tmp_path / name))
    rows = [tool.read_rows(tool.scalar_files(run, all_timestamps=False)) for run in runs]

    grouped = tool.grouped_series(rows, ['a', 'a', 'b'], 'loss')

    assert list(grouped) == ['a', 'b']
    steps, mean, std, is_val, count = grouped['a']
    # a1 logged steps 1-4, a2 steps 2-4: the common steps are 2, 3, 4.
    assert steps.tolist() == [2, 3, 4] and count == 2 and not is_val
    for i, (x, y) in enumerate([(3.0, 6.0), (2.0, 2.0), (1.0, 1.0)]):
        expected_mean = (x + y) / 2
        expected_std = (((x - expected_mean) ** 2 + (y - expected_mean) ** 2) / (2 - 1)) ** 0.5
        assert mean[i] == pytest.approx(expected_mean)
        assert std[i] == pytest.approx(expected_std)
    steps, mean, std, _, count = grouped['b']
    assert steps.tolist() == [1, 2] and mean.tolist() == [5.0, 5.0]
    assert std.tolist() == [0.0, 0.0] and count == 1
    out = tmp_path / 'grouped.png'
    tool.main(runs + ['--labels', 'a', 'a', 'b', '--out', str(out)])
    assert_png(out)


def test_plot_curves_legend_puts_fewer_long_names_a_row_so_that_they_fit_the_figure():
    tool = load_tool('plot_curves')
    # 9.2 inches = 662.4 points; a name of n characters takes 4.8 n + 40 points.
    short = ['sup', 'ft', 'a', 'b', 'c']  # 54.4 points each: 5 a row (the cap)
    assert tool.legend_layout(short, 9.2) == (1, 5)
    long = ['seqclr-window3000_10pct (3 runs)'] * 5  # 32 characters: 193.6 points, 3 a row
    assert tool.legend_layout(long, 9.2) == (2, 3)
    assert tool.legend_layout(long * 2, 9.2) == (4, 3)  # 10 names: 4 rows of at most 3
    assert tool.legend_layout(['x' * 500], 9.2) == (1, 1)  # too long for any row: one a row
