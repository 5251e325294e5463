"""Π_axis: the paper's Pinocchio Axis, PC1 of per-questionnaire first-factor scores.

Steps and the paper-mode differences: docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .efa import first_factor, stable_seed
from .matrices import PanelData

#: Models missing more than this share of questionnaires get no Π_axis.
MAX_MISSING_SHARE = 0.20


@dataclass
class GroupFit:
    """One questionnaire (or merged group)'s learned pieces."""

    name: str
    columns: np.ndarray      # positions in the panel's item axis
    mean: np.ndarray         # item means across models (for z)
    sd: np.ndarray           # item SDs, ddof 1
    loadings: np.ndarray
    method: str
    n_factors: int
    n_models: int


@dataclass
class AxisFit:
    groups: list[GroupFit]
    scaler_mean: np.ndarray
    scaler_scale: np.ndarray
    components: np.ndarray           # (2, n_groups): PC1 and PC2 directions
    explained: np.ndarray            # variance ratios of all PCs
    sign: float = 1.0
    orientation: str = "none"
    skipped: dict[str, str] = field(default_factory=dict)


def group_scores(x: np.ndarray, groups: list[GroupFit]) -> np.ndarray:
    """Models × groups first-factor scores (NaN where a model answered nothing in a group)."""
    out = np.full((x.shape[0], len(groups)), np.nan)
    for j, g in enumerate(groups):
        sub = x[:, g.columns]
        z = (sub - g.mean) / g.sd
        answered = ~np.isnan(z).all(axis=1)
        out[answered, j] = np.where(np.isnan(z), 0.0, z)[answered] @ g.loadings
    return out


def _fit_group(name: str, x: np.ndarray, cols: np.ndarray, seed: int,
               n_factors: int | None = None) -> GroupFit | str:
    sub = x[:, cols]
    complete = ~np.isnan(sub).any(axis=1)
    listwise = sub[complete]
    if listwise.shape[0] < 2:
        return f"fewer than 2 models answered every item ({int(complete.sum())})"
    keep = listwise.std(axis=0, ddof=0) > 0
    if keep.sum() < 2:
        return "fewer than 2 items vary across the complete models"
    ff = first_factor(listwise[:, keep], stable_seed(seed, name), n_factors=n_factors)
    cols = cols[keep]
    full = x[:, cols]
    mean = np.nanmean(full, axis=0)
    n = np.sum(~np.isnan(full), axis=0)
    sd = np.sqrt(np.nansum((full - mean) ** 2, axis=0) / np.maximum(n - 1, 1))
    return GroupFit(name=name, columns=cols, mean=mean, sd=np.where(sd > 0, sd, 1.0),
                    loadings=ff.loadings, method=ff.method, n_factors=ff.n_factors,
                    n_models=ff.n_models)


def fit_groups(panel: PanelData, condition: str = "neutral", seed: int = 0,
               factors: Mapping[str, int] | None = None
               ) -> tuple[list[GroupFit], dict[str, str]]:
    """Fit the first factor of every questionnaire group in one condition.

    ``factors`` (group name → number of factors) replaces parallel analysis where given.
    """
    factors = factors or {}
    x = panel.matrix(condition)
    codes, names = panel.unit_codes("group")
    fits, skipped = [], {}
    with single_threaded_blas():
        for k, name in enumerate(names):
            res = _fit_group(name, x, np.flatnonzero(codes == k), seed, factors.get(str(name)))
            if isinstance(res, str):
                skipped[str(name)] = res
            else:
                fits.append(res)
    return fits, skipped


def single_threaded_blas() -> Any:
    """Small matrices: BLAS threads only add contention (several times slower on a busy box)."""
    return threadpool_limits(limits=1)


def keep_models(f: np.ndarray, max_missing: float = MAX_MISSING_SHARE) -> np.ndarray:
    return np.isnan(f).mean(axis=1) <= max_missing + 1e-12


