#!/usr/bin/env bash
# Idempotent environment set-up for seqclr-mmocr on a fresh Linux machine (Python 3.11, CPU).
#
# Creates .venv/ at the repository root with the one stack MMOCR 1.0.1 accepts on a current
# torch: torch 2.14.1 + torchvision 0.29.1, mmcv 2.0.1 (full build, compiled CPU ops, built
# from the sdist with -std=c++20 and cached under ~/.cache), mmdet 3.1.0, mmocr 1.0.1,
# mmengine 0.10.7, imgaug 0.4.0 with numpy 1.23.5; then installs this package in editable
# mode. A second run only checks the stamp and returns.
#
# Environment knobs:
#   PYTHON=python3.11          interpreter used to create the venv
#   SEQCLR_SKIP_APT=1          do not install the Debian font and word-list packages
#   SEQCLR_SKIP_FONTS=1        do not fetch the Google Fonts handwriting families from npm
#   SEQCLR_CACHE=~/.cache/seqclr-mmocr   where the built mmcv wheel is kept
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3.11}"
CACHE="${SEQCLR_CACHE:-$HOME/.cache/seqclr-mmocr}"

TORCH_VERSION=2.14.1
TORCHVISION_VERSION=0.29.1
MMCV_VERSION=2.0.1
PINS=(
  # torch 2.14.1 needs setuptools>=77.0.3; mmengine 0.10.7 imports pkg_resources (to resolve
  # mmocr:: configs), which setuptools 81 removed.
  "setuptools>=77.0.3,<81"
  "numpy==1.23.5"
  "mmengine==0.10.7"
  "mmdet==3.1.0"
  "mmocr==1.0.1"
  "imgaug==0.4.0"
  "matplotlib"
  # the linter of tools/lint.sh (run by .ci/run), pinned so that its verdict does not drift
  "ruff==0.17.6"
)

log() { printf '[setup_env] %s\n' "$*" >&2; }

# The demo corpus's other hands: 166 Google Fonts handwriting families, from npm (35 s here);
# a family already in data/fonts/fontsource/ is not fetched again, so every run checks.
fetch_fonts() {
  [ "${SEQCLR_SKIP_FONTS:-0}" = "1" ] || bash "$ROOT/tools/data/fetch_handwriting_fonts.sh" \
    || log "warning: fetching the handwriting fonts failed; the demo corpus gets fewer hands"
}

# The stamp covers this script and the package metadata, so editing either re-runs the set-up.
stamp_key="$(cat "$ROOT/tools/setup_env.sh" "$ROOT/setup.py" "$ROOT/requirements.txt" 2>/dev/null | sha256sum | cut -c1-16)"
stamp="$VENV/.seqclr-setup-$stamp_key"
if [ -f "$stamp" ] && [ -x "$VENV/bin/python" ]; then
  fetch_fonts
  log "environment up to date ($VENV)"
  exit 0
fi

install_os_packages() {
  [ "${SEQCLR_SKIP_APT:-0}" = "1" ] && return 0
  command -v apt-get >/dev/null 2>&1 || { log "no apt-get: skipping OS fonts and word list"; return 0; }
  local pkgs=(fonts-dkg-handwriting fonts-sjfonts fonts-breip fonts-femkeklaver fonts-humor-sans
              fonts-kristi fonts-dancingscript fonts-ecolier-court fonts-dejavu-core
              fonts-comic-neue fonts-havana fonts-kaushanscript fonts-lobster fonts-klee
              fonts-leckerli-one fonts-rufscript fonts-seto fonts-yusei-magic
              fonts-tlwg-purisa fonts-kiloji fonts-cabinsketch wamerican
              # printed typefaces: a share of the demo's training words (demo_corpus/writers.py)
              fonts-urw-base35 fonts-liberation fonts-freefont-ttf fonts-crosextra-carlito
              fonts-crosextra-caladea fonts-linuxlibertine fonts-ebgaramond fonts-open-sans
              fonts-cantarell fonts-opendyslexic fonts-comfortaa fonts-quicksand fonts-dosis
              fonts-jura fonts-tuffy fonts-oldstandard fonts-yanone-kaffeesatz
              fonts-roboto-unhinted fonts-adf-accanthis fonts-adf-baskervald fonts-adf-gillius
              fonts-adf-universalis fonts-adf-verana fonts-adf-romande fonts-adf-tribun
              fonts-adf-berenis fonts-adf-libris fonts-adf-ikarius fonts-adf-irianis
              fonts-adf-mekanus fonts-adf-oldania fonts-adf-switzera fonts-goudybookletter
              fonts-staypuft fonts-averia-gwf fonts-averia-sans-gwf fonts-averia-serif-gwf
              fonts-mononoki fonts-inconsolata)
  # npm fetches the Google Fonts handwriting families (tools/data/fetch_handwriting_fonts.sh);
  # an npm installed otherwise than by Debian's package (nodesource, nvm) does as well.
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  local missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing OS packages: ${missing[*]}"
  $sudo apt-get update -qq || true
  # A font that is not packaged for this release is skipped, not fatal: the corpus generator
  # uses whichever handwriting fonts are present.
  for p in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null \
      || log "warning: could not install $p"
  done
}

