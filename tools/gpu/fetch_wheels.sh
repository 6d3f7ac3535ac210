#!/usr/bin/env bash
# Fill .whl/ (git-ignored) with what the lent GPU machine lacks to run this project: the
# CPython 3.12 manylinux x86-64 wheels of the OpenMMLab stack and of its runtime
# dependencies that the machine's image does not hold, and the mmcv 2.0.1 sdist (mmcv
# publishes no wheel for that torch; tools/gpu/gpu_check.sh builds it there). Then checks
# the set: at most 60 MiB, one version per project, and complete for cp312 by pip's
# resolver (tools/gpu/check_wheels.py). Re-runnable: files already there are kept, files
# no longer in the set are removed.
#
# Usage: bash tools/gpu/fetch_wheels.sh [DEST]          (DEST defaults to .whl)
# Needs a machine that reaches PyPI, and a Python with pip >= 23 and setuptools < 81
# (the repository's .venv; PYTHON=... to choose another).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:-$ROOT/.whl}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
LIMIT_MIB="${LIMIT_MIB:-60}"

# What the image lacks (its own list is in tools/gpu/check_wheels.py, IMAGE_PACKAGES).
WHEELS=(
  mmengine==0.10.7 mmdet==3.1.0 mmocr==1.0.1
  # mmengine: addict, termcolor, yapf (which needs platformdirs)
  addict==2.4.0 termcolor==3.2.0 yapf==0.43.0 platformdirs==4.5.0
  # mmdet: terminaltables, shapely, pycocotools; mmocr: lmdb, pyclipper, rapidfuzz
  terminaltables==3.1.10 shapely==2.1.2 pycocotools==2.0.10
  lmdb==1.7.5 pyclipper==1.3.0.post6 rapidfuzz==3.14.1
  # imgaug 0.4.0 itself (the version every CPU figure used); on numpy 2 it needs the two
  # edits of tools/gpu/patch_imgaug.py, which gpu_check.sh applies after installing it.
  imgaug==0.4.0
  # setuptools 81 dropped pkg_resources, which mmcv's setup.py and mmengine import.
  setuptools==80.9.0
)
SDISTS=(mmcv==2.0.1)
PLATFORMS=(manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_26_x86_64
           manylinux_2_24_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64)

log() { printf '[fetch_wheels] %s\n' "$*" >&2; }
mkdir -p "$DEST"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# pip.conf may list local index folders that do not exist for every package: hide that noise.
pip_quiet() { "$PYTHON" -m pip "$@" 2> >(grep -v "^WARNING: Location .* is ignored" >&2); }

platform_args=()
for p in "${PLATFORMS[@]}"; do platform_args+=(--platform "$p"); done
log "downloading ${#WHEELS[@]} wheels for CPython 3.12 manylinux x86-64 into $DEST"
pip_quiet download -q --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --abi cp312 "${platform_args[@]}" -d "$DEST" "${WHEELS[@]}"
# An sdist's metadata is prepared by running its setup.py: mmcv's imports pkg_resources, so
# use this Python's setuptools (< 81) rather than an isolated, newest one.
log "downloading the sdists: ${SDISTS[*]}"
pip_quiet download -q --no-deps --no-binary=:all: --no-build-isolation -d "$DEST" "${SDISTS[@]}"

# Keep exactly the set: drop files left by an earlier set.
wanted=" "
for spec in "${WHEELS[@]}" "${SDISTS[@]}"; do
  name="${spec%%==*}"; version="${spec##*==}"
  wanted+="$(printf '%s' "$name" | tr 'A-Z._' 'a-z--')==$version "
done
for f in "$DEST"/*; do
  [ -e "$f" ] || continue
  base="$(basename "$f")"
  case "$base" in
    *.whl) name="${base%%-*}"; rest="${base#*-}"; version="${rest%%-*}" ;;
    *.tar.gz) stem="${base%.tar.gz}"; name="${stem%-*}"; version="${stem##*-}" ;;
    *) name="$base"; version="" ;;
  esac
  key="$(printf '%s' "$name" | tr 'A-Z._' 'a-z--')==$version"
  if [[ "$wanted" != *" $key "* ]]; then
    log "removing $base (not in the set)"
    rm -f "$f"
  fi
done

"$PYTHON" "$ROOT/tools/gpu/check_wheels.py" "$DEST" --limit-mib "$LIMIT_MIB"
