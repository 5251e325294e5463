"""Benchmark what the harness adapters add to a run: the in-run Π_self metrics and the version.

Prints wall times for: building the full-battery Inspect dataset (both conditions); the
battery fingerprint recorded in every log; the Inspect ``pi_self`` metric (estimate plus a
1000-draw questionnaire bootstrap) on one full-battery run; the clustered-stderr metrics; the
lm-eval Π_self interval aggregations. Inspect recomputes metrics for its progress display at
most about once a second, so the metric time bounds that overhead too.

Run: python benchmarks/bench_harness_metrics.py [--draws 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best(label: str, func, repeats: int) -> object:  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - t0)
    print(f"{label:<52s}{min(times) * 1000:9.1f} ms (best of {repeats})", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from inspect_ai.scorer import SampleScore, Score

    from pinocchio_eval.inspect_task.scorer import mean_by_condition, parse_rate, pi_self
    from pinocchio_eval.inspect_task.task import build_samples
    from pinocchio_eval.lmeval.utils import pi_self_hi_aggregate, pi_self_lo_aggregate
    from pinocchio_eval.task_version import battery_fingerprint

    samples = _best("Inspect dataset, analysed set, 2 conditions",
                    lambda: build_samples("neutral,human_simulation"), args.repeats)
    _best("battery fingerprint", battery_fingerprint, args.repeats)
    rng = np.random.default_rng(0)
    scores = []
    for s in samples:  # type: ignore[union-attr]
        meta = s.metadata
        ok = rng.random() < 0.9
        rating = float(rng.integers(meta["scale_min"], meta["scale_max"] + 1)) if ok else np.nan
        norm = ((rating - meta["scale_min"]) / (meta["scale_max"] - meta["scale_min"])
                if ok else np.nan)
        scores.append(SampleScore(score=Score(value={"rating": rating, "normalised": norm,
                                                     "ok": float(ok), "refusal": 0.0,
                                                     "expected": np.nan}),
                                  sample_id=s.id, sample_metadata=meta))
    print(f"samples: {len(scores)}")
    m = _best(f"Inspect pi_self metric ({args.draws} draws)",
              lambda: pi_self(bootstrap=args.draws)(scores), args.repeats)
    _best("Inspect parse_rate + mean_by_condition", lambda: (parse_rate()(scores),
                                                             mean_by_condition()(scores)),
          args.repeats)
    records = [(s.sample_metadata["condition"], s.sample_metadata["questionnaire"],
                s.sample_metadata["item_index"], s.score.value["rating"]) for s in scores]
    _best("lm-eval pi_self_lo + pi_self_hi aggregations",
          lambda: (pi_self_lo_aggregate(records), pi_self_hi_aggregate(records)), args.repeats)
    print("pi_self of the random run: " + ", ".join(f"{k}={v:.4f}" for k, v in m.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
