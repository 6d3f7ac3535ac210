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
# Every run's recipe is its config's (below); the script passes the data root, the label
# fraction, the label-subset seed and the training seed.
# Settings (environment): TABLES ("1 2"), FRACTIONS ("5 10 100"), SEEDS ("0 1 2"),
# FINETUNE_WARMUP (1: SeqCLR fine-tunes with the config whose rate warms up over 100
# iterations; 0: the one without), FINETUNE_PRETRAIN (bs128: Table 2 fine-tunes an encoder
# pretrained apart, 128 images a batch; demo: Table 1's window encoder), NUM_TRAIN,
# NUM_UNLABELED (20000 each), WORK_DIR (work_dirs/full), DATA_ROOT (data/demo_handwriting).
# Overrides of the configs' schedules, passed only when set (lr x0.1 at 60% and 80%):
# PRETRAIN_ITERS (Table 1's pretrainings), FINETUNE_PRETRAIN_ITERS (Table 2's encoder),
# TRAIN_ITERS (Table 2's runs), DE_ITERS (decoder evaluation).
# Jobs are taken in order from one queue by two lanes; a job that needs an encoder waits for
# its pretraining. Re-running skips finished runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh

WORK_DIR="${WORK_DIR:-work_dirs/full}"
DATA_ROOT="${DATA_ROOT:-data/demo_handwriting}"
TABLES="${TABLES:-1 2}"
FRACTIONS="${FRACTIONS:-5 10 100}"
SEEDS="${SEEDS:-0 1 2}"
FINETUNE_WARMUP="${FINETUNE_WARMUP:-1}"
FINETUNE_PRETRAIN="${FINETUNE_PRETRAIN:-bs128}"
case "$FINETUNE_PRETRAIN" in
  bs128) FINETUNE_ENCODER=seqclr-window-bs128 ;;
  demo) FINETUNE_ENCODER=seqclr-window ;;
  *) echo "FINETUNE_PRETRAIN must be bs128 or demo, not '$FINETUNE_PRETRAIN'" >&2; exit 2 ;;
esac
PY=.venv/bin/python
export MPLBACKEND=Agg PYTHONWARNINGS="ignore::UserWarning" OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$WORK_DIR/logs"
source tools/demo_common.sh
require_whole_numbers TABLES FRACTIONS SEEDS NUM_TRAIN NUM_UNLABELED
for setting in PRETRAIN_ITERS FINETUNE_PRETRAIN_ITERS TRAIN_ITERS DE_ITERS; do
  [ -z "${!setting:-}" ] || require_whole_numbers "$setting"
done

# The replica's recipes (docs/experiments/full_replica.md). Table 2: 2,000 iterations at the
# Adam rate the seeded search picked for each method (3e-3), SeqCLR fine-tuning with a
# 100-iteration warm-up (FINETUNE_WARMUP); the label fraction and seeds are set per run.
SUPERVISED_CFG=configs/supervised/supervised_ctc_small-resnet-bilstm_lr3e-3_2000it_demo-handwriting-10pct.py
if [ "$FINETUNE_WARMUP" = 1 ]; then
  FINETUNE_CFG=configs/finetune/finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_2000it_demo-handwriting-10pct.py
else
  FINETUNE_CFG=configs/finetune/finetune_ctc_small-resnet-bilstm_lr3e-3_2000it_demo-handwriting-10pct.py
fi
# Table 1: each encoder pretrained 300 iterations of 64 unlabelled images, then decoder
# evaluation for 800 iterations.
DE_CFG=configs/decoder_eval/decoder-eval_ctc_small-resnet-bilstm_800it_demo-handwriting.py
pretrain_cfg() {  # the pretraining config of a method
  case "$1" in
    seqclr-window) echo configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_300it_demo-handwriting.py ;;
    # Table 2's encoder: 128 unlabelled images a batch for 1,000 iterations, the pretraining
    # that fine-tuned best on the val hands (docs/experiments/harder_pretext_task.md)
    seqclr-window-bs128) echo configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_bs128_1000it_demo-handwriting.py ;;
    seqclr-all) echo configs/seqclr/seqclr_all-bilstm_small-resnet-bilstm_300it_demo-handwriting.py ;;
    seqclr-frame) echo configs/seqclr/seqclr_frame-bilstm_small-resnet-bilstm_300it_demo-handwriting.py ;;
    simclr) echo configs/seqclr/simclr_mean-mlp_small-resnet_300it_demo-handwriting.py ;;
    simclr-contextual) echo configs/seqclr/simclr-contextual_mean-mlp_small-resnet-bilstm_300it_demo-handwriting.py ;;
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
cut_opts() {  # cut_opts ITERS VALIDATIONS: a config's schedule cut to ITERS, if set
  [ -z "$1" ] || schedule_opts "$1" "$(($1 / $2 > 0 ? $1 / $2 : 1))"
}
iters_opts() {  # iters_opts ITERS: a config's schedule cut to ITERS, if set (its val interval)
  [ -z "$1" ] || schedule_opts "$1"
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
    pretrain)  # seeded; a cut schedule validated twice, Table 2's four times (as their configs)
      local cut
      if [ "$2" = seqclr-window-bs128 ]; then
        cut=$(cut_opts "${FINETUNE_PRETRAIN_ITERS:-}" 4)
      else
        cut=$(cut_opts "${PRETRAIN_ITERS:-}" 2)
      fi
      train_once "pretrain_$2" "$(pretrain_cfg "$2")" $(data_opts train val) randomness.seed=0 \
        $cut && export_encoder "pretrain_$2" || { touch "$(failed_flag "$2")"; return 1; } ;;
    supervised)
      train_once "supervised_$2pct_seed$3" "$SUPERVISED_CFG" $(fraction_data_opts) \
        $(fraction_opts "$2" "$3") $(iters_opts "${TRAIN_ITERS:-}") ;;
    finetune)
      wait_for_file "$(encoder_of "$FINETUNE_ENCODER")" "$(failed_flag "$FINETUNE_ENCODER")" || return 1
      train_once "seqclr-window_finetune_$2pct_seed$3" "$FINETUNE_CFG" \
        load_from="$(encoder_of "$FINETUNE_ENCODER")" $(fraction_data_opts) \
        $(fraction_opts "$2" "$3") $(iters_opts "${TRAIN_ITERS:-}") ;;
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
        $(iters_opts "${DE_ITERS:-}") ;;
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
  "seeds $SEEDS; ${PRETRAIN_ITERS:-$(iters_of "$(pretrain_cfg seqclr-window)")} pretraining," \
  "${TRAIN_ITERS:-$(iters_of "$FINETUNE_CFG")} fine-tuning," \
  "${DE_ITERS:-$(iters_of "$DE_CFG")} decoder evaluation iterations; Table 2's encoder:" \
  "$FINETUNE_ENCODER)"
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
    supervised_*) cfg="$SUPERVISED_CFG" ;;
    *) cfg="$FINETUNE_CFG" ;;
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
