#!/usr/bin/env bash
# `tools/run_demo.sh --full`: the paper's Tables 1 and 2 at CPU scale on the demo corpus,
# with seeds, two training runs at a time (one per core, one thread each).
#   Table 2: SeqCLR window-to-instance fine-tuning against supervised training from random
#            initialisation, CTC, on FRACTIONS of the labels, each over SEEDS (seed S: label
#            subset S and training seed S, the same subset for both methods).
#   Table 1: decoder evaluation (frozen encoder, CTC head) of a random encoder, SimCLR,
#            SimCLR-contextual and SeqCLR all-, frame- and window-to-instance.
# Then tools/test.py on the test hands for every run (best val checkpoint by CER), validation
# curves, and results.md with mean ± std over seeds (tools/analysis_tools/collect_results.py).
# Settings (environment): TABLES ("1 2"), FRACTIONS ("5 10 100"), SEEDS ("0 1 2"),
# PRETRAIN_ITERS (300), TRAIN_ITERS (2000), DE_ITERS (800), SUPERVISED_LR and FINETUNE_LR
# (3e-3 each, Adam), FINETUNE_WARMUP (1), FINETUNE_PRETRAIN (bs128), FINETUNE_PRETRAIN_ITERS
# (1000), NUM_TRAIN, NUM_UNLABELED (20000 each), WORK_DIR (work_dirs/full), DATA_ROOT
# (data/demo_handwriting).
# Jobs are taken in order from one queue by two lanes; a job that needs an encoder waits for
# its pretraining. Re-running skips finished runs.
# The defaults took 77 min on the 2-core machine on 2026-12-06 with the 186-hand corpus already
# generated (85 min on the 20-hand corpus, generated in the run; README), with the demo-size
# configs' backbone in channels_last (ChannelsLastHook); before that hook, 3 h 22 min.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

WORK_DIR="${WORK_DIR:-work_dirs/full}"
DATA_ROOT="${DATA_ROOT:-data/demo_handwriting}"
TABLES="${TABLES:-1 2}"
FRACTIONS="${FRACTIONS:-5 10 100}"
SEEDS="${SEEDS:-0 1 2}"
PRETRAIN_ITERS="${PRETRAIN_ITERS:-300}"
TRAIN_ITERS="${TRAIN_ITERS:-2000}"
DE_ITERS="${DE_ITERS:-800}"
# Each method's Adam rate, as picked by the same search for both (README, "The same
# learning-rate search for both methods": 3e-3 for both on the 4,000- and 1,000-iteration
# schedules), where the configs have 1e-3.
SUPERVISED_LR="${SUPERVISED_LR:-3e-3}"
FINETUNE_LR="${FINETUNE_LR:-3e-3}"
# SeqCLR fine-tuning with a linear warm-up of the rate over its first 100 iterations (0: the
# config without it). On this schedule the warm-up lowered SeqCLR's mean val CER at 5%, 10%
# and 100% and raised supervised training's, so each method runs its pick (README, "Tables
# 1 and 2 with seeds").
FINETUNE_WARMUP="${FINETUNE_WARMUP:-1}"
# Table 2's SeqCLR window encoder. bs128: pretrained apart from Table 1's, 128 unlabelled images
# a batch for FINETUNE_PRETRAIN_ITERS iterations (lr x0.1 at 60% and 80%), the pretraining that
# fine-tuned best on the val hands (README, "A harder pretext task"); demo: Table 1's window
# encoder (PRETRAIN_ITERS of 64), as the replica was until 2026-12-06.
FINETUNE_PRETRAIN="${FINETUNE_PRETRAIN:-bs128}"
FINETUNE_PRETRAIN_ITERS="${FINETUNE_PRETRAIN_ITERS:-1000}"
case "$FINETUNE_PRETRAIN" in
  bs128) FINETUNE_ENCODER=seqclr-window-bs128 ;;
  demo) FINETUNE_ENCODER=seqclr-window ;;
  *) echo "FINETUNE_PRETRAIN must be bs128 or demo, not '$FINETUNE_PRETRAIN'" >&2; exit 2 ;;
esac
PY=.venv/bin/python
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::UserWarning" OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$WORK_DIR/logs"
source tools/demo_common.sh
require_whole_numbers TABLES FRACTIONS SEEDS PRETRAIN_ITERS TRAIN_ITERS DE_ITERS \
  FINETUNE_PRETRAIN_ITERS NUM_TRAIN NUM_UNLABELED

