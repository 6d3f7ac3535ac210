"""tools/analysis_tools/benchmark_train_step.py runs the demo configs through MMEngine's runner
and a bare loop on tiny data and prints the runner-vs-bare ratio (no timing assertions)."""

import importlib.util
import math
import re

import pytest
import torch
from conftest import REPO_ROOT, run_repo_tool

SCRIPT = 'tools/analysis_tools/benchmark_train_step.py'
PRETRAIN = 'configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'
FINETUNE = 'configs/finetune/finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-5pct.py'


@pytest.mark.slow
def test_benchmark_prints_a_runner_vs_bare_ratio_and_a_profile_per_config_on_tiny_data(
    word_dataset, tmp_path
):
    output = run_repo_tool(
        [
            SCRIPT,
            PRETRAIN,
            FINETUNE,
            '--data-root',
            str(word_dataset),
            '--warmup',
            '1',
            '--block',
            '2',
            '--repeats',
            '2',
            '--profile',
            '1',
            '--work-dir',
            str(tmp_path / 'work'),
            '--cfg-options',
            'train_dataloader.batch_size=4',
            'train_dataloader.num_workers=1',
        ]
    )
    ratios = re.findall(r'runner / bare\s+([0-9.]+)x .*per repeat: ([0-9.x, ]+)', output)
    assert len(ratios) == 2, output[-3000:]
    for ratio, per_repeat in ratios:
        assert math.isfinite(float(ratio)) and float(ratio) > 0
        assert len(per_repeat.split(',')) == 2
    # One table row per config, and the fine-tuning config got a checkpoint to check.
    for config in (PRETRAIN, FINETUNE):
        assert re.search(
            r'^\| ' + re.escape(config.split('/')[-1]) + r' \| 4 \| 1 \|', output, re.M
        ), output[-3000:]
    assert list((tmp_path / 'work').glob('1_finetune*/own_encoder.pth'))
    # The profile of the bare step names the model's operators, LSTM included.
    assert len(re.findall(r'torch.profiler, 1 bare steps', output)) == 2
    assert len(re.findall(r'^    LSTM\s+[0-9.]+%', output, re.M)) == 2, output[-3000:]


def load_script():
    spec = importlib.util.spec_from_file_location('benchmark_train_step', REPO_ROOT / SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bare_step_updates_the_model_with_its_optimizer():
    bare_step = load_script().bare_step

    class TinyModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 1)
            self.data_preprocessor = lambda batch, training: batch

        def forward(self, inputs, mode):
            assert mode == 'loss'
            return dict(loss=self.linear(inputs).pow(2).mean(), acc=torch.tensor(0.5))

    model = TinyModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.linear.weight.detach().clone()
    bare_step(model, optimizer, dict(inputs=torch.ones(4, 3)))
    assert not torch.equal(before, model.linear.weight)
