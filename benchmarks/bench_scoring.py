"""Benchmark the scoring engine on a 50-model × 3-condition × full-battery synthetic panel.

Prints wall times for: reading the CSV with pandas alone; panel+self scoring from the file;
the axis method; a 1000-draw bootstrap of the panel method; and peak memory (RSS).
Targets (issue 5): panel+self ≤ 3× the pandas read; axis < 60 s; 1000 panel draws < 30 s.

Run: python benchmarks/bench_scoring.py [--models 50] [--draws 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _timed(label: str, func, results: dict):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - t0
    print(f"{label:<44s}{results[label]:8.2f} s", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    from pinocchio_eval.readers import load_inputs
    from pinocchio_eval.scoring import score_table
    from pinocchio_eval.scoring.synthetic import battery_spec, make_panel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None, help="write the CSV here and keep it")
    args = ap.parse_args(argv)

    spec, w = battery_spec()
    exp = {(q, int(i)): r > 0.3 for q, i, r in zip(w.questionnaire, w.item_index, w.r_pc1,
                                                   strict=True)}
    sp = make_panel(args.models, spec=spec, seed=0, experiential=exp)
    tmp = args.keep or Path(tempfile.mkdtemp())
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "bench_panel.csv"
    sp.table.drop(columns=["epoch"]).to_csv(path, index=False)
    print(f"panel: {args.models} models, {len(spec)} questionnaires, {len(sp.table):,} rows "
          f"({path.stat().st_size / 1e6:.1f} MB CSV)")
    res: dict[str, float] = {}
    _timed("pandas.read_csv alone", lambda: pd.read_csv(path), res)
    _timed("import + warm-up (not counted)", lambda: score_table(
        load_inputs([path]).sample(20000, random_state=0), methods=("self",)), {})
    _timed("read + score panel+self (no bootstrap)", lambda: score_table(
        load_inputs([path]), methods=("panel", "self")), res)
    table = load_inputs([path])
    _timed("score axis (no bootstrap)", lambda: score_table(table, methods=("axis",)), res)
    _timed(f"score panel, {args.draws}-draw bootstrap",
           lambda: score_table(table, methods=("panel",), bootstrap=args.draws), res)
    r = _timed(f"score all three, {args.draws}-draw bootstrap",
               lambda: score_table(table, bootstrap=args.draws), res)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = res["read + score panel+self (no bootstrap)"] / res["pandas.read_csv alone"]
    print(f"{'peak memory (max RSS)':<44s}{peak:8.0f} MB")
    print(f"panel+self / read ratio: {ratio:.1f}× (target ≤ 3×)")
    s = r.summary
    print(f"PC1 {100 * s['pc1_variance']:.1f} %, PC2 {100 * s['pc2_variance']:.1f} %; "
          f"corr(Π_self, Π_panel) = {s['corr_pi_self_pi_panel']['pearson']:.3f}; "
          f"corr(Π_axis, Π_panel) = {s['corr_pi_axis_pi_panel']['pearson']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
