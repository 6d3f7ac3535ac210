"""The own-data configs read their data from $OWN_DATA, in either label format, and
tools/data/split_labels.py makes seeded splits of one labels file."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT, make_word_images
from mmengine.config import Config
from mmengine.registry import init_default_scope

OWN_DATA_CONFIGS = sorted((REPO_ROOT / 'configs' / 'own_data').glob('*.py'))


def load_split_tool():
    path = REPO_ROOT / 'tools' / 'data' / 'split_labels.py'
    spec = importlib.util.spec_from_file_location('split_labels', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


split_labels = load_split_tool()


@pytest.fixture
def own_data(tmp_path) -> Path:
    """A data root with labels.txt, labels.json (the same 20 images) and unlabeled/."""
    root = tmp_path / 'own'
    make_word_images(root, num=20, seed=2, split='labeled')
    make_word_images(root, num=6, seed=1, split='unlabeled')
    shutil.move(str(root / 'imgs' / 'unlabeled'), str(root / 'unlabeled'))
    (root / 'textrecog_labeled.json').rename(root / 'labels.json')
    ann = json.loads((root / 'labels.json').read_text())
    (root / 'labels.txt').write_text(
        ''.join(f'{item["img_path"]} {item["instances"][0]["text"]}\n' for item in ann['data_list'])
    )
    return root


def build_dataset(cfg_dataset):
    from mmocr.registry import DATASETS

    import seqclr_mmocr  # noqa: F401

    init_default_scope('mmocr')
    return DATASETS.build(cfg_dataset)


def texts(dataset):
    return sorted(dataset.get_data_info(i)['instances'][0]['text'] for i in range(len(dataset)))


def test_there_are_pretraining_and_downstream_configs_of_both_sizes():
    names = [path.name for path in OWN_DATA_CONFIGS]
    for size in ('small-resnet-bilstm', 'tps-resnet31-bilstm'):
        assert any(n.startswith('seqclr_') and size in n for n in names)
        for kind in ('decoder-eval', 'finetune', 'supervised'):
            for decoder in ('ctc', 'attn'):
                assert any(n.startswith(f'{kind}_{decoder}_{size}') for n in names), (
                    kind,
                    decoder,
                    size,
                )


@pytest.mark.parametrize('labels', ['txt', 'json'])
def test_downstream_splits_come_from_own_data_in_either_format(own_data, labels, monkeypatch):
    source = own_data / ('labels.txt' if labels == 'txt' else 'labels.json')
    split_labels.split_labels(str(source), val=0.2, test=0.1, seed=0)
    monkeypatch.setenv('OWN_DATA', str(own_data))
    monkeypatch.setenv('OWN_DATA_LABELS', labels)
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/own_data/finetune_attn_small-resnet-bilstm_4000it_own-data.py')
    )
    splits = {
        name: build_dataset(
            dict(getattr(cfg, f'{name}_dataloader').dataset.datasets[0], pipeline=[])
        )
        for name in ('train', 'val', 'test')
    }
    assert {name: len(d) for name, d in splits.items()} == dict(train=14, val=4, test=2)
    all_texts = json.loads((own_data / 'labels.json').read_text())['data_list']
    assert sorted(texts(splits['train']) + texts(splits['val']) + texts(splits['test'])) == sorted(
        item['instances'][0]['text'] for item in all_texts
    )
    for dataset in splits.values():
        for i in range(len(dataset)):
            assert Path(dataset.get_data_info(i)['img_path']).is_file()
    assert cfg.test_evaluator.dataset_prefixes == ['own-data']


def test_pretraining_reads_the_unlabeled_folder(own_data, monkeypatch):
    monkeypatch.setenv('OWN_DATA', str(own_data))
    for name in (
        'seqclr_window-bilstm_small-resnet-bilstm_500it_own-data.py',
        'seqclr_window-bilstm_tps-resnet31-bilstm_200k_own-data.py',
    ):
        cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'own_data' / name))
        (dataset_cfg,) = cfg.train_dataloader.dataset.datasets
        assert len(build_dataset(dict(dataset_cfg, pipeline=[]))) == 6
        assert cfg.val_dataloader is None and cfg.val_cfg is None


def test_another_unlabelled_folder_can_be_named(own_data, tmp_path, monkeypatch):
    elsewhere = tmp_path / 'crops'
    make_word_images(elsewhere, num=3, seed=5, split='x')
    monkeypatch.setenv('OWN_DATA', str(own_data))
    monkeypatch.setenv('OWN_DATA_UNLABELED', str(elsewhere))
    cfg = Config.fromfile(
        str(
            REPO_ROOT
            / 'configs/own_data/seqclr_window-bilstm_small-resnet-bilstm_500it_own-data.py'
        )
    )
    (dataset_cfg,) = cfg.train_dataloader.dataset.datasets
    assert len(build_dataset(dict(dataset_cfg, pipeline=[]))) == 3


def test_an_unknown_label_format_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv('OWN_DATA_LABELS', 'csv')
    with pytest.raises(Exception, match='OWN_DATA_LABELS must be one of'):
        Config.fromfile(str(OWN_DATA_CONFIGS[0]))


def test_cpu_sized_configs_use_small_loaders():
    for path in OWN_DATA_CONFIGS:
        cfg = Config.fromfile(str(path))
        if 'small-resnet-bilstm' in path.name:
            assert cfg.train_dataloader.batch_size <= 64, path.name
            assert cfg.train_dataloader.persistent_workers is False, path.name


def test_the_split_is_seeded_disjoint_and_complete(own_data):
    first = split_labels.split_indices(20, val=0.2, test=0.1, seed=3)
    assert first == split_labels.split_indices(20, val=0.2, test=0.1, seed=3)
    assert first != split_labels.split_indices(20, val=0.2, test=0.1, seed=4)
    assert sorted(first['train'] + first['val'] + first['test']) == list(range(20))
    assert (len(first['val']), len(first['test'])) == (4, 2)


def test_a_missing_image_is_reported_with_its_file_and_line(own_data):
    with open(own_data / 'labels.txt', 'a') as f:
        f.write('imgs/labeled/missing.png word\n')
    with pytest.raises(
        FileNotFoundError,
        match=r'labels.txt: 1 image\(s\) not found, '
        r"first 'imgs/labeled/missing.png' \(line/entry 21\)",
    ):
        split_labels.split_labels(str(own_data / 'labels.txt'))


OWN_RECOGNIZERS = [
    p for p in OWN_DATA_CONFIGS if p.name.startswith(('supervised_', 'finetune_', 'decoder-eval_'))
]


def test_every_own_data_recognizer_keeps_its_best_checkpoint_by_cer():
    assert len(OWN_RECOGNIZERS) == 12
    for path in OWN_RECOGNIZERS:
        checkpoint = Config.fromfile(str(path)).default_hooks.checkpoint
        assert (checkpoint.save_best, checkpoint.rule) == ('own-data/recog/cer', 'less'), path.name


@pytest.mark.parametrize('kind', ['supervised', 'finetune'])
@pytest.mark.parametrize('decoder', ['ctc', 'attn'])
def test_cpu_sized_training_runs_the_converged_4000_iteration_recipe(kind, decoder):
    path = REPO_ROOT / f'configs/own_data/{kind}_{decoder}_small-resnet-bilstm_4000it_own-data.py'
    cfg = Config.fromfile(str(path))
    assert cfg.optim_wrapper.optimizer.type == 'Adam' and cfg.optim_wrapper.optimizer.lr == 3e-3
    assert (cfg.train_cfg.max_iters, cfg.train_cfg.val_interval) == (4000, 250)
    steps, *warmup = cfg.param_scheduler
    assert (steps.type, steps.milestones, steps.gamma) == ('MultiStepLR', [2400, 3200], 0.1)
    # fine-tuning warms the rate up over its first 100 iterations; supervised training does not
    expected = [('LinearLR', 0.1, 0, 100)] if kind == 'finetune' else []
    assert [(w.type, w.start_factor, w.begin, w.end) for w in warmup] == expected
    assert cfg.default_hooks.logger.interval == 25
    assert (cfg.load_from is None) and (kind == 'finetune') == bool(cfg.get('custom_hooks'))
