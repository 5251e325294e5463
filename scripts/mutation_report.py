"""Per-module mutation table from mutmut's cached results (``mutants/**/*.meta``).

killed      a test failed (or errored) with the mutant in place
timeout     the tests ran far longer than without the mutant (counted as caught)
survived    every test that touches the mutated function passed
no tests    no test of the selection reaches the mutated function (counted as survived)
equivalent  a survivor listed in tests/mutation_equivalents.md: no test could tell it apart
stale       a survivor listed there whose code change is no longer the one reviewed (mutmut
            numbers a function's mutants in order, so an edit renumbers them): counted as
            survived until someone re-reads it and runs ``--lock``
score       (killed + timeout) / (checked − equivalent)

``-v`` lists the survivors; ``--markdown`` prints the table as docs/testing.md shows it.

Each reviewed equivalent's exact change (its removed and added lines) is kept in
``tests/mutation_equivalents.lock.json``; after reviewing new entries, record them with
``python scripts/mutation_report.py --lock``.

When a run could not check everything, ``scripts/mutation_resume.py --sample N`` tests a seeded
random sample of the unchecked mutants first (``mutants/sample.txt``); this report then also
estimates the whole scope's score, the still-unchecked mutants counted at the sample's rates.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.md"
LOCK = ROOT / "tests" / "mutation_equivalents.lock.json"
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout",
          None: "not checked"}
COLUMNS = ["killed", "timeout", "survived", "no tests", "equivalent", "stale", "not checked",
           "other"]


def equivalents(path: Path = EQUIVALENTS) -> set[str]:
    """Mutant names written in backticks at the start of a list item."""
    if not path.exists():
        return set()
    return set(re.findall(r"^\s*[-*]\s+`([^`]+__mutmut_\d+)`", path.read_text("utf-8"),
                          flags=re.M))


def change(name: str, module: str) -> str:
    """The mutant's removed and added lines, as mutmut shows them (run from the root)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=f"src/{module}")
    return "\n".join(line for line in diff.splitlines()[2:] if line[:1] in "+-")


def verdicts(root: Path = ROOT / "mutants") -> dict[str, tuple[str, int | None]]:
    """Every mutant's (module, mutmut exit code; None = not checked yet)."""
    out = {}
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root).with_suffix("")).removeprefix("src/")
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        out |= {name: (module, code) for name, code in codes.items()}
    return out


def statuses(root: Path = ROOT / "mutants") -> dict[str, tuple[str, str]]:
    """Every mutant's (module, status), reviewed equivalents told apart from survivors."""
    eq = equivalents()
    lock = json.loads(LOCK.read_text("utf-8")) if LOCK.exists() else {}
    out = {}
    for name, (module, code) in verdicts(root).items():
        status = STATUS.get(code, "other")
        if status in ("survived", "no tests") and name in eq:
            status = "equivalent" if lock.get(name) == change(name, module) else "stale"
        out[name] = (module, status)
    return out


def write_lock(root: Path = ROOT / "mutants") -> None:
    """Record the change of every listed equivalent as it is now (after reviewing them)."""
    eq = equivalents()
    found = {n: change(n, module) for n, (module, _) in verdicts(root).items() if n in eq}
    LOCK.write_text(json.dumps(dict(sorted(found.items())), indent=1, ensure_ascii=False) + "\n",
                    "utf-8")
    missing = sorted(eq - set(found))
    print(f"{LOCK}: {len(found)} equivalents recorded"
          + (f"; not mutants any more, remove them: {', '.join(missing)}" if missing else ""))


def collect(known: dict[str, tuple[str, str]]) -> tuple[dict[str, Counter], list[str]]:
    """Status counts per module and the names of unexplained survivors."""
    table: dict[str, Counter] = {}
    survivors = []
    for name, (module, status) in known.items():
        if status in ("survived", "no tests", "stale"):
            survivors.append(f"{name} ({status})")
        table.setdefault(module, Counter())[status] += 1
    return table, survivors


def worst_case_seconds(root: Path = ROOT / "mutants") -> dict[str, float]:
    """Per mutated function, the summed duration of the tests that reach it: the order in
    which mutmut checks mutants (cheapest first)."""
    stats = json.loads((root / "mutmut-stats.json").read_text("utf-8"))
    dur = stats["duration_by_test"]
    return {f: sum(dur.get(t, 0.0) for t in tests)
            for f, tests in stats["tests_by_mangled_function_name"].items()}


