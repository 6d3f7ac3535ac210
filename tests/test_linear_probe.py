"""tools/analysis_tools/linear_probe.py runs on a tiny generated set and reports CER."""

import re
import sys

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / 'tools' / 'analysis_tools'))
import linear_probe  # noqa: E402

CONFIG = str(
    REPO_ROOT / 'configs/decoder_eval/'
    'decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py'
)


def test_probe_prints_frame_statistics_and_a_val_cer_per_evaluation(word_dataset, capsys):
    linear_probe.main(
        [
            CONFIG,
            '--data-root',
            str(word_dataset),
            '--num-train',
            '16',
            '--steps',
            '4',
            '--evals',
            '2',
            '--batch-size',
            '4',
            '--standardise',
            '--lrs',
            '1e-3',
            '1e-2',
        ]
    )
    out = capsys.readouterr().out
    assert re.search(r'random: H frames \(16, 25, 128\) .* per-channel std median', out)
    cers = re.findall(r'lr (\S+) step (\d+): train loss (\S+), val CER ([\d.]+)%', out)
    assert [(lr, step) for lr, step, _, _ in cers] == [
        ('0.001', '2'),
        ('0.001', '4'),
        ('0.01', '2'),
        ('0.01', '4'),
    ]
    for _, _, loss, cer in cers:
        assert float(loss) >= 0 and 0 <= float(cer)


def test_recalibrated_batchnorm_holds_the_plain_statistics_of_its_inputs_over_the_images():
    import torch
    from mmengine.config import Config
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules

    register_all_modules()
    torch.manual_seed(0)
    # The decoder-eval recognizer: it keeps its encoder in eval mode even under model.train().
    model = MODELS.build(Config.fromfile(CONFIG).model)
    norm = model.backbone.stem_layers[0].bn
    inputs = []
    norm.register_forward_hook(lambda module, args, output: inputs.append(args[0].detach()))
    images = torch.rand(12, 1, 32, 100) * 2 - 1
    weights = {
        k: v.clone()
        for k, v in model.state_dict().items()
        if 'running' not in k and 'num_batches' not in k
    }

    linear_probe.recalibrate_batchnorm(model, images, batch_size=12)  # one batch

    (x,) = inputs
    channels = x.transpose(0, 1).reshape(x.size(1), -1)  # (C, N*H*W)
    count = channels.size(1)
    mean = torch.tensor([sum(row.tolist()) / count for row in channels])
    var = torch.tensor(
        [sum((v - m) ** 2 for v in row.tolist()) / (count - 1) for row, m in zip(channels, mean)]
    )
    assert torch.allclose(norm.running_mean, mean.float(), atol=1e-5)
    assert torch.allclose(norm.running_var, var.float(), rtol=1e-4, atol=1e-6)
    assert not norm.training and not model.training
    for key, value in model.state_dict().items():
        if key in weights:
            assert torch.equal(value, weights[key]), key
