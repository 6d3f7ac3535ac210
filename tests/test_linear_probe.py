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
