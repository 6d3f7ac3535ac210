#!/usr/bin/env bash
# Static checks, run by .ci/run before the tests (seconds): ruff's linter (pyflakes,
# pycodestyle, isort order) and its formatter in check mode, with the settings of .ruff.toml.
# Fix what they report with: .venv/bin/ruff format . && .venv/bin/ruff check --fix .
set -euo pipefail
cd "$(dirname "$0")/.."
RUFF="${RUFF:-.venv/bin/ruff}"
"$RUFF" check .
"$RUFF" format --check .