DE_CFG=configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py
pretrain_cfg() {  # the demo pretraining config of a method
  case "$1" in
    seqclr-window) echo "$PRETRAIN_CFG" ;;
    seqclr-window-bs128) echo configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_bs128_1000it_demo-handwriting.py ;;
    seqclr-all) echo configs/seqclr/seqclr_all-bilstm_small-resnet-bilstm_500it_demo-handwriting.py ;;
    seqclr-frame) echo configs/seqclr/seqclr_frame-bilstm_small-resnet-bilstm_500it_demo-handwriting.py ;;
    simclr) echo configs/seqclr/simclr_mean-mlp_small-resnet_400it_demo-handwriting.py ;;
    simclr-contextual) echo configs/seqclr/simclr-contextual_mean-mlp_small-resnet-bilstm_400it_demo-handwriting.py ;;
    *) echo "unknown pretraining method $1" >&2; return 1 ;;
  esac
}
encoder_of() { echo "$WORK_DIR/pretrain_$1/encoder.pth"; }
failed_flag() { echo "$WORK_DIR/logs/.pretrain_$1_failed"; }
de_model_opts() {  # the decoder-evaluation model of a method, where it differs from DE_CFG's
  # SimCLR's R = V: its encoder has no BiLSTM, and the CTC head reads the frames V
  [ "$1" = simclr ] && printf '%s ' model.encoder=None model.decoder.in_features=V
  return 0
}
fraction_opts() {  # fraction_opts PCT SEED: the label subset and the training seed
  printf '%s ' "train_dataloader.dataset.fraction=$(fraction_of "$1")" \
    "train_dataloader.dataset.seed=$2" "randomness.seed=$2"
}

# --- The queue ------------------------------------------------------------------------------------
JOBS=()
TABLE1_PRETRAININGS=(seqclr-window seqclr-all seqclr-frame simclr simclr-contextual)
PRETRAININGS=()
case " $TABLES " in *" 2 "*) PRETRAININGS+=("$FINETUNE_ENCODER") ;; esac
case " $TABLES " in
  *" 1 "*) for m in "${TABLE1_PRETRAININGS[@]}"; do
             case " ${PRETRAININGS[*]} " in *" $m "*) ;; *) PRETRAININGS+=("$m") ;; esac
           done ;;
esac
# Pretrainings first, the longest (Table 2's) first; what waits for an encoder is queued after
# what does not, and fine-tuning, which waits for the longest, last.
for m in "${PRETRAININGS[@]}"; do JOBS+=("pretrain $m"); done
case " $TABLES " in
  *" 2 "*) for pct in $FRACTIONS; do for seed in $SEEDS; do JOBS+=("supervised $pct $seed"); done; done ;;
esac
case " $TABLES " in
  *" 1 "*) JOBS+=("decoder_eval random-init")
           for m in "${TABLE1_PRETRAININGS[@]}"; do JOBS+=("decoder_eval $m"); done ;;
esac
case " $TABLES " in
  *" 2 "*) for pct in $FRACTIONS; do for seed in $SEEDS; do JOBS+=("finetune $pct $seed"); done; done ;;
esac

run_job() {  # run_job KIND ARGS...: one training run
  case "$1" in
    pretrain)  # seeded; validated twice, Table 2's four times (as its config), at most every iteration
      local iters="$PRETRAIN_ITERS" validations=2
      [ "$2" = seqclr-window-bs128 ] && { iters="$FINETUNE_PRETRAIN_ITERS"; validations=4; }
      local interval=$((iters / validations > 0 ? iters / validations : 1))
      train_once "pretrain_$2" "$(pretrain_cfg "$2")" $(data_opts train val) randomness.seed=0 \
        $(schedule_opts "$iters" "$interval") && export_encoder "pretrain_$2" \
        || { touch "$(failed_flag "$2")"; return 1; } ;;
    supervised)
      train_once "supervised_$2pct_seed$3" "$(sup_cfg 10)" $(fraction_data_opts) \
        $(fraction_opts "$2" "$3") $(schedule_opts "$TRAIN_ITERS" 200) \
        optim_wrapper.optimizer.lr="$SUPERVISED_LR" ;;
    finetune)
      wait_for_file "$(encoder_of "$FINETUNE_ENCODER")" "$(failed_flag "$FINETUNE_ENCODER")" || return 1
      train_once "seqclr-window_finetune_$2pct_seed$3" "$(seqclr_ft_cfg 10)" \
        load_from="$(encoder_of "$FINETUNE_ENCODER")" $(fraction_data_opts) \
        $(fraction_opts "$2" "$3") $(schedule_opts "$TRAIN_ITERS" 200) \
        optim_wrapper.optimizer.lr="$FINETUNE_LR" ;;
    decoder_eval)
      local load=()
      case "$2" in
        # nothing to load, so nothing for the encoder check hook to check
        random-init) load=('custom_hooks=[]') ;;
        *) load=($(de_model_opts "$2")) ;;
      esac
      if [ "$2" != random-init ]; then
        wait_for_file "$(encoder_of "$2")" "$(failed_flag "$2")" || return 1
        load+=(load_from="$(encoder_of "$2")")
      fi
      train_once "decoder-eval_$2" "$DE_CFG" "${load[@]}" $(data_opts train val test) \
        $(schedule_opts "$DE_ITERS" 200) ;;
  esac
}

