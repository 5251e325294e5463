"""Π by provider and by family: group summaries and the share of variance between groups.

The share is η² = SS_between / SS_total over models with a score. With k groups and n models
η² is positive even when groups do not matter (its expected value under no group effect is
(k − 1) / (n − 1)), so that chance level is reported beside it, and the interval comes from
resampling models with replacement (each draw recomputes η² on the drawn models).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

METHOD_COLUMNS = ("pi_panel", "pi_axis", "pi_self")
#: The provider given to a model whose maker neither the facts nor its id name. Such models
#: are no group of their own: pooled, they would make up a "provider" and move η².
UNKNOWN = "unknown"


def eta_squared(values: np.ndarray, groups: np.ndarray) -> float:
    """Share of the total sum of squares lying between group means (NaN if no spread)."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return float("nan")
    codes = pd.factorize(np.asarray(groups))[0]
    total = float(np.sum((values - values.mean()) ** 2))
    if total <= 0:
        return float("nan")
    sums = np.bincount(codes, weights=values)
    counts = np.bincount(codes)
    between = float(np.sum(counts * (sums / counts - values.mean()) ** 2))
    return between / total


def between_share(values: pd.Series, groups: pd.Series, n_boot: int = 1000, seed: int = 0,
                  level: float = 95.0) -> dict[str, Any]:
    """η² with a percentile interval over models resampled with replacement."""
    ok = values.notna() & groups.notna()
    v, g = values[ok].to_numpy(dtype=float), groups[ok].astype(str).to_numpy()
    n, k = len(v), len(set(g))
    out: dict[str, Any] = {"n_models": n, "n_groups": k, "share": eta_squared(v, g),
                           "chance": (k - 1) / (n - 1) if n > 1 else float("nan"),
                           "ci_low": float("nan"), "ci_high": float("nan"),
                           "draws": n_boot, "seed": seed}
    if n < 3 or k < 2 or n_boot <= 0:
        return out
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(n_boot, n))
    draws = np.array([eta_squared(v[p], g[p]) for p in picks])
    draws = draws[np.isfinite(draws)]
    if len(draws):
        tail = (100.0 - level) / 2
        out["ci_low"], out["ci_high"] = (float(x) for x in
                                         np.percentile(draws, [tail, 100.0 - tail]))
    return out


def group_summary(scores: pd.DataFrame, facts: pd.DataFrame, by: str = "provider"
                  ) -> pd.DataFrame:
    """Per group and method: n, mean, min and max of Π over the group's models."""
    t = scores.set_index("model").join(facts[[by]], how="left")
    rows = []
    for col in [c for c in METHOD_COLUMNS if c in t.columns and t[c].notna().any()]:
        for name, vals in t.dropna(subset=[by]).groupby(by, sort=True)[col]:
            vals = vals.dropna()
            if len(vals):
                rows.append({by: name, "method": col, "n": len(vals), "mean": vals.mean(),
                             "min": vals.min(), "max": vals.max()})
    return pd.DataFrame(rows, columns=[by, "method", "n", "mean", "min", "max"])


def group_analysis(scores: pd.DataFrame, facts: pd.DataFrame, n_boot: int = 1000,
                   seed: int = 0) -> dict[str, Any]:
    """Everything the report and the board show about providers and families, as plain data.

    Families are analysed only when the facts give at least one family with two models.
    Models of unknown provider are listed in the summary but left out of the between share.
    """
    out: dict[str, Any] = {}
    for by in ("provider", "family"):
        if by not in facts.columns or facts[by].isna().all():
            continue
        if by == "family" and not (facts[by].value_counts() >= 2).any():
            continue
        summary = group_summary(scores, facts, by)
        t = scores.set_index("model").join(facts[[by]], how="left")
        t[by] = t[by].mask(t[by].astype(str) == UNKNOWN)  # left out of the share (see UNKNOWN)
        shares = {col: between_share(t[col], t[by], n_boot, seed)
                  for col in METHOD_COLUMNS if col in t.columns and t[col].notna().any()}
        out[by] = {"groups": summary.to_dict(orient="records"), "between_share": shares}
    return out
