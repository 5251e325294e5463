"""Π_panel: the paper's per-model score, a log-π-weighted mean of neutral z-scores.

Formula and the paper-mode differences: docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .items import CAP_PERCENTILE, MIN_MODELS, cap_value, log_weights, pi_values
from .matrices import PanelData


def item_norms(neutral: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-item mean and population SD (ddof 0) across models, ignoring missing answers."""
    n = np.sum(~np.isnan(neutral), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(neutral, axis=0) / n
        dev = np.where(np.isnan(neutral), 0.0, neutral - mean)
        sd = np.sqrt(np.sum(dev * dev, axis=0) / n)
    return mean, sd


def zscores(x: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """z per cell; NaN where the model has no answer or the item has SD 0 (no z)."""
    good = np.isfinite(sd) & (sd > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x - mean) / np.where(good, sd, 1.0)
    z[:, ~good] = np.nan
    return z


def weighted_scores(z: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ w·z / Σ w over the items where each model has a z; also the number of such items.

    ``weights`` may be a vector (n_items,) or a matrix (n_items, n_draws) for bootstraps.
    """
    has = ~np.isnan(z)
    z0 = np.where(has, z, 0.0)
    num = z0 @ weights
    den = has.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    n_used = has.astype(int) @ (np.asarray(weights) > 0).astype(int)
    return score, n_used


@dataclass
class PanelFit:
    """What the panel method learns from a panel: weights and neutral item norms."""

    pi: np.ndarray
    cap: float
    weights: np.ndarray   # 0 for items that do not count
    mean: np.ndarray
    sd: np.ndarray


def fit_panel(panel: PanelData, min_models: int = MIN_MODELS,
              percentile: float = CAP_PERCENTILE) -> PanelFit:
    neutral = panel.matrix("neutral")
    pi, *_ = pi_values(neutral, panel.matrix("human_simulation"), min_models)
    cap = cap_value(pi, percentile)
    mean, sd = item_norms(neutral)
    return PanelFit(pi=pi, cap=cap, weights=log_weights(pi, cap), mean=mean, sd=sd)


@dataclass
class PanelScores:
    """Π_panel of every model on a fit's norms, with the z-scores it came from."""

    fit: PanelFit
    z: np.ndarray          # models × items neutral z (NaN where no answer or SD 0)
    score: pd.Series       # Π_panel per model, indexed by model
    n_items: np.ndarray    # weighted items each score rests on

    @property
    def usable(self) -> bool:
        """False when no item earned a weight (every score is then NaN)."""
        return bool((self.fit.weights > 0).any())


def score_panel(panel: PanelData, min_models: int = MIN_MODELS,
                percentile: float = CAP_PERCENTILE) -> PanelScores:
    """Fit the panel method on ``panel`` and score its own models: the one sequence the engine
    and the frozen norms' ``fit`` share (fit → z → weighted mean)."""
    fit = fit_panel(panel, min_models, percentile)
    z = zscores(panel.matrix("neutral"), fit.mean, fit.sd)
    score, n = weighted_scores(z, fit.weights)
    return PanelScores(fit=fit, z=z, score=pd.Series(score, index=panel.models, name="Π_panel"),
                       n_items=n)