NEXT_JOB="$WORK_DIR/logs/.next_job"
echo 0 > "$NEXT_JOB"
lane() {  # take the next job of the queue until none is left
  local index
  while :; do
    index="$(flock "$NEXT_JOB.lock" sh -c "i=\$(cat '$NEXT_JOB'); echo \$((i + 1)) > '$NEXT_JOB'; echo \$i")"
    [ "$index" -ge "${#JOBS[@]}" ] && return 0
    echo "[job] $((index + 1))/${#JOBS[@]}: ${JOBS[$index]}"
    run_job ${JOBS[$index]} || { echo "[job] failed: ${JOBS[$index]}" >&2; return 1; }
  done
}

stage "1/3 the demo corpus in $DATA_ROOT"
generate_corpus "$NUM_TRAIN" "$NUM_UNLABELED"

stage "2/3 ${#JOBS[@]} training runs, two at a time (tables $TABLES; fractions $FRACTIONS;" \
  "seeds $SEEDS; $PRETRAIN_ITERS pretraining, $TRAIN_ITERS fine-tuning, $DE_ITERS decoder" \
  "evaluation iterations; Table 2's encoder: $FINETUNE_ENCODER)"
rm -f "$WORK_DIR"/logs/.pretrain_*_failed
run_lanes lane1 lane lane2 lane

stage "3/3 testing every run on the test hands, tables and curves"
untested=()
for dir in "$WORK_DIR"/supervised_* "$WORK_DIR"/seqclr-window_finetune_* "$WORK_DIR"/decoder-eval_*; do
  [ -d "$dir" ] || continue
  name="$(basename "$dir")"
  opts=()
  case "$name" in
    decoder-eval_*) cfg="$DE_CFG"; opts=($(de_model_opts "${name#decoder-eval_}")) ;;
    supervised_*) cfg="$(sup_cfg 10)" ;;
    *) cfg="$(seqclr_ft_cfg 10)" ;;
  esac
  echo "  $name"
  test_run "$name" "$cfg" "${opts[@]}" || untested+=("$name")
done
curves=() labels=()
for dir in "$WORK_DIR"/supervised_*_seed* "$WORK_DIR"/seqclr-window_finetune_*_seed*; do
  # one label per setting: the seeds of a setting are drawn as its mean and spread
  [ -d "$dir" ] && { curves+=("$dir"); labels+=("$(basename "$dir" | sed 's/_finetune//; s/_seed[0-9]*$//')"); }
done
if [ ${#curves[@]} -gt 0 ]; then
  $PY tools/visualization/plot_curves.py "${curves[@]}" --labels "${labels[@]}" \
    --keys loss 'DemoHW/recog/cer' 'DemoHW/recog/word_acc' --out "$WORK_DIR/val_curves.png"
fi
$PY tools/analysis_tools/collect_results.py "$WORK_DIR/supervised_*" \
  "$WORK_DIR/seqclr-window_finetune_*" "$WORK_DIR/decoder-eval_*" --out-dir "$WORK_DIR" \
  --method-order random-init,supervised,simclr,simclr-contextual,seqclr-all,seqclr-frame,seqclr-window
if [ ${#untested[@]} -gt 0 ]; then
  echo "[demo] testing failed for: ${untested[*]} (results.md shows their best validation" \
    "step instead; logs in $WORK_DIR/logs/test_*.log)" >&2
  exit 1
fi
stage "done: $WORK_DIR/results.md, $WORK_DIR/val_curves.png," \
  "$WORK_DIR/accuracy_vs_label_fraction.png"
