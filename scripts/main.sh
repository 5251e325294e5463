#!/usr/bin/env bash
# The README's main job, on a fresh machine: install, run the battery through the Inspect task
# on the embedded Gemma model, reading each rating from the model's probabilities of the scale
# values, print Π_self with its 95 % interval, the items it rests on and the mean probability
# on the scale, and build a leaderboard from the log it just wrote.
#   PINOCCHIO_QUICK=1        six questionnaires instead of the whole analysed battery
#   PINOCCHIO_READING=text   parse generated answers instead (model served on 127.0.0.1)
#   PINOCCHIO_OUT=DIR        where logs and the leaderboard go (default: runs/main)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
. "$ROOT/scripts/setup.sh"
cd "$ROOT"
OUT="${PINOCCHIO_OUT:-runs/main}"
QUESTIONNAIRES=()
if [ "${PINOCCHIO_QUICK:-0}" = "1" ]; then QUESTIONNAIRES=(-q quick); fi

echo "[main] running the battery (neutral + human_simulation) on the embedded model"
pinocchio-eval run-local --conditions neutral,human_simulation "${QUESTIONNAIRES[@]}" \
    --reading "${PINOCCHIO_READING:-probabilities}" --out "$OUT/inspect"
echo "[main] building the leaderboard"
pinocchio-eval leaderboard build "$OUT/inspect" --out "$OUT/leaderboard" \
    --title "Pinocchio score on the embedded Gemma 3 270M" --bootstrap 1000 --seed 0
echo "[main] done: open $OUT/leaderboard/leaderboard.html (table: $OUT/leaderboard/leaderboard.md)"
