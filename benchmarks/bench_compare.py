"""Calibration of ``compare``: does the 95 % paired interval for ΔΠ_self cover zero 95 % of runs?

Each simulated pair is one synthetic model (the full battery's shape, from
:mod:`pinocchio_eval.scoring.synthetic`) answering twice: ``make_panel(..., epochs=2)`` keeps
the model's latent answers and draws fresh answer noise per epoch, so epoch 1 and epoch 2 are
two runs of the same model whose true ΔΠ_self is zero. The script prints the share of pairs
whose interval covers zero (target 93–97 %), then, for pairs with a planted shift (run B's
neutral answers moved one scale point in the direction of the item's weight, raising Π_self,
on a share of the weighted items), the share whose interval excludes zero and the mean Δ.

Run: python benchmarks/bench_compare.py [--pairs 1000] [--shifted 200] [--draws 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def run_pair(spec: list, weights: pd.DataFrame, seed: int, draws: int,
             shift_share: float = 0.0) -> tuple[float, float, float]:
    """(Δ, ci_low, ci_high) for one simulated pair; ``shift_share`` > 0 plants a shift."""
    from pinocchio_eval.scoring.compare import compare_models
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(1, spec=spec, seed=seed, epochs=2,
                    conditions=("neutral", "human_simulation"))
    t = sp.table
    t = t.assign(model=np.where(t["epoch"] == 1, "run-A", "run-B")).drop(columns="epoch")
    if shift_share > 0:
        rng = np.random.default_rng(seed + 10_000_000)
        w = weights.set_index(["questionnaire", "item_index"])["r_pc1"]
        r = w.reindex(pd.MultiIndex.from_arrays([t["questionnaire"], t["item_index"]]))
        r = r.fillna(0.0).to_numpy()
        picked = rng.random(len(t)) < shift_share
        hit = (t["model"] == "run-B").to_numpy() & (t["condition"] == "neutral").to_numpy() \
            & picked & (r != 0)
        bounds = {q: (lo, hi) for q, _, lo, hi in spec}
        lo = t["questionnaire"].map(lambda q: bounds[q][0]).to_numpy()
        hi = t["questionnaire"].map(lambda q: bounds[q][1]).to_numpy()
        moved = np.clip(t["response"].to_numpy() + np.sign(r), lo, hi)
        t = t.assign(response=np.where(hit, moved, t["response"]).astype(int))
    res = compare_models(t, "run-A", "run-B", n_boot=draws, seed=seed, catalog=sp.catalog)
    return res.delta_pi_self, res.ci_low, res.ci_high


def main(argv: list[str] | None = None) -> int:
    from pinocchio_eval.scoring.synthetic import battery_spec

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--shifted", type=int, default=200)
    ap.add_argument("--shift-share", type=float, default=0.05,
                    help="share of weighted neutral items moved by one point in run B")
    ap.add_argument("--draws", type=int, default=1000)
    args = ap.parse_args(argv)
    spec, weights = battery_spec()
    t0 = time.perf_counter()
    if args.pairs:
        null = np.array([run_pair(spec, weights, k, args.draws) for k in range(args.pairs)])
        covers = (null[:, 1] <= 0) & (null[:, 2] >= 0)
        print(f"same model, independent noise: {args.pairs} pairs, {args.draws} draws each")
        print(f"  95 % interval covers 0 in {100 * covers.mean():.1f} % of pairs "
              f"(target 93-97 %); mean Δ {null[:, 0].mean():+.4f}, SD {null[:, 0].std():.4f}")
    if args.shifted:
        shifted = np.array([run_pair(spec, weights, 500_000 + k, args.draws, args.shift_share)
                            for k in range(args.shifted)])
        excl = (shifted[:, 1] > 0) | (shifted[:, 2] < 0)
        print(f"planted shift ({100 * args.shift_share:.0f} % of weighted neutral items moved "
              f"one point): {args.shifted} pairs")
        print(f"  interval excludes 0 in {100 * excl.mean():.1f} % of pairs; mean Δ "
              f"{shifted[:, 0].mean():+.4f}")
    print(f"wall time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
