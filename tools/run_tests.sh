#!/usr/bin/env bash
# The README's test command: set up .venv (idempotent) and run the test suite, one pytest-xdist
# worker a CPU, each test file on one worker (its module-scoped runs happen once) in the order
# of tests/conftest.py (the longest first); then print the 15 slowest tests.
#   bash tools/run_tests.sh                 # whole suite
#   bash tools/run_tests.sh -m "not slow"   # the fast tier, before each commit
#   bash tools/run_tests.sh -k loss         # extra arguments go to pytest
#   bash tools/run_tests.sh -n 0            # in one process (e.g. to debug)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh || { echo "[run_tests] environment set-up failed" >&2; exit 1; }

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" MKL_NUM_THREADS="${MKL_NUM_THREADS:-1}"
export MPLBACKEND=Agg
.venv/bin/python -m pytest tests -q -p no:cacheprovider --timeout 900 -n logical --dist loadfile \
  --no-loadscope-reorder --durations=15 "$@"
status=$?
if [ $status -eq 5 ]; then
  # pytest's 5 means "no test collected": with a selection (-k ...) that is the user's
  # choice; for the whole suite it means the tests vanished, which must fail loudly.
  if [ $# -gt 0 ]; then
    echo "[run_tests] no test matched the selection: $*" >&2
    exit 0
  fi
  echo "[run_tests] pytest collected no tests from tests/: the suite is missing" >&2
  exit 1
fi
exit $status