def standardise(f: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill missing with 0, then centre and scale columns (ddof 0; scale 1 for constants)."""
    filled = np.where(np.isnan(f), 0.0, f)
    mean = filled.mean(axis=0)
    scale = filled.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return (filled - mean) / scale, mean, scale


def pca_directions(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PCA of an already centred matrix: (components rows, explained-variance ratios)."""
    _, s, vt = np.linalg.svd(xs, full_matrices=False)
    # deterministic sign before orientation: largest |component| entry positive
    flip = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
    vt = vt * np.where(flip == 0, 1.0, flip)[:, None]
    var = s**2
    return vt, var / var.sum() if var.sum() > 0 else var


def fit_axis(panel: PanelData, seed: int = 0, orient_to: pd.Series | None = None,
             factors: Mapping[str, int] | None = None) -> tuple[AxisFit, pd.DataFrame]:
    """Fit the axis on the panel's neutral answers; return the fit and per-model scores.

    ``orient_to`` (model → score, normally Π_panel) fixes PC1's sign so the two correlate
    positively; without it the sign follows the sum of PC1's questionnaire loadings.
    ``factors`` fixes the number of factors per questionnaire (see :func:`fit_groups`).
    """
    answering = int(np.sum(~np.isnan(panel.matrix("neutral")).all(axis=1)))
    if answering < 3:
        raise ValueError(f"the axis method needs a panel of at least 3 models with neutral "
                         f"answers (input has {answering})")
    groups, skipped = fit_groups(panel, "neutral", seed, factors)
    if len(groups) < 2:
        shown = list(skipped.items())[:5]
        why = "; ".join(f"{k}: {v}" for k, v in shown)
        if len(skipped) > len(shown):
            why += f"; and {len(skipped) - len(shown)} more"
        raise ValueError("the axis method needs at least 2 questionnaires with a first factor "
                         f"(got {len(groups)}; skipped: {why})")
    f = group_scores(panel.matrix("neutral"), groups)
    rows = keep_models(f)
    if rows.sum() < 3:
        raise ValueError("the axis method needs at least 3 models answering ≥ 80 % of the "
                         "questionnaires")
    xs, mean, scale = standardise(f[rows])
    vt, ratio = pca_directions(xs)
    comps = np.zeros((2, len(groups)))
    comps[: min(2, len(vt))] = vt[:2]
    fit = AxisFit(groups=groups, scaler_mean=mean, scaler_scale=scale, components=comps,
                  explained=ratio, skipped=skipped)
    raw = project(fit, f)
    orient_axis(fit, raw, panel.models, orient_to)
    return fit, axis_frame(fit, panel.models, raw * fit.sign, f)


def project(fit: AxisFit, f: np.ndarray) -> np.ndarray:
    """Unoriented PC1 scores for a models × groups matrix (NaN for models with too many gaps)."""
    rows = keep_models(f)
    filled = np.where(np.isnan(f), 0.0, f)
    pc1 = ((filled - fit.scaler_mean) / fit.scaler_scale) @ fit.components[0]
    return np.where(rows, pc1, np.nan)


def orient_axis(fit: AxisFit, raw: np.ndarray, models: pd.Index,
                orient_to: pd.Series | None) -> None:
    if orient_to is not None:
        ref = orient_to.reindex(models).to_numpy(dtype=float)
        ok = ~(np.isnan(ref) | np.isnan(raw))
        if ok.sum() >= 3 and np.std(ref[ok]) > 0 and np.std(raw[ok]) > 0:
            r = np.corrcoef(raw[ok], ref[ok])[0, 1]
            fit.sign = -1.0 if r < 0 else 1.0
            fit.orientation = f"positive correlation with {orient_to.name or 'reference'}"
            return
    fit.sign = -1.0 if fit.components[0].sum() < 0 else 1.0
    fit.orientation = "positive sum of PC1 questionnaire loadings"


def axis_frame(fit: AxisFit, models: pd.Index, pc1: np.ndarray, f: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"model": models, "pi_axis": pc1,
                         "n_questionnaires_axis": (~np.isnan(f)).sum(axis=1)})


def score_axis(fit: AxisFit, neutral: np.ndarray, models: pd.Index) -> pd.DataFrame:
    """Place models on an already fitted axis (frozen norms).

    ``neutral`` must be aligned to the item axis the fit was made on (see norms).
    """
    f = group_scores(neutral, fit.groups)
    return axis_frame(fit, models, project(fit, f) * fit.sign, f)
