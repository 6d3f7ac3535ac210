# Shell functions shared by tools/run_demo.sh and tools/run_full_replica.sh (sourced, not run).
# They expect ROOT-relative paths (the scripts cd to the repository root) and these variables:
#   PY        the venv's python
#   WORK_DIR  where the runs go (each run in $WORK_DIR/<name>, lane logs in $WORK_DIR/logs)
#   DATA_ROOT the demo corpus

start=$(date +%s)
stage() { echo; echo "[demo $(( $(date +%s) - start ))s] $*"; }

# The demo's runs, each a config that carries its recipe (rate, warm-up, schedule, label fraction).
PRETRAIN_CFG=configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py

iters_of() {  # iters_of CONFIG: its iterations, from its name (..._1200it_...)
  basename "$1" | sed -E 's/.*_([0-9]+)it_.*/\1/'
}

# The corpus's labelled and unlabelled sizes: one default for the demo and --full, which
# share the corpus folder (a different size regenerates it).
NUM_TRAIN="${NUM_TRAIN:-20000}"
NUM_UNLABELED="${NUM_UNLABELED:-20000}"
# NUM_VAL and NUM_TEST, where set, size the val and test hands' splits (the generator's
# defaults otherwise); the test suite's toy runs keep them small.
generate_corpus() {  # generate_corpus NUM_TRAIN NUM_UNLABELED: the demo corpus in $DATA_ROOT
  $PY tools/data/generate_demo_corpus.py --out-dir "$DATA_ROOT" --seed 0 --num-train "$1" \
    --num-unlabeled "$2" ${NUM_VAL:+--num-val "$NUM_VAL"} ${NUM_TEST:+--num-test "$NUM_TEST"} \
    > "$WORK_DIR/logs/corpus.log" 2>&1 \
    || { tail -n 20 "$WORK_DIR/logs/corpus.log" >&2; return 1; }
  grep -v "task/s" "$WORK_DIR/logs/corpus.log" | tail -n 6
}

require_whole_numbers() {  # require_whole_numbers NAME...: each setting one or more whole numbers
  local name words
  for name in "$@"; do
    read -ra words <<< "${!name}"  # a list (FRACTIONS, SEEDS) word by word, never globbed
    if [ ${#words[@]} -eq 0 ] || ! [[ "${words[*]}" =~ ^[0-9]+( [0-9]+)*$ ]]; then
      echo "[demo] $name must hold whole numbers only, not '${!name}'" >&2
      exit 2
    fi
  done
}

fraction_of() { awk "BEGIN{print $1/100}"; }  # fraction_of PCT: the label fraction, 5 -> 0.05

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
  $PY tools/train.py "$cfg" --work-dir "$dir" --cfg-options "$@" || return 1
  touch "$dir/.finished"
}

export_encoder() {  # export_encoder WORK_SUBDIR: its last checkpoint's encoder, written atomically
  local encoder="$WORK_DIR/$1/encoder.pth"
  $PY tools/model_converters/export_encoder.py "$(cat "$WORK_DIR/$1/last_checkpoint")" \
    "$encoder.tmp" && mv "$encoder.tmp" "$encoder"
}

wait_for_file() {  # wait_for_file FILE FAILURE_FLAG: until FILE exists; fails once the flag does
  until [ -f "$1" ]; do
    [ -f "$2" ] && { echo "waited for $1, but its run failed ($2)" >&2; return 1; }
    sleep 1
  done
}

best_checkpoint() {  # the best validation checkpoint (val CER), else the last one
  local best
  best="$(ls "$WORK_DIR/$1"/best_*.pth 2>/dev/null | head -n 1 || true)"
  if [ -n "$best" ]; then echo "$best"; else cat "$WORK_DIR/$1/last_checkpoint"; fi
}

schedule_opts() {  # schedule_opts ITERS [VAL_INTERVAL]: a config's schedule cut to ITERS (toy runs),
  # lr x0.1 at 60% and 80% as in every config; the config's val interval unless given
  printf '%s ' "train_cfg.max_iters=$1" "param_scheduler.0.milestones=[$(($1 * 6 / 10)),$(($1 * 8 / 10))]"
  [ $# -lt 2 ] || printf '%s ' "train_cfg.val_interval=$2"
}

test_run() {  # test_run WORK_SUBDIR CONFIG [cfg-options...]: the best checkpoint on the test hands
  local name="$1" cfg="$2"
  local dir="$WORK_DIR/$name" log="$WORK_DIR/logs/test_$name.log"
  shift 2
  if ! $PY tools/test.py "$cfg" "$(best_checkpoint "$name")" --work-dir "$dir" \
      --cfg-options $(data_opts test) "$@" > "$log" 2>&1; then
    echo "  testing $dir failed; the end of $log:" >&2
    tail -n 15 "$log" >&2
    return 1
  fi
  grep -E "Iter\(test\).*recog" "$log" || true
}

projection() {  # projection LOG_LINE: for an MMEngine training log line (Iter(train) [N/M] ...
  # time: S ...), " | projected: about T min for this run at S s/it, L min left"; else nothing
  local cur total secs
  [[ "$1" =~ Iter\(train\)\ \[\ *([0-9]+)/([0-9]+)\] ]] || return 0
  cur="${BASH_REMATCH[1]}" total="${BASH_REMATCH[2]}"
  [[ "$1" =~ (^|[^_])time:\ ([0-9.]+) ]] || return 0  # the step time, not data_time
  secs="${BASH_REMATCH[2]}"
  awk -v cur="$cur" -v total="$total" -v secs="$secs" 'BEGIN {
    printf " | projected: about %d min for this run at %.2f s/it, %d min left\n",
      total * secs / 60 + 0.5, secs, (total - cur) * secs / 60 + 0.5 }'
}

run_lanes() {  # run_lanes NAME FUNCTION [NAME FUNCTION ...]: in parallel, with progress
  local names=() pids=() logs=() status=0
  while [ $# -gt 0 ]; do
    names+=("$1"); logs+=("$WORK_DIR/logs/$1.log")
    ( "$2" ) > "$WORK_DIR/logs/$1.log" 2>&1 &
    pids+=($!); shift 2
  done
  echo "  lanes: ${names[*]} (logs in $WORK_DIR/logs/)"
  local waited=0
  while :; do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    # Checked every second, so that the script goes on as soon as the lanes end; progress
    # every 30 seconds.
    sleep 1
    waited=$((waited + 1))
    [ $((waited % 30)) -eq 0 ] || continue
    for i in "${!names[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null || continue
      local line
      line="$(grep -aE "Iter\((train|val)\)|Checkpoints will be saved to|^\[job\]" "${logs[$i]}" \
              | tail -n 1 | sed -E 's/^.* - mmengine - INFO - //' || true)"  # '' until the run logs
      echo "  [${names[$i]}] $(printf '%s' "${line:-starting}" | cut -c1-110)$(projection "$line")"
    done
  done
  for i in "${!names[@]}"; do
    if ! wait "${pids[$i]}"; then
      echo "[demo] lane ${names[$i]} failed; the end of ${logs[$i]}:" >&2
      tail -n 30 "${logs[$i]}" >&2
      status=1
    fi
  done
  return $status
}
