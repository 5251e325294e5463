#!/usr/bin/env bash
# Mutation score of the fast suite over the scoring engine, the response table and the
# leaderboard build/merge/model (configuration: [tool.mutmut] in pyproject.toml).
# A benchmark, not CI: slow on two cores. Results are cached in mutants/, so a second run only
# re-tests what changed. Prints killed / survived / equivalent per module and the total score
# (killed / (all − equivalent)); equivalents are listed with reasons in
# tests/mutation_equivalents.md.
#
#   bash scripts/mutation.sh              # run (resumes), then report
#   bash scripts/mutation.sh --report     # report only, from the cached results
#   MUTATION_JOBS=1 bash scripts/mutation.sh   # fewer parallel workers (default 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ -x "$ROOT/.venv/bin/python" && -z "${VIRTUAL_ENV:-}" ]]; then
  # shellcheck disable=SC1091
  . "$ROOT/.venv/bin/activate"
fi
# mutmut puts mutants/src first on sys.path; a PYTHONPATH to the unmutated src/ would let the
# tests import the original code and every mutant would "survive".
unset PYTHONPATH
if [[ "${1:-}" != "--report" ]]; then
  start=$(date +%s)
  nice -n 19 mutmut run --max-children "${MUTATION_JOBS:-2}" || true
  echo "[mutation] run took $(( $(date +%s) - start )) s"
fi
python "$ROOT/scripts/mutation_report.py"
