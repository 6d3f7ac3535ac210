#!/usr/bin/env bash
# The GPU check in one call: every GPU figure of the README's performance tables, on a lent
# machine that reaches no package registry. Writes $OUT/gpu_check.json (updated after each
# step, so a stopped check keeps what it measured), $OUT/gpu_check.log and
# $OUT/mmcv_build.log.
#
# On the lent machine (device tool: run, carry=['.whl'], timeout_s=600), after
# tools/gpu/fetch_wheels.sh filled .whl/ here:
#   bash tools/gpu/gpu_check.sh
# Here, without a GPU (the test suite runs it):
#   bash tools/gpu/gpu_check.sh --dry-run [--out DIR]
#
# Steps, each with its own time limit, in order of value; a step that the remaining budget
# cannot hold is skipped and recorded as such:
#   env          device, torch and CUDA versions (printed first), compiler, Python.h
#   install      the carried wheels into $SITE (--no-index --no-deps --target); imgaug
#                0.4.0 edited for numpy 2 (tools/gpu/patch_imgaug.py)
#   build_mmcv   mmcv 2.0.1 from the sdist with its CPU ops only, on every core (timed)
#   data         512 word images (tools/gpu/make_word_images.py)
#   mmcv_ops     one paper-encoder iteration on the GPU calls no mmcv op (check_mmcv_ops.py)
#   bench_fp32   augmentation views/s (imgaug on one CPU thread, batched on the GPU) and the
#                paper encoder's iteration split at batch 256
#   bench_amp    the same split under autocast (float16)
#   bench_loss   lean against dense loss, memory and time, 16K and 53K instances
#   train_amp    tools/train.py --amp, 20 iterations at batch 256
#   dist_nccl    tools/dist_train.sh with 1 process (NCCL), 20 iterations
#
# Options:
#   --dry-run    the same steps on this machine's .venv, on the CPU, in tiny sizes; no
#                install and no build (the local mmcv is checked instead)
#   --tiny       tiny sizes only (a rehearsal of the real steps on a machine without GPU);
#                tiny sizes train and benchmark the demo's small encoder
#   --out DIR    where the results go (default: $OUT, set by the device tool; a new
#                temporary folder for --dry-run)
#   --budget S   start no step after S seconds; each step's limit ends by then
#                (default 450 for the real check, 900 for --dry-run); the check then
#                ends within about 10 s
# Exit status: 0 when every step is ok. Environment: PYTHON (default python3, or
# .venv/bin/python for --dry-run), WHEELS (.whl), SITE (/tmp/seqclr_site), WORK
# (/tmp/seqclr_gpu_check).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 2
DRY=0
TINY=0
OUT_DIR="${OUT:-}"
BUDGET=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY=1; TINY=1 ;;
    --tiny) TINY=1 ;;
    --out) OUT_DIR="${2:?--out needs a folder}"; shift ;;
    --budget) BUDGET="${2:?--budget needs seconds}"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "gpu_check.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$DRY" = 1 ]; then
  PY="${PYTHON:-$ROOT/.venv/bin/python}"
  BUDGET="${BUDGET:-900}"
  OUT_DIR="${OUT_DIR:-$(mktemp -d /tmp/gpu_check_dry.XXXXXX)}"
  MODE=dry-run
else
  PY="${PYTHON:-python3}"
  BUDGET="${BUDGET:-450}"
  MODE=real
  [ "$TINY" = 1 ] && MODE=tiny
fi
if [ -z "$OUT_DIR" ]; then
  echo "gpu_check.sh: no --out folder and no \$OUT (the device tool sets it)" >&2
  exit 2
fi
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
WHEELS="${WHEELS:-$ROOT/.whl}"
SITE="${SITE:-/tmp/seqclr_site}"
WORK="${WORK:-/tmp/seqclr_gpu_check}"
[ "$DRY" = 1 ] && WORK="$OUT_DIR/work"
JSON="$OUT_DIR/gpu_check.json"
LOG="$OUT_DIR/gpu_check.log"
START=$(date +%s)
rm -rf "$WORK"
mkdir -p "$WORK"