def sample_estimate(total: Counter, known: dict[str, tuple[str, str]],
                    root: Path = ROOT / "mutants") -> str | None:
    """The whole scope's score with the unchecked mutants counted at the kill and equivalence
    rates of the random sample (95 % Wilson interval of its kill rate).

    mutmut goes on cheapest first after the sample is drawn, so the mutants still unchecked are
    the costliest of those the sample was drawn from; only sample members at least as costly as
    the cheapest unchecked one stand for them."""
    path = root / "sample.txt"
    if not path.exists() or not total["not checked"]:
        return None
    cost = worst_case_seconds(root)

    def cost_of(name: str) -> float:
        return cost.get(name.rsplit("__mutmut_", 1)[0], 0.0)

    floor = min(cost_of(n) for n, (_, st) in known.items() if st == "not checked")
    drawn = [n for n in path.read_text("utf-8").split() if n in known]
    like = [n for n in drawn if cost_of(n) >= floor]
    c = Counter(known[n][1] for n in like)
    caught = c["killed"] + c["timeout"]
    live = caught + c["survived"] + c["no tests"] + c["stale"] + c["other"]
    if not live:
        return "random sample (mutants/sample.txt): no member as costly as the unchecked run yet"
    p, z = caught / live, 1.96
    mid = (p + z * z / (2 * live)) / (1 + z * z / live)
    half = z * math.sqrt(p * (1 - p) / live + z * z / (4 * live * live)) / (1 + z * z / live)
    unchecked = total["not checked"] * live / (live + c["equivalent"])  # expected non-equivalent
    checked = sum(total.values()) - total["not checked"] - total["equivalent"]
    killed = total["killed"] + total["timeout"]

    def est(rate: float) -> float:
        return (killed + unchecked * rate) / (checked + unchecked)

    return (f"random sample (mutants/sample.txt): {len(drawn)} drawn, {len(like)} as costly as "
            f"the unchecked rest: {caught} caught, {live - caught} survived, "
            f"{c['equivalent']} equivalent, {c['not checked']} not yet run; kill rate {p:.1%}\n"
            f"estimated whole-scope score, the {total['not checked']} unchecked mutants at those "
            f"rates: {est(p):.1%} (95 % {est(mid - half):.1%} … {est(mid + half):.1%})")


def score(c: Counter) -> float:
    checked = sum(c.values()) - c["not checked"] - c["equivalent"]  # stale counts as survived
    return (c["killed"] + c["timeout"]) / checked if checked else float("nan")


def main() -> None:
    os.chdir(ROOT)  # mutmut reads the mutants relative to the project root
    if "--lock" in sys.argv:
        write_lock()
        return
    known = statuses()
    table, survivors = collect(known)
    if not table:
        sys.exit("no mutmut results in mutants/: run bash scripts/mutation.sh first")
    md = "--markdown" in sys.argv  # the table as docs/testing.md shows it

    def row(name: str, c: Counter) -> str:
        cells = [name, sum(c.values()), *(c[k] for k in COLUMNS), f"{score(c):.1%}"]
        if md:
            return "| " + " | ".join(f"{v:,}" if isinstance(v, int) else v for v in cells) + " |"
        return f"{name:44s} {cells[1]:7d} " + " ".join(f"{v:11d}" for v in cells[2:-1]) \
            + f" {cells[-1]:>7s}"

    if md:
        print("| module | mutants | " + " | ".join(COLUMNS) + " | score |")
        print("|---|" + "---:|" * (len(COLUMNS) + 2))
    else:
        print(f"{'module':44s} {'mutants':>7s} " + " ".join(f"{c:>11s}" for c in COLUMNS)
              + f" {'score':>7s}")
    total: Counter = Counter()
    for module, c in table.items():
        total.update(c)
        print(row(module.removeprefix("pinocchio_eval/") if md else module, c))
    print(row("**total**" if md else "TOTAL", total))
    estimate = sample_estimate(total, known)
    if estimate:
        print(estimate)
    if "-v" in sys.argv:
        print("\nsurvivors not judged equivalent:")
        print("\n".join(f"  {s}" for s in survivors))


if __name__ == "__main__":
    main()
