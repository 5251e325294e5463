#!/usr/bin/env bash
# The test command of the README: set up everything on a fresh machine, then run the whole
# suite, including the end-to-end tests against the embedded Gemma model on 127.0.0.1.
# Extra arguments go to pytest (e.g. -m "not realmodel" for the fast unit tests only).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
. "$ROOT/scripts/setup.sh"
cd "$ROOT"
echo "[test] ruff"
ruff check .
echo "[test] pytest"
# pytest exits 5 when it collects no test; set -e turns that (and any failure) into a failed run.
python -m pytest "$@"