install_os_packages
fetch_fonts

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip)
export PIP_DISABLE_PIP_VERSION_CHECK=1
# pip.conf here lists local index folders that do not exist for every package: hide that noise.
quiet_pip() {
  local status=0
  "${PIP[@]}" "$@" 2> >(grep -v "^WARNING: Location .* is ignored" >&2) || status=$?
  return $status
}

log "installing torch $TORCH_VERSION + torchvision $TORCHVISION_VERSION"
quiet_pip install -q "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"
# mmcv's setup.py builds with setuptools<70 (pkg_resources) and needs wheel for bdist_wheel;
# the final install below moves setuptools back into the range torch asks for.
quiet_pip install -q "setuptools<70" wheel ninja "numpy==1.23.5"

if ! "$VENV/bin/python" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" >/dev/null 2>&1; then
  py_tag="$("$VENV/bin/python" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
  wheel_dir="$CACHE/wheels/mmcv-$MMCV_VERSION-torch$TORCH_VERSION-$py_tag-cpu"
  if ! ls "$wheel_dir"/mmcv-*.whl >/dev/null 2>&1; then
    log "building mmcv $MMCV_VERSION with CPU ops (about 10 minutes on 2 cores); cached in $wheel_dir"
    build="$(mktemp -d)"
    quiet_pip download -q --no-deps --no-binary :all: --no-build-isolation -d "$build" "mmcv==$MMCV_VERSION"
    tar -xzf "$build"/mmcv-"$MMCV_VERSION".tar.gz -C "$build"
    src="$build/mmcv-$MMCV_VERSION"
    # torch>=2.14 headers refuse anything older than C++20; mmcv 2.0.1 hard-codes c++14.
    sed -i 's/-std=c++14/-std=c++20/g' "$src/setup.py"
    mkdir -p "$wheel_dir"
    (cd "$src" && MMCV_WITH_OPS=1 FORCE_CUDA=0 MAX_JOBS="$(nproc)" \
      "$VENV/bin/python" -m pip wheel -q --no-deps --no-build-isolation -w "$wheel_dir" .)
    rm -rf "$build"
  fi
  quiet_pip install -q --no-deps "$wheel_dir"/mmcv-*.whl
fi

log "installing the OpenMMLab stack and this package"
# torch and torchvision are named again so the resolver cannot trade them for older ones.
quiet_pip install -q "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" "${PINS[@]}" \
  "mmcv==$MMCV_VERSION" -e "$ROOT[tests]"
"$VENV/bin/python" - <<'PY'
import mmcv, mmcv.ops, mmdet, mmengine, mmocr, mmocr.models, imgaug, numpy, torch, torchvision
import pkg_resources  # noqa: F401  (mmengine resolves mmocr:: configs with it)
assert torch.__version__.startswith('2.14.1'), torch.__version__
import imgaug.augmenters as iaa
iaa.SomeOf((1, None), [iaa.Noop()])  # fails on numpy>=1.24 (np.bool)
import seqclr_mmocr  # noqa: F401
print('[setup_env] torch', torch.__version__, 'torchvision', torchvision.__version__,
      'mmcv', mmcv.__version__, 'mmdet', mmdet.__version__, 'mmocr', mmocr.__version__,
      'mmengine', mmengine.__version__, 'numpy', numpy.__version__)
PY
rm -f "$VENV"/.seqclr-setup-*
touch "$stamp"
log "done: activate with 'source .venv/bin/activate'"