# Sizes: the README's at full scale; tiny ones keep every code path but take seconds.
# Tiny runs use the demo's small encoder, except for the mmcv ops check (its point is the
# paper's TPS encoder).
if [ "$TINY" = 1 ]; then
  NUM_IMAGES=16; BATCH=2; AUG_VIEWS=8; REPEATS=1; LOSS_SIZES="256"; ITERS=2
  WORKERS=1; OPS_BATCH=1; ENCODER=demo
  TRAIN_CONFIG="$ROOT/tools/gpu/seqclr_pretrain_gpu_check_tiny.py"
else
  NUM_IMAGES=512; BATCH=256; AUG_VIEWS=256; REPEATS=3; LOSS_SIZES="16384 53248"; ITERS=20
  WORKERS=8; OPS_BATCH=8; ENCODER=paper
  TRAIN_CONFIG="$ROOT/tools/gpu/seqclr_pretrain_gpu_check.py"
fi

exec > >(tee -a "$LOG") 2>&1
TEE_PID=$!
# Bytecode is written (the wheels are installed with --no-compile): the first of the
# run's ~10 Python processes compiles the OpenMMLab packages, the others reuse it.
export PYTHONUNBUFFERED=1 MPLBACKEND=Agg
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# torch's extension builder runs ninja from PATH: the one beside this Python, if any.
PATH="$(dirname "$("$PY" -c 'import sys; print(sys.executable)')"):$PATH"
export PATH

elapsed() { echo $(( $(date +%s) - START )); }
say() { printf '[gpu_check %4ss] %s\n' "$(elapsed)" "$*"; }
json() { "$PY" "$ROOT/tools/gpu/gpu_check_json.py" "$JSON" "$@"; }

# run_step NAME CAP NEED CMD...: run CMD under min(CAP, seconds left) if at least NEED
# seconds are left; record status, exit code and seconds in gpu_check.json.
run_step() {
  local name=$1 cap=$2 need=$3
  shift 3
  # The limits are sized for the lent machine; tiny runs happen on CPUs, maybe busy ones.
  [ "$TINY" = 1 ] && cap=$(( cap * 5 ))
  local left=$(( BUDGET - $(elapsed) ))
  if [ "$left" -lt "$need" ]; then
    say "$name: skipped, ${left}s left of the ${BUDGET}s budget (needs ${need}s)"
    json step "$name" skipped -1 0 "${left}s left, needs ${need}s"
    return 1
  fi
  local limit=$(( cap < left ? cap : left ))
  say "$name: start (limit ${limit}s)"
  local t0 t1 rc status
  t0=$(date +%s.%N)
  timeout -k 5 "$limit" "$@"
  rc=$?
  t1=$(date +%s.%N)
  case $rc in
    0) status=ok ;;
    124|137) status=timeout ;;
    *) status=failed ;;
  esac
  local seconds
  seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  say "$name: $status (exit $rc, ${seconds}s)"
  json step "$name" "$status" "$rc" "$seconds"
  return $rc
}

skip_step() {  # skip_step NAME REASON
  say "$1: skipped, $2"
  json step "$1" skipped -1 0 "$2"
}

