"""Π against release date: a least-squares trend, its 95 % band, and how much a few models drive it.

The paper reads a downward trend "largely driven by a cluster of high-end models". To make that a
number, the slope (Π per year) is reported twice: on every dated model, and without the
influential ones. A model is influential when its Cook's distance exceeds 4 / n (a common
rule of thumb; the cut-off is a parameter). Cook's distance is computed directly from the
hat matrix: D_i = e_i² h_ii / (p s² (1 − h_ii)²) with p = 2 parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

DAYS_PER_YEAR = 365.25


@dataclass
class TrendFit:
    """An ordinary least-squares line y = a + b·x with what is needed for bands and influence."""

    slope: float
    intercept: float
    slope_se: float
    slope_ci: tuple[float, float]
    p_value: float
    r2: float
    n: int
    x_mean: float
    sxx: float
    resid_sd: float
    cooks: np.ndarray = field(repr=False)

    def band(self, x: np.ndarray, level: float = 95.0) -> tuple[np.ndarray, np.ndarray]:
        """Confidence band of the fitted mean at ``x``."""
        t = stats.t.ppf(0.5 + level / 200.0, self.n - 2)
        se = self.resid_sd * np.sqrt(1.0 / self.n + (np.asarray(x) - self.x_mean) ** 2 / self.sxx)
        mid = self.intercept + self.slope * np.asarray(x)
        return mid - t * se, mid + t * se


def fit_line(x: np.ndarray, y: np.ndarray, level: float = 95.0) -> TrendFit:
    """OLS with the slope's t interval and every point's Cook's distance (needs n ≥ 3)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 3 or np.ptp(x) == 0:
        raise ValueError(f"a trend needs at least 3 points at 2 or more dates (got {n})")
    xm = x.mean()
    sxx = float(np.sum((x - xm) ** 2))
    slope = float(np.sum((x - xm) * (y - y.mean())) / sxx)
    intercept = float(y.mean() - slope * xm)
    resid = y - intercept - slope * x
    dof = n - 2
    s2 = float(np.sum(resid**2) / dof) if dof > 0 else float("nan")
    se = float(np.sqrt(s2 / sxx)) if dof > 0 else float("nan")
    t = stats.t.ppf(0.5 + level / 200.0, dof) if dof > 0 else float("nan")
    p = float(2 * stats.t.sf(abs(slope / se), dof)) if dof > 0 and se > 0 else float("nan")
    sst = float(np.sum((y - y.mean()) ** 2))
    h = 1.0 / n + (x - xm) ** 2 / sxx
    with np.errstate(invalid="ignore", divide="ignore"):
        cooks = resid**2 * h / (2 * s2 * (1 - h) ** 2)
    return TrendFit(slope=slope, intercept=intercept, slope_se=se,
                    slope_ci=(slope - t * se, slope + t * se), p_value=p,
                    r2=1 - float(np.sum(resid**2)) / sst if sst > 0 else float("nan"),
                    n=n, x_mean=float(xm), sxx=sxx, resid_sd=float(np.sqrt(s2)), cooks=cooks)


def years(dates: pd.Series) -> np.ndarray:
    """Dates as decimal years (2025-07-02 ≈ 2025.5), the slope's time unit."""
    d = pd.to_datetime(dates)
    return (d.dt.year + (d.dt.day_of_year - 1) / DAYS_PER_YEAR).to_numpy(dtype=float)


def _fit_dict(fit: TrendFit) -> dict[str, Any]:
    return {"n": fit.n, "slope_per_year": fit.slope, "ci_low": fit.slope_ci[0],
            "ci_high": fit.slope_ci[1], "p_value": fit.p_value, "r2": fit.r2}


def release_trend(models: pd.Series, dates: pd.Series, values: pd.Series,
                  cooks_cutoff: float | None = None) -> dict[str, Any] | None:
    """Trend of ``values`` over ``dates`` with and without the influential models.

    Returns None when fewer than 3 models have both a date and a value. ``cooks_cutoff``
    defaults to 4 / n.
    """
    ok = dates.notna().to_numpy() & values.notna().to_numpy()
    if ok.sum() < 3:
        return None
    m = models[ok].astype(str).to_numpy()
    x, y = years(dates[ok]), values[ok].to_numpy(dtype=float)
    try:
        full = fit_line(x, y)
    except ValueError:
        return None
    cut = 4.0 / full.n if cooks_cutoff is None else cooks_cutoff
    infl = np.flatnonzero(full.cooks > cut)
    order = infl[np.argsort(-full.cooks[infl])]
    out: dict[str, Any] = {
        "all": _fit_dict(full), "cooks_cutoff": cut,
        "rule": f"Cook's distance > {cut:.3g} (4 / n)" if cooks_cutoff is None
        else f"Cook's distance > {cut:.3g}",
        "influential": [{"model": m[i], "cooks_distance": float(full.cooks[i])}
                        for i in order],
        "without_influential": None,
        "_fit": full, "_x": x, "_y": y, "_models": m,
    }
    keep = np.setdiff1d(np.arange(len(x)), infl)
    if len(infl) and len(keep) >= 3:
        try:
            out["without_influential"] = _fit_dict(fit_line(x[keep], y[keep]))
        except ValueError:
            pass
    return out


def public(trend: dict[str, Any] | None) -> dict[str, Any] | None:
    """The trend without its private arrays (for JSON)."""
    return None if trend is None else {k: v for k, v in trend.items() if not k.startswith("_")}
