#!/usr/bin/env bash
# The README's main job: set up .venv (idempotent), generate the embedded handwriting-style
# corpus, then run SeqCLR end to end on CPU, two training runs at a time (one per core):
#   1. generate the corpus (train/val/test by disjoint hands + an unlabelled pool)
#   2. two lanes in parallel, each run on one thread:
#      seqclr:  SeqCLR pretraining (window-to-instance) on the unlabelled pool, then SeqCLR
#               fine-tuning on all the labels (the demo's best recognizer)
#      5-10pct: supervised training on 5% and 10% of the labels, then SeqCLR fine-tuning on
#               the same 10% and 5% once the seqclr lane has exported its encoder
#   3. tools/test.py on the test hands for every run (best validation checkpoint by CER),
#      the results table, the plot and sheets of test images with their predictions
# Every run's recipe is its config's (below: rate, warm-up, schedule, label fraction); the
# script passes the data root and the training seed (SEED, default 0) only. For toy runs,
# PRETRAIN_ITERS, TRAIN_ITERS (the 5% and 10% runs) and ALL_LABELS_ITERS cut the configs'
# schedules when set (learning rate x0.1 at 60% and 80%, as in the configs); ALL_LABELS_ITERS=0
# leaves the all-labels run out. Decoder evaluation (Table 1) is in --full only.
# NUM_TRAIN and NUM_UNLABELED (20000 each) size the corpus's labelled and unlabelled pools.
# Outputs go to $WORK_DIR (default work_dirs/demo), each lane's log to $WORK_DIR/logs/; the
# progress lines project each run's time from its logged step time.
# Re-running skips finished runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Tables 1 and 2 with seeds: a script of its own.
if [ "${1:-}" = --full ]; then exec bash tools/run_full_replica.sh; fi
bash tools/setup_env.sh

WORK_DIR="${WORK_DIR:-work_dirs/demo}"
DATA_ROOT="${DATA_ROOT:-data/demo_handwriting}"
PY=.venv/bin/python
# One compute thread per run, two runs at a time: one run per core.
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::UserWarning" OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$WORK_DIR/logs"
source tools/demo_common.sh

# The demo's recipes (docs/experiments/demo.md): supervised training and SeqCLR fine-tuning at the
# Adam rate the seeded search picked for each (3e-3), fine-tuning with a 100-iteration warm-up,
# 1,200 iterations on 5% and 10% of the labels; the best recognizer, SeqCLR fine-tuning on all
# the labels, for 4,000 iterations, validated every 250.
sup_cfg() { echo "configs/supervised/supervised_ctc_small-resnet-bilstm_lr3e-3_1200it_demo-handwriting-$1pct.py"; }
ft_cfg() { echo "configs/finetune/finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_1200it_demo-handwriting-$1pct.py"; }
ALL_LABELS_CFG=configs/finetune/finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_4000it_demo-handwriting-100pct.py

# Overrides for toy runs, passed only when set.
PRETRAIN_ITERS="${PRETRAIN_ITERS:-}"
TRAIN_ITERS="${TRAIN_ITERS:-}"
ALL_LABELS_ITERS="${ALL_LABELS_ITERS:-}"
# One training seed for every run (the configs leave it unset), so that the demo repeats.
SEED="${SEED:-0}"
ENCODER="$WORK_DIR/pretrain/encoder.pth"
PRETRAIN_FAILED="$WORK_DIR/logs/.pretrain_failed"  # tells the 5-10pct lane to stop waiting
for setting in PRETRAIN_ITERS TRAIN_ITERS ALL_LABELS_ITERS; do
  [ -z "${!setting}" ] || require_whole_numbers "$setting"
done
require_whole_numbers SEED NUM_TRAIN NUM_UNLABELED
ALL_LABELS_RUN="seqclr-window_finetune_ctc_100pct_${ALL_LABELS_ITERS:-$(iters_of "$ALL_LABELS_CFG")}it_demo-hw"