# ---- steps (each runs in its own bash, under timeout) ------------------------------------
step_install() {
  set -e
  if [ "$DRY" = 1 ]; then
    # The carried wheels are not here: exercise the imgaug edit on a copy of the local one.
    local imgaug_dir
    imgaug_dir="$("$PY" -c 'import imgaug, os; print(os.path.dirname(imgaug.__file__))')"
    cp -r "$imgaug_dir" "$WORK/imgaug"
    "$PY" "$ROOT/tools/gpu/patch_imgaug.py" "$WORK/imgaug"
    return 0
  fi
  ls "$WHEELS"/*.whl >/dev/null
  # --upgrade replaces what the wheels hold and keeps an mmcv built by an earlier call.
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target "$SITE" "$WHEELS"/*.whl
  "$PY" "$ROOT/tools/gpu/patch_imgaug.py" "$SITE/imgaug"
}

step_build_mmcv() {
  set -e
  if [ "$DRY" = 1 ]; then  # the mmcv_ops step imports it
    "$PY" -c 'import importlib.util as u; print("local mmcv ops:", u.find_spec("mmcv._ext").origin)'
    return 0
  fi
  if [ -d "$SITE/mmcv" ] && "$PY" -c 'import mmcv, mmcv.ops' 2>/dev/null; then
    echo "reusing mmcv $("$PY" -c 'import mmcv; print(mmcv.__version__)') built earlier in $SITE"
    return 0
  fi
  local include
  include="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
  if [ ! -f "$include/Python.h" ]; then
    echo "no $include/Python.h: mmcv cannot be built here"
    return 1
  fi
  command -v g++ >/dev/null || { echo "no g++: mmcv cannot be built here"; return 1; }
  local build="$WORK/mmcv_build" std
  rm -rf "$build"
  mkdir -p "$build"
  tar -xzf "$(ls "$WHEELS"/mmcv-*.tar.gz)" -C "$build"
  local src
  src="$(ls -d "$build"/mmcv-*/)"
  # mmcv 2.0.1 forces -std=c++14; torch >= 2.1 headers need C++17, torch >= 2.14 C++20.
  std="$("$PY" -c 'import torch
v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2])
print("c++20" if v >= (2, 14) else "c++17")')"
  sed -i "s/-std=c++14/-std=$std/g" "$src/setup.py"
  echo "building mmcv with CPU ops only, -std=$std, MAX_JOBS=$(nproc)," \
    "ninja: $(command -v ninja || echo 'none (a serial build)')"
  # CUDA_VISIBLE_DEVICES= hides the GPU from torch, so setup.py takes its CPU-only branch;
  # CFLAGS=-g0 drops Python's -g: no debug information, a shorter compile.
  (cd "$src" && CUDA_VISIBLE_DEVICES= MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS="$(nproc)" \
    CFLAGS=-g0 "$PY" setup.py build_ext --inplace) > "$OUT_DIR/mmcv_build.log" 2>&1 \
    || { tail -n 30 "$OUT_DIR/mmcv_build.log"; return 1; }
  rm -rf "$SITE/mmcv"
  cp -r "$src/mmcv" "$SITE/mmcv"
  "$PY" -c 'import mmcv, mmcv.ops; print("built mmcv", mmcv.__version__, "with its ops")'
}

bench() {  # bench JSON_FILE ARGS...: the project's benchmark on the check's device
  local out=$1
  shift
  "$PY" "$ROOT/tools/analysis_tools/benchmark_pretrain.py" --device "$DEVICE" \
    --encoder "$ENCODER" --batch-size "$BATCH" --aug-views "$AUG_VIEWS" --repeats "$REPEATS" \
    --data-root "$WORK/data" --json "$out" "$@"
}

train_opts() {  # the pretraining run's options after the config; $1 = work dir
  echo "--work-dir $1 --cfg-options" \
    "train_dataloader.dataset.datasets.0.data_root=$WORK/data" \
    "train_dataloader.batch_size=$BATCH train_dataloader.num_workers=$WORKERS" \
    "train_cfg.max_iters=$ITERS"
}

step_train_amp() {
  local amp=--amp
  # MMEngine's AmpOptimWrapper needs a GPU: the dry run trains in fp32.
  [ "$DEVICE" = cpu ] && amp=
  # shellcheck disable=SC2046
  "$PY" "$ROOT/tools/train.py" "$TRAIN_CONFIG" $(train_opts "$WORK/train_amp") $amp
}

step_dist_nccl() {
  local port
  port="$("$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')"
  # shellcheck disable=SC2046
  # NCCL_DEBUG=VERSION: NCCL prints its version when the group starts, in gpu_check.log.
  NCCL_DEBUG=VERSION PYTHON="$PY" PORT="$port" bash "$ROOT/tools/dist_train.sh" "$TRAIN_CONFIG" 1 \
    $(train_opts "$WORK/dist_nccl")
}
export -f step_install step_build_mmcv bench train_opts step_train_amp step_dist_nccl
export ROOT DRY PY WHEELS SITE WORK OUT_DIR BATCH AUG_VIEWS REPEATS ITERS WORKERS ENCODER \
  TRAIN_CONFIG

