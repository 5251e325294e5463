"""Plant plausible one-line bugs in the scoring core, one at a time, and check the fast suite
catches each (a quick complement to the mutation run in scripts/mutation.sh).

Each bug is applied to a copy of ``src/`` in a temporary folder (the checkout is never
touched); the fast suite runs against that copy with ``-x`` and a bug counts as caught when
pytest fails. Usage::

    python scripts/planted_bugs.py            # all bugs
    python scripts/planted_bugs.py 3 7        # only bugs number 3 and 7
    python scripts/planted_bugs.py --all      # against the whole fast suite, not the selection
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
SCORING = "src/pinocchio_eval/scoring/"
#: (what the bug is, file, original text, planted text)
BUGS = [
    ("Π_self vectorised: Σ|r| written as Σr", SCORING + "selfanchored.py",
     "den = (has * np.abs(r)) @ mult", "den = (has * r) @ mult"),
    ("Π_self: the two conditions subtracted the wrong way round", SCORING + "selfanchored.py",
     "d = (neutral - human) / s", "d = (human - neutral) / s"),
    ("bootstrap Π_self: multiplicities dropped", SCORING + "bootstrap.py",
     "counts[:, codes].T.astype(float)", "(counts[:, codes] > 0).T.astype(float)"),
    ("bootstrap Π_panel: multiplicities dropped", SCORING + "bootstrap.py",
     "log_weights(pi, cap) * c[codes]", "log_weights(pi, cap) * (c[codes] > 0)"),
    ("cleaning: raw-answer column misnamed", SCORING + "hygiene.py",
     'if missing.size and "response_raw" in df.columns:',
     'if missing.size and "raw_response" in df.columns:'),
    ("Π_panel z: sample SD (ddof 1) instead of population SD", SCORING + "panel.py",
     "sd = np.sqrt(np.sum(dev * dev, axis=0) / n)",
     "sd = np.sqrt(np.sum(dev * dev, axis=0) / (n - 1))"),
    ("π: population variances (ddof 0)", SCORING + "items.py",
     "vn, nn = nan_var(neutral, ddof=1)", "vn, nn = nan_var(neutral, ddof=0)"),
    ("axis item z: ddof 0 instead of 1", SCORING + "axis.py",
     "np.nansum((full - mean) ** 2, axis=0) / np.maximum(n - 1, 1)",
     "np.nansum((full - mean) ** 2, axis=0) / np.maximum(n, 1)"),
    ("cap at the 95th percentile", SCORING + "items.py",
     "CAP_PERCENTILE = 99.0", "CAP_PERCENTILE = 95.0"),
    ("bootstrap cap: percentile position off by one", SCORING + "bootstrap.py",
     "h = (total - 1) * q / 100.0", "h = total * q / 100.0"),
    ("Π_axis sign alignment inverted", SCORING + "axis.py",
     "fit.sign = -1.0 if r < 0 else 1.0", "fit.sign = -1.0 if r > 0 else 1.0"),
    ("bootstrap Π_axis: draws not sign-aligned", SCORING + "bootstrap.py",
     "        if ok.sum() >= 2 and np.dot(", "        if False and np.dot("),
    ("Π_panel denominator over all weighted items", SCORING + "panel.py",
     "den = has.astype(float) @ weights", "den = np.ones_like(z0) @ weights"),
    ("repeats summed, not averaged", SCORING + "matrices.py",
     "sums / np.maximum(counts, 1)", "sums"),
    ("out-of-range check excludes the scale ends", SCORING + "hygiene.py",
     "((value < lo) | (value > hi))", "((value <= lo) | (value > hi))"),
    ("π needs more than 5 models", SCORING + "items.py",
     "ok = (nn >= min_models) & (nh >= min_models)", "ok = (nn > min_models) & (nh > min_models)"),
    ("frozen norms: newcomer z against its own panel", SCORING + "norms.py",
     "z = zscores(x, self.panel_.mean, self.panel_.sd)",
     "z = zscores(x, np.nanmean(x, axis=0), self.panel_.sd)"),
    ("axis: models missing > 20 % kept", SCORING + "axis.py",
     "return np.isnan(f).mean(axis=1) <= max_missing + 1e-12",
     "return np.isnan(f).mean(axis=1) <= max_missing + 0.25"),
    ("leaderboard: rank 1 = lowest Π", "src/pinocchio_eval/leaderboard/model.py",
     'rank(ascending=False, method="min")', 'rank(ascending=True, method="min")'),
    ("merge: table's rank column overwritten", "src/pinocchio_eval/leaderboard/merge.py",
     'if c in clash or c == "rank" else c', "if c in clash else c"),
]
#: Two inspect tests fail in the shared venv for reasons outside the scorer (task registry
#: lookups); they would "catch" every bug, so they are left out.
DESELECT = ["tests/inspect_task/test_inspect_task.py::test_inspect_entry_point_is_declared",
            "tests/test_inspect_e2e.py::test_cli_resolves_the_registered_task_from_any_directory"]

#: The fast tests of the scorer and the leaderboard (the mutation run's selection); with
#: ``--all`` the whole fast suite (slower: it imports both harnesses).
SELECTION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"][
    "pytest_add_cli_args_test_selection"]


def run_one(n: int, what: str, rel: str, old: str, new: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="planted-") as tmp:
        copy = Path(tmp)
        shutil.copytree(ROOT / "src", copy / "src")
        for data in ("tasks", "scorers", "leaderboards"):
            (copy / data).symlink_to(ROOT / data)
        target = copy / rel
        text = target.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise SystemExit(f"bug {n}: {old!r} occurs {text.count(old)} times in {rel}")
        target.write_text(text.replace(old, new), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy / "src")}
        cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
               "-m", "not realmodel and not browser", *(f"--deselect={d}" for d in DESELECT),
               *(["tests/"] if WHOLE else SELECTION)]
        run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        failed = [ln for ln in run.stdout.splitlines() if ln.startswith("FAILED")]
        print(f"{n:2d} {'caught' if run.returncode else 'MISSED'}  {what}"
              + (f"  [{failed[0][7:].split(' - ')[0]}]" if failed else ""), flush=True)
        return run.returncode != 0


WHOLE = "--all" in sys.argv


def main(argv: list[str]) -> None:
    argv = [a for a in argv if a != "--all"]
    picked = [int(a) for a in argv] or list(range(1, len(BUGS) + 1))
    start = time.monotonic()
    caught = sum(run_one(n, *BUGS[n - 1]) for n in picked)
    print(f"caught {caught} of {len(picked)} planted bugs "
          f"({time.monotonic() - start:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
