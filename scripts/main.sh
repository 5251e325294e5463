#!/usr/bin/env bash
# The README's main job: set up on a fresh machine, then run the battery on the embedded
# local model. (Grows into: Inspect run → Π → leaderboard, as the adapters land.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
. "$ROOT/scripts/setup.sh"
pinocchio-eval battery list
pinocchio-eval prompt BFI-2 0 --condition llm_analog
