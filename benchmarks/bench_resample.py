"""How long ``--panel-resample loo`` takes, and how stable the ranking is, on a paper-sized panel.

A 50-model synthetic panel in the full battery's shape (:mod:`pinocchio_eval.scoring.synthetic`)
is scored, then refitted once per model (leave-one-out). Prints the wall time of the refits and
the median / lowest Spearman correlation of a refit's Π_panel and Π_axis with the full panel's.

Run: python benchmarks/bench_resample.py [--models 50] [--mode loo|N] [--seed 0]
"""

from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> int:
    from pinocchio_eval.scoring import score_table
    from pinocchio_eval.scoring.resample import resample
    from pinocchio_eval.scoring.synthetic import battery_spec, make_panel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--mode", default="loo", help="'loo' or a number of bootstrap refits")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    mode = "loo" if args.mode == "loo" else int(args.mode)
    spec, _ = battery_spec()
    sp = make_panel(args.models, spec=spec, seed=args.seed)
    res = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog)
    t0 = time.perf_counter()
    rs = resample(res.panel, res.scores, mode, seed=args.seed)
    wall = time.perf_counter() - t0
    print(f"{args.models} models × {len(spec)} questionnaires, {rs.stability['refits']} refits "
          f"({rs.stability['mode']}): {wall:.0f} s")
    for col in ("pi_panel", "pi_axis"):
        st = rs.stability[col]
        print(f"  {col}: median Spearman {st['median_spearman']:.3f}, lowest "
              f"{st['min_spearman']:.3f}")
    width = (rs.columns.filter(like="rank_panel").max(axis=1)
             - rs.columns.filter(like="rank_panel").min(axis=1))
    print(f"  rank range of Π_panel: median {width.median():.0f}, largest {width.max():.0f} "
          "places")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
