#!/usr/bin/env bash
# The README's main job: set up .venv (idempotent), generate the embedded handwriting-style
# corpus, then run SeqCLR end to end on CPU:
#   1. generate the corpus (train/val/test by disjoint fonts + an unlabelled pool)
#   2. SeqCLR pretraining (window-to-instance) on the unlabelled pool
#   3. decoder evaluation: a CTC decoder on the frozen SeqCLR encoder, and on a frozen random
#      encoder for reference
#   4. fine-tuning on 5% and 10% of the labels, against the supervised baseline on the same
#      subsets
#   5. tools/test.py on the test fonts for every run, the results table, the plot and a
#      sheet of test images with their predictions
# Outputs go to $WORK_DIR (default work_dirs/demo). Re-running skips finished stages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

WORK_DIR="${WORK_DIR:-work_dirs/demo}"
DATA_ROOT="${DATA_ROOT:-data/demo_handwriting}"
PY=.venv/bin/python
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::UserWarning"
mkdir -p "$WORK_DIR"
start=$(date +%s)
stage() { echo; echo "[demo $(( $(date +%s) - start ))s] $*"; }

data_opts() {  # data roots for the loaders named as arguments
  for loader in "$@"; do printf '%s ' "${loader}_dataloader.dataset.datasets.0.data_root=$DATA_ROOT"; done
}
# The label-fraction configs wrap the dataset once more.
fraction_data_opts() {
  printf '%s ' "train_dataloader.dataset.dataset.datasets.0.data_root=$DATA_ROOT"
  data_opts val test
}

train_once() {  # train_once WORK_SUBDIR CONFIG [cfg-options...]; skipped once finished
  local dir="$WORK_DIR/$1" cfg="$2"; shift 2
  if [ -f "$dir/.finished" ]; then echo "  $dir already trained"; return 0; fi
  $PY tools/train.py "$cfg" --work-dir "$dir" --cfg-options "$@"
  touch "$dir/.finished"
}
final_checkpoint() {
  # At demo scale word accuracy is 0 at every validation, so "best" (by accuracy, first on
  # ties) would pick the earliest checkpoint: test the final one.
  cat "$WORK_DIR/$1/last_checkpoint"
}

test_run() {  # test_run WORK_SUBDIR CONFIG: the final checkpoint on the test fonts
  local dir="$WORK_DIR/$1" cfg="$2"
  $PY tools/test.py "$cfg" "$(final_checkpoint "$1")" --work-dir "$dir" \
    --cfg-options $(data_opts test) 2>&1 | grep -E "Iter\(test\).*recog" || true
}

stage "1/5 generating the demo corpus in $DATA_ROOT"
$PY tools/data/generate_demo_corpus.py --out-dir "$DATA_ROOT" --seed 0 --num-train 6000

stage "2/5 SeqCLR pretraining (window-to-instance) on the unlabelled pool"
PRETRAIN_CFG=configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_400it_demo-handwriting.py
train_once pretrain "$PRETRAIN_CFG" $(data_opts train val)
PRETRAINED="$(cat "$WORK_DIR/pretrain/last_checkpoint")"
$PY tools/model_converters/export_encoder.py "$PRETRAINED" "$WORK_DIR/pretrain/encoder.pth"

stage "3/5 decoder evaluation (frozen encoder + CTC decoder)"
DE_CFG=configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_300it_demo-handwriting.py
train_once seqclr-window_decoder_eval_ctc_1.0_demo-hw "$DE_CFG" \
  load_from="$WORK_DIR/pretrain/encoder.pth" $(data_opts train val test)
train_once random-init_decoder_eval_ctc_1.0_demo-hw "$DE_CFG" \
  'custom_hooks=[]' $(data_opts train val test)

stage "4/5 fine-tuning on 5% and 10% of the labels vs the supervised baseline"
for pct in 5 10; do
  FT_CFG=configs/finetune/finetune_ctc_small-resnet-bilstm_500it_demo-handwriting-${pct}pct.py
  SUP_CFG=configs/supervised/supervised_ctc_small-resnet-bilstm_500it_demo-handwriting-${pct}pct.py
  train_once seqclr-window_finetune_ctc_${pct}pct_demo-hw "$FT_CFG" \
    load_from="$WORK_DIR/pretrain/encoder.pth" $(fraction_data_opts)
  train_once supervised_finetune_ctc_${pct}pct_demo-hw "$SUP_CFG" $(fraction_data_opts)
done

stage "5/5 testing every run on the test fonts, tables and pictures"
test_run seqclr-window_decoder_eval_ctc_1.0_demo-hw "$DE_CFG"
test_run random-init_decoder_eval_ctc_1.0_demo-hw "$DE_CFG"
for pct in 5 10; do
  test_run seqclr-window_finetune_ctc_${pct}pct_demo-hw \
    configs/finetune/finetune_ctc_small-resnet-bilstm_500it_demo-handwriting-${pct}pct.py
  test_run supervised_finetune_ctc_${pct}pct_demo-hw \
    configs/supervised/supervised_ctc_small-resnet-bilstm_500it_demo-handwriting-${pct}pct.py
done
$PY tools/visualization/prediction_sheet.py \
  configs/finetune/finetune_ctc_small-resnet-bilstm_500it_demo-handwriting-10pct.py \
  "$(final_checkpoint seqclr-window_finetune_ctc_10pct_demo-hw)" \
  --out "$WORK_DIR/prediction_sheet.png" --cfg-options $(data_opts test)
$PY tools/analysis_tools/collect_results.py "$WORK_DIR/*_demo-hw" --out-dir "$WORK_DIR" \
  --method-order supervised,random-init,seqclr-window
stage "done: $WORK_DIR/results.md, $WORK_DIR/accuracy_vs_label_fraction.png," \
  "$WORK_DIR/prediction_sheet.png, $DATA_ROOT/sample_sheet.png"
