"""Resume a mutation run after test files were ADDED to the mutmut selection.

mutmut 3.8 fingerprints ``pytest_add_cli_args_test_selection`` and throws every cached verdict
away when the list changes, although adding tests can only kill more mutants, never revive a
killed one. On two cores that costs hours. This script checks that the only change since the
cached run is files added to the list (read from the run's own commit), records the new
fingerprint, lets mutmut collect coverage for the new tests and test the mutants it has no
verdict for, then re-tests the survivors (those not listed as equivalent)::

    python scripts/mutation_resume.py            # then: bash scripts/mutation.sh --report
    python scripts/mutation_resume.py --dry-run  # say what would be re-tested
    python scripts/mutation_resume.py --survivors-only  # the survivors only
    python scripts/mutation_resume.py --sample 450 --seed 1
        # first a seeded random sample of the mutants with no verdict (written to
        # mutants/sample.txt; the report estimates the unchecked rest's score from it)

Anything else (a removed file, other pytest options) needs a full run: the script refuses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
STATS = ROOT / "mutants" / "mutmut-stats.json"
SAMPLE = ROOT / "mutants" / "sample.txt"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutation_report import STATUS, equivalents, verdicts  # noqa: E402


def _selection(pyproject_text: str) -> list[str]:
    return tomllib.loads(pyproject_text)["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]


def _survivors() -> list[str]:
    """Mutants that survived (or reached no test) and are not listed as equivalent."""
    eq = equivalents()
    return [name for name, (_, code) in verdicts().items()
            if STATUS.get(code) in ("survived", "no tests") and name not in eq]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="check and list, run nothing")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="first test a random sample of N mutants that have no verdict yet")
    ap.add_argument("--seed", type=int, default=0, help="seed of --sample")
    ap.add_argument("--survivors-only", action="store_true",
                    help="only re-test the survivors; leave unchecked mutants for later")
    ap.add_argument("--max-children", type=int, default=int(os.environ.get("MUTATION_JOBS", 2)))
    args = ap.parse_args()
    os.chdir(ROOT)
    if not STATS.exists():
        sys.exit(f"{STATS}: no cached run to resume; run `bash scripts/mutation.sh` first")
    stats = json.loads(STATS.read_text("utf-8"))
    commit = stats.get("git_commit")
    if not commit:
        sys.exit(f"{STATS}: the cached run records no git commit; run a full mutation run")
    old = _selection(subprocess.run(["git", "show", f"{commit}:pyproject.toml"], check=True,
                                    capture_output=True, text=True).stdout)
    new = _selection((ROOT / "pyproject.toml").read_text("utf-8"))

    from mutmut.configuration import config  # the fingerprint exactly as mutmut computes it

    fingerprint = config().config_fingerprint()
    old_fp = stats.get("config_fingerprint", {})
    if any(old_fp.get(k) != v for k, v in fingerprint.items() if k != "test_selection"):
        sys.exit("pytest options or timeouts changed since the cached run: a full run is needed")
    if old_fp.get("test_selection") not in (fingerprint["test_selection"],  # resumed before
                                           hashlib.sha256(repr(tuple(old)).encode()).hexdigest()[:12]):
        sys.exit(f"the cached run's selection is not the one of its commit {commit[:9]}: "
                 "a full run is needed")
    removed = [f for f in old if f not in new]
    if removed:
        sys.exit(f"test files left the selection ({', '.join(removed)}): a full run is needed")
    added = [f for f in new if f not in old]
    survivors = _survivors()
    print(f"[mutation] run of {commit[:9]}: {len(added)} test file(s) added, "
          f"{len(survivors)} survivor(s) to re-test")
    if args.dry_run:
        print("\n".join(added + survivors))
        return 0
    stats["config_fingerprint"] = fingerprint
    STATS.write_text(json.dumps(stats, indent=4), "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = ["nice", "-n", "19", sys.executable, "-m", "mutmut", "run",
           "--max-children", str(args.max_children)]
    if args.sample:
        pending = sorted(k for k, (_, code) in verdicts().items() if code is None)
        sample = random.Random(args.seed).sample(pending, min(args.sample, len(pending)))
        SAMPLE.write_text("\n".join(sorted(sample)) + "\n", "utf-8")
        print(f"[mutation] sample of {len(sample)} of {len(pending)} unchecked mutants "
              f"(seed {args.seed}) → {SAMPLE}")
        subprocess.run(run + sample, env=env, check=False)
    if not args.survivors_only:  # new tests' coverage, then the mutants with no verdict
        subprocess.run(run, env=env, check=False)
    if survivors:
        subprocess.run(run + survivors, env=env, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