# ---- the check -----------------------------------------------------------------------------
json init --mode "$MODE" --budget "$BUDGET" || exit 1
# First output: device, torch and CUDA versions.
# (importing torch can be slow on a busy disk: tiny runs wait longer)
timeout -k 5 "$([ "$TINY" = 1 ] && echo 600 || echo 120)" \
  "$PY" "$ROOT/tools/gpu/gpu_check_json.py" "$JSON" env
rc=$?
json step env "$([ $rc = 0 ] && echo ok || echo failed)" "$rc" "$(elapsed)"
env_value() {  # env_value KEY: a value the env step recorded
  "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1])).get("env", {}).get(sys.argv[2]))' \
    "$JSON" "$1"
}
DEVICE=cpu
[ "$(env_value device_memory_gib)" != None ] && DEVICE=cuda
export DEVICE
say "mode $MODE, device $DEVICE, budget ${BUDGET}s, results in $OUT_DIR"
[ "$MODE" = real ] && [ "$DEVICE" != cuda ] && say "warning: no GPU visible to torch"

ready=1
run_step install 90 20 bash -c step_install || ready=0
if [ "$ready" = 1 ] && [ "$DRY" = 0 ]; then
  export PYTHONPATH="$SITE:$PYTHONPATH"
fi
if [ "$ready" = 1 ]; then
  run_step build_mmcv 300 60 bash -c step_build_mmcv || ready=0
else
  skip_step build_mmcv "the install failed"
fi

steps=(data mmcv_ops bench_fp32 bench_amp bench_loss train_amp dist_nccl)
if [ "$ready" = 0 ]; then
  for s in "${steps[@]}"; do skip_step "$s" "no working mmcv"; done
else
  run_step data 60 10 "$PY" "$ROOT/tools/gpu/make_word_images.py" "$WORK/data" \
    --num "$NUM_IMAGES"
  run_step mmcv_ops 90 30 "$PY" "$ROOT/tools/gpu/check_mmcv_ops.py" --device "$DEVICE" \
    --batch-size "$OPS_BATCH" --json "$WORK/mmcv_ops.json"
  json merge mmcv_ops "$WORK/mmcv_ops.json"
  run_step bench_fp32 120 40 bash -c 'bench "$WORK/bench_fp32.json" --parts augmentation iteration'
  json merge bench_fp32 "$WORK/bench_fp32.json"
  run_step bench_amp 90 30 bash -c 'bench "$WORK/bench_amp.json" --parts iteration --amp'
  json merge bench_amp "$WORK/bench_amp.json"
  # The dense loss at 53K instances needs about 34 GiB: allowed on a GPU of 64 GiB or more.
  DENSE_LIMIT=12
  [ "$DEVICE" = cuda ] && DENSE_LIMIT="$(env_value device_memory_gib |
    awk '{ print int(0.8 * $1) }')"
  export DENSE_LIMIT
  # shellcheck disable=SC2016
  run_step bench_loss 120 40 bash -c 'bench "$WORK/bench_loss.json" --parts loss \
    --loss-sizes '"$LOSS_SIZES"' --dense-memory-limit "$DENSE_LIMIT"'
  json merge bench_loss "$WORK/bench_loss.json"
  run_step train_amp 120 45 bash -c step_train_amp
  json train train_amp "$WORK/train_amp"
  run_step dist_nccl 120 45 bash -c step_dist_nccl
  json train dist_nccl "$WORK/dist_nccl"
fi

"$PY" - "$JSON" <<'PY'
import json, sys
steps = json.load(open(sys.argv[1])).get('steps', {})
print('[gpu_check] steps: ' + ', '.join(f'{n} {s["status"]} {s["seconds"]}s'
                                        for n, s in steps.items()))
bad = [n for n, s in steps.items() if s['status'] != 'ok']
print('[gpu_check] not ok: ' + ', '.join(bad) if bad else '[gpu_check] every step ok')
sys.exit(1 if bad else 0)
PY
rc=$?
say "done in $(elapsed)s; results in $JSON"
exec >&- 2>&-
wait "$TEE_PID" 2>/dev/null
exit $rc
