#!/usr/bin/env bash
# Checks that a distributed SeqCLR pretraining resumes exactly: on a tiny generated word set,
# an uninterrupted 6-iteration run under tools/dist_train.sh with 2 processes (gloo on CPU)
# against the same run killed right after its iteration-3 checkpoint and resumed with
# --resume. Prints the logged iterations 4-6 of both runs and how many of the weights and
# buffers differ at iteration 6 (0 expected).
#   bash docs/experiments/scripts/check_dist_exact_resume.sh
set -e
cd "$(dirname "$0")/../../.."
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
export D PYTHONPATH=$PWD:$D OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 MPLBACKEND=Agg
export PYTHON=${PYTHON:-$PWD/.venv/bin/python}
CFG=configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py

$PYTHON - <<'PY'
import os, sys
from pathlib import Path
sys.path.insert(0, 'tests')
from conftest import make_word_images
root = Path(os.environ['D']) / 'words'
for seed, (split, num) in enumerate([('train', 24), ('val', 8), ('test', 8),
                                     ('unlabeled', 24)]):
    make_word_images(root, num=num, seed=seed, split=split)
PY
cat > "$D/kill_hook.py" <<'PY'
import os

import torch.distributed as dist
from mmengine.hooks import Hook
from mmocr.registry import HOOKS


@HOOKS.register_module()
class KillAfterIter(Hook):
    priority = 'LOWEST'  # after the checkpoint hook

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.iter + 1 == self.at:
            if dist.is_initialized():
                dist.barrier()  # rank 0 has saved the checkpoint
            os._exit(3)  # as abrupt as a kill
PY
cat > "$D/killed.py" <<PY
_base_ = ['$PWD/$CFG']
custom_imports = dict(imports=['seqclr_mmocr', 'kill_hook'], allow_failed_imports=False)
custom_hooks = [dict(type='KillAfterIter', at=3)]
PY
OPTS="train_cfg.max_iters=6 train_cfg.val_interval=3 default_hooks.checkpoint.interval=3
 default_hooks.checkpoint.max_keep_ckpts=3 default_hooks.logger.interval=1
 param_scheduler.0.milestones=[4,5] randomness.seed=0 train_dataloader.batch_size=4
 val_dataloader.batch_size=4 train_dataloader.num_workers=0
 train_dataloader.persistent_workers=False val_dataloader.num_workers=0
 val_dataloader.persistent_workers=False
 train_dataloader.dataset.datasets.0.data_root=$D/words
 val_dataloader.dataset.datasets.0.data_root=$D/words"
PORT=${PORT:-29611}
PORT=$PORT bash tools/dist_train.sh $CFG 2 --work-dir "$D/full" --cfg-options $OPTS \
    > "$D/full.log" 2>&1
PORT=$((PORT + 1)) bash tools/dist_train.sh "$D/killed.py" 2 --work-dir "$D/resumed" \
    --cfg-options $OPTS > "$D/killed.log" 2>&1 && { echo 'the killed run was not killed'; exit 1; }
test -f "$D/resumed/iter_3.pth" && test ! -f "$D/resumed/iter_6.pth"
PORT=$((PORT + 2)) bash tools/dist_train.sh $CFG 2 --work-dir "$D/resumed" --resume \
    --cfg-options $OPTS > "$D/resumed.log" 2>&1
for run in full resumed; do
    echo "$run:"; grep -h 'Iter(train) \[[456]/6\]' "$D/$run.log" | sed 's/.*Iter/  Iter/' | sed 's/  eta.*grad_norm/  grad_norm/' | cut -c1-100
done
$PYTHON - <<'PY'
import os

import torch

import seqclr_mmocr  # noqa: F401
from seqclr_mmocr.utils import safe_torch_load
full = safe_torch_load(os.path.join(os.environ['D'], 'full/iter_6.pth'))['state_dict']
resumed = safe_torch_load(os.path.join(os.environ['D'], 'resumed/iter_6.pth'))['state_dict']
differ = [key for key in full if not torch.equal(full[key], resumed[key])]
print(f'iteration 6: {len(differ)} of {len(full)} tensors differ {differ[:5]}')
raise SystemExit(1 if differ else 0)
PY