pretrain_opts() {  # the pretraining's seed, and its cut schedule if set (validated twice)
  printf '%s ' randomness.seed="$SEED"
  [ -z "$PRETRAIN_ITERS" ] || schedule_opts "$PRETRAIN_ITERS" "$((PRETRAIN_ITERS / 2))"
}
train_opts() {  # a 5% or 10% run's seed, and its cut schedule if set
  printf '%s ' randomness.seed="$SEED"
  [ -z "$TRAIN_ITERS" ] || schedule_opts "$TRAIN_ITERS"
}
all_labels_opts() {  # the all-labels run's seed, and its cut schedule if set (validated 16 times)
  printf '%s ' randomness.seed="$SEED"
  [ -z "$ALL_LABELS_ITERS" ] \
    || schedule_opts "$ALL_LABELS_ITERS" "$((ALL_LABELS_ITERS / 16 > 0 ? ALL_LABELS_ITERS / 16 : 1))"
}
lane_seqclr() {  # pretraining, then fine-tuning from its encoder on all the labels
  # Each step ends the lane on failure: set -e does not hold inside a function run by ||.
  { train_once pretrain "$PRETRAIN_CFG" $(data_opts train val) $(pretrain_opts) \
    && export_encoder pretrain; } || { touch "$PRETRAIN_FAILED"; return 1; }
  if [ "${ALL_LABELS_ITERS:-1}" -gt 0 ]; then
    train_once "$ALL_LABELS_RUN" "$ALL_LABELS_CFG" load_from="$ENCODER" $(fraction_data_opts) \
      $(all_labels_opts)
  fi
}
lane_fractions() {  # supervised on 5% and 10%, then SeqCLR fine-tuning on them (same subsets)
  for pct in 5 10; do
    train_once supervised_finetune_ctc_${pct}pct_demo-hw "$(sup_cfg $pct)" \
      $(fraction_data_opts) $(train_opts) || return 1
  done
  wait_for_file "$ENCODER" "$PRETRAIN_FAILED" || return 1
  for pct in 10 5; do
    train_once seqclr-window_finetune_ctc_${pct}pct_demo-hw "$(ft_cfg $pct)" \
      load_from="$ENCODER" $(fraction_data_opts) $(train_opts) || return 1
  done
}

stage "1/3 generating the demo corpus in $DATA_ROOT"
generate_corpus "$NUM_TRAIN" "$NUM_UNLABELED"

stage "2/3 two lanes, one per core: SeqCLR pretraining" \
  "(${PRETRAIN_ITERS:-$(iters_of "$PRETRAIN_CFG")} it), fine-tuning on all labels" \
  "(${ALL_LABELS_ITERS:-$(iters_of "$ALL_LABELS_CFG")} it) | supervised on 5% and 10%, SeqCLR" \
  "fine-tuning on 10% and 5% (${TRAIN_ITERS:-$(iters_of "$(ft_cfg 10)")} it each)"
rm -f "$PRETRAIN_FAILED"
run_lanes seqclr lane_seqclr 5-10pct lane_fractions

stage "3/3 testing every run on the test hands, tables and pictures"
for pct in 5 10; do
  test_run seqclr-window_finetune_ctc_${pct}pct_demo-hw "$(ft_cfg $pct)"
done
for pct in 5 10; do
  test_run supervised_finetune_ctc_${pct}pct_demo-hw "$(sup_cfg $pct)"
done
curve_runs=("$WORK_DIR"/{supervised,seqclr-window}_finetune_ctc_{5,10}pct_demo-hw)
curve_labels=("supervised 5%" "supervised 10%" "SeqCLR 5%" "SeqCLR 10%")
if [ "${ALL_LABELS_ITERS:-1}" -gt 0 ]; then
  test_run "$ALL_LABELS_RUN" "$ALL_LABELS_CFG"
  $PY tools/visualization/prediction_sheet.py "$ALL_LABELS_CFG" \
    "$(best_checkpoint "$ALL_LABELS_RUN")" --out "$WORK_DIR/prediction_sheet_100pct.png" \
    --cfg-options $(data_opts test)
  curve_runs+=("$WORK_DIR/$ALL_LABELS_RUN")
  curve_labels+=("SeqCLR 100% (${ALL_LABELS_ITERS:-$(iters_of "$ALL_LABELS_CFG")} it)")
fi
$PY tools/visualization/prediction_sheet.py "$(ft_cfg 10)" \
  "$(best_checkpoint seqclr-window_finetune_ctc_10pct_demo-hw)" \
  --out "$WORK_DIR/prediction_sheet.png" --cfg-options $(data_opts test)
# Validation curves of the compared runs, to see that each had flattened.
$PY tools/visualization/plot_curves.py "${curve_runs[@]}" --labels "${curve_labels[@]}" \
  --keys loss 'DemoHW/recog/cer' 'DemoHW/recog/word_acc' --out "$WORK_DIR/val_curves.png"
$PY tools/analysis_tools/collect_results.py "$WORK_DIR/*_demo-hw" --out-dir "$WORK_DIR" \
  --method-order supervised,seqclr-window
stage "done: $WORK_DIR/results.md, $WORK_DIR/accuracy_vs_label_fraction.png," \
  "$WORK_DIR/val_curves.png, $WORK_DIR/prediction_sheet*.png, $DATA_ROOT/sample_sheet.png"
if [ "${ALL_LABELS_ITERS:-1}" -gt 0 ]; then
  echo "To read your own word images (a folder, files or glob patterns) with the best recognizer:"
  echo "  $PY tools/infer.py $ALL_LABELS_CFG $(best_checkpoint "$ALL_LABELS_RUN") IMAGES"
fi
