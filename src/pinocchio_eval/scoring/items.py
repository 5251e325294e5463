"""The per-item π table: variances per condition, π_i, its cap and the log weights.

π and its weights are defined in docs/methods.md; the matrices they are computed on are
:class:`~.matrices.PanelData`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .matrices import PanelData  # also importable from here, its old home

#: Minimum number of models with an answer in *each* condition before π_i is defined.
MIN_MODELS = 5
#: Percentile of π at which weights are capped (linear interpolation).
CAP_PERCENTILE = 99.0


def nan_var(x: np.ndarray, ddof: int) -> tuple[np.ndarray, np.ndarray]:
    """Column variance ignoring NaN, and the count; NaN where count <= ddof."""
    n = np.sum(~np.isnan(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
        dev = np.where(np.isnan(x), 0.0, x - mean)
        var = np.sum(dev * dev, axis=0) / (n - ddof)
    var = np.where(n > ddof, var, np.nan)
    return var, n


def pi_values(neutral: np.ndarray, human: np.ndarray,
              min_models: int = MIN_MODELS) -> tuple[np.ndarray, ...]:
    """π_i = Var_neutral / Var_human (ddof 1); NaN unless ≥ min_models each and Var_human > 0."""
    vn, nn = nan_var(neutral, ddof=1)
    vh, nh = nan_var(human, ddof=1)
    ok = (nn >= min_models) & (nh >= min_models) & (vh > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pi = np.where(ok, vn / np.where(ok, vh, 1.0), np.nan)
    return pi, vn, vh, nn, nh


def cap_value(pi: np.ndarray, percentile: float = CAP_PERCENTILE) -> float:
    """The weight cap: the given percentile of the defined π values (linear interpolation)."""
    valid = pi[~np.isnan(pi)]
    return float(np.percentile(valid, percentile)) if valid.size else np.nan


def log_weights(pi: np.ndarray, cap: float) -> np.ndarray:
    """w_i = ln(min(π_i, cap)), zero where not > 0 (those items do not count)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log(np.minimum(pi, cap))
    return np.where(np.isfinite(w) & (w > 0), w, 0.0)


def item_table(panel: PanelData, min_models: int = MIN_MODELS,
               percentile: float = CAP_PERCENTILE) -> pd.DataFrame:
    """Per item: variances and counts per condition, π, capped log weight and whether it counts."""
    pi, vn, vh, nn, nh = pi_values(panel.matrix("neutral"), panel.matrix("human_simulation"),
                                   min_models)
    cap = cap_value(pi, percentile)
    w = log_weights(pi, cap)
    out = pd.DataFrame({
        "questionnaire": panel.items.get_level_values(0),
        "item_index": panel.items.get_level_values(1).astype(int),
        "item": panel.item_text.to_numpy(),
        "n_neutral": nn, "n_human_simulation": nh,
        "var_neutral": vn, "var_human_simulation": vh,
        "pi": pi,
        "log_pi": np.log(np.where(pi > 0, pi, np.nan)),
        "weight": np.where(w > 0, w, np.nan),
        "capped": pi > cap,
        "used": w > 0,
    })
    out.attrs["cap"] = cap
    return out
