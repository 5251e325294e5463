#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment and install pinocchio-eval with every
# extra. Sourced by scripts/test.sh and scripts/main.sh so both work on a fresh machine.
# The first run builds llama-cpp-python from source (about 6 minutes on 2 cores); pip caches
# the wheel, so later runs take seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PINOCCHIO_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "[setup] creating virtual environment in $VENV"
    "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
# pip here warns about every package missing from the machine's local mirrors; keep the rest.
quiet_pip() {
    python -m pip "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
quiet_pip install --quiet --upgrade pip
echo "[setup] installing pinocchio-eval with extras (inspect, lmeval, local, dev)"
# A regular (non-editable) install, so the tests exercise the wheel's packed data files.
quiet_pip install --quiet --upgrade --force-reinstall --no-deps "$ROOT"
quiet_pip install --quiet "$ROOT[inspect,lmeval,local,dev,eee]"
# every-eval-ever declares Python >= 3.12, so the `eee` extra skips it on 3.11; its validator
# (all the board exporter's test needs) runs on 3.11, so install it without that check here.
if python -c 'import sys; sys.exit(sys.version_info >= (3, 12))'; then
    quiet_pip install --quiet --no-deps --ignore-requires-python "every-eval-ever==0.3.0"
fi

if [ "${PINOCCHIO_SKIP_BROWSER:-0}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "[setup] installing Debian's chromium for the leaderboard browser test"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "[setup] chromium not found and cannot apt-get install it; browser tests will skip"
    fi
fi
echo "[setup] done: $(python --version), pinocchio-eval $(python -c 'import pinocchio_eval; print(pinocchio_eval.__version__)')"
