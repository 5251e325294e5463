"""How much Π_panel and Π_axis depend on which other models are in the panel.

Both methods learn from the panel (item norms, π weights, the axis), so a model's score and
rank move when the panel changes. Two ways to measure it, each a set of refits:

- ``loo``: one refit per model, leaving that model out of the fit;
- ``N`` (an integer): N refits on panels of models drawn with replacement.

Every refit scores *all* input models (a model outside the fit is placed on the refit's scale,
as frozen norms would), so ranks are always among the same n models and no rank moves merely
because a model above it was dropped. For leave-one-out, model i's range is taken over the
n − 1 refits that leave out some *other* model. Ranks: 1 = highest, ties share the best rank.
Π_self has no panel and does not change under any of this.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .axis import fit_axis, score_axis
from .matrices import PanelData
from .panel import fit_panel, weighted_scores, zscores

LEVEL = 95.0


def subpanel(panel: PanelData, rows: np.ndarray) -> PanelData:
    """The panel restricted to (or resampled to) the given model rows, in that order."""
    names = panel.models[rows]
    if len(set(names)) < len(names):  # a bootstrap panel: repeated models need distinct names
        names = pd.Index([f"{m}#{k}" for k, m in enumerate(names)], name="model")
    return PanelData(models=pd.Index(names, name="model"), items=panel.items,
                     matrices={c: m[rows] for c, m in panel.matrices.items()},
                     item_text=panel.item_text, groups=panel.groups)


def refit_scores(panel: PanelData, rows: np.ndarray, seed: int = 0
                 ) -> dict[str, np.ndarray]:
    """Fit the panel and axis methods on ``rows`` only; score every model of ``panel``."""
    sub = subpanel(panel, rows)
    fit = fit_panel(sub)
    z = zscores(panel.matrix("neutral"), fit.mean, fit.sd)
    pi_panel = weighted_scores(z, fit.weights)[0]
    out = {"pi_panel": pi_panel, "pi_axis": np.full(len(panel.models), np.nan)}
    sub_panel_series = pd.Series(pi_panel[rows], index=sub.models, name="Π_panel")
    try:
        afit, _ = fit_axis(sub, seed, orient_to=sub_panel_series)
    except ValueError:
        return out
    out["pi_axis"] = score_axis(afit, panel.matrix("neutral"), panel.models)[
        "pi_axis"].to_numpy()
    return out


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest; ties share the best rank; NaN stays NaN."""
    return pd.Series(values).rank(ascending=False, method="min").to_numpy()


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3:
        return float("nan")
    ra, rb = pd.Series(a[ok]).rank(), pd.Series(b[ok]).rank()
    return float(ra.corr(rb))


@dataclass
class Resampled:
    """Per-model ranges/intervals as columns, and the ranking's stability per method."""

    columns: pd.DataFrame
    stability: dict[str, Any] = field(default_factory=dict)


def _plan(n: int, mode: str | int, seed: int) -> tuple[list[np.ndarray], np.ndarray | None]:
    if mode == "loo":
        return [np.delete(np.arange(n), j) for j in range(n)], np.arange(n)
    rng = np.random.default_rng(seed)
    return [np.sort(rng.integers(0, n, size=n)) for _ in range(int(mode))], None


def _summarise(d: np.ndarray, r: np.ndarray, col: str, loo: bool) -> dict[str, np.ndarray]:
    key = col[3:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a model with no score anywhere
        if loo:
            return {f"{col}_loo_min": np.nanmin(d, axis=1), f"{col}_loo_max": np.nanmax(d, axis=1),
                    f"rank_{key}_loo_min": np.nanmin(r, axis=1),
                    f"rank_{key}_loo_max": np.nanmax(r, axis=1)}
        tail = (100.0 - LEVEL) / 2
        lo, hi = np.nanpercentile(d, [tail, 100 - tail], axis=1)
        # ranks stay whole numbers: the interval widens outward to the nearest observed rank
        rlo = np.nanpercentile(r, tail, axis=1, method="lower")
        rhi = np.nanpercentile(r, 100 - tail, axis=1, method="higher")
        return {f"{col}_rs_lo": lo, f"{col}_rs_hi": hi, f"rank_{key}_rs_lo": rlo,
                f"rank_{key}_rs_hi": rhi}


def resample(panel: PanelData, full: pd.DataFrame, mode: str | int, seed: int = 0,
             methods: tuple[str, ...] = ("panel", "axis")) -> Resampled:
    """Refit per ``mode`` and summarise; ``full`` holds the full-panel ``pi_*`` per model.

    Stability is the Spearman correlation of each refit's scores (all n models) with the
    full-panel scores: its median and minimum over refits.
    """
    n = len(panel.models)
    plans, left_out = _plan(n, mode, seed)
    draws = {f"pi_{m}": np.full((n, len(plans)), np.nan) for m in methods}
    for b, rows in enumerate(plans):
        got = refit_scores(panel, rows, seed)
        for col in draws:
            draws[col][:, b] = got[col]
    base = full.set_index("model").reindex(panel.models)
    cols = pd.DataFrame({"model": panel.models})
    stability: dict[str, Any] = {"mode": "leave-one-out" if mode == "loo" else "bootstrap",
                                 "refits": len(plans), "seed": seed}
    for col, raw in draws.items():
        ref = base[col].to_numpy(dtype=float) if col in base else np.full(n, np.nan)
        rho = np.array([spearman(raw[:, b], ref) for b in range(raw.shape[1])])
        r = np.column_stack([ranks(raw[:, b]) for b in range(raw.shape[1])])
        d = raw.copy()
        if left_out is not None:  # a model's range excludes the refit it was left out of
            d[left_out, np.arange(n)] = np.nan
            r[left_out, np.arange(n)] = np.nan
        for name, values in _summarise(d, r, col, left_out is not None).items():
            cols[name] = values
        rho = rho[np.isfinite(rho)]
        stability[col] = {"median_spearman": float(np.median(rho)) if len(rho) else None,
                          "min_spearman": float(np.min(rho)) if len(rho) else None,
                          "refits_scored": int(len(rho))}
    return Resampled(columns=cols, stability=stability)
