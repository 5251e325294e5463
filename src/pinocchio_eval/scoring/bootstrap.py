"""Percentile bootstrap over questionnaires, by reweighting instead of recomputing.

A draw resamples questionnaires (axis groups: the MFQ parts count as one) with replacement.
Because every per-item quantity (π, z, Π_self terms) and every per-questionnaire factor score
depends only on its own questionnaire, a draw is just a multiplicity per questionnaire: the
panel and self methods become one matrix product over all draws, and the axis method re-runs
only the small models × questionnaires PCA. Paper mode's bootstrap (the authors') is in
:mod:`.paper`; docs/methods.md compares the two.
"""

from __future__ import annotations

import warnings

import numpy as np

from .axis import keep_models, single_threaded_blas, standardise
from .items import CAP_PERCENTILE, log_weights
from .panel import weighted_scores
from .selfanchored import self_scores

LEVEL = 95.0


def draw_counts(n_units: int, n_draws: int, seed: int) -> np.ndarray:
    """(n_draws, n_units) multiplicities of resampled questionnaires."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_units, size=(n_draws, n_units))
    counts = np.zeros((n_draws, n_units), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(n_draws), n_units), picks.ravel()), 1)
    return counts


def weighted_percentile(values: np.ndarray, mult: np.ndarray, q: float) -> float:
    """np.percentile (linear) of the multiset where values[i] occurs mult[i] times.

    ``values`` must be sorted ascending and free of NaN.
    """
    cum = np.cumsum(mult)
    total = int(cum[-1]) if cum.size else 0
    if total == 0:
        return np.nan
    h = (total - 1) * q / 100.0
    lo = int(np.floor(h))
    hi = min(lo + 1, total - 1)
    v_lo = values[np.searchsorted(cum, lo, side="right")]
    v_hi = values[np.searchsorted(cum, hi, side="right")]
    return float(v_lo + (h - lo) * (v_hi - v_lo))


def interval(draws: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per row (model) over draws, ignoring draws that gave NaN."""
    tail = (100.0 - level) / 2
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: no interval
        lo, hi = np.nanpercentile(draws, [tail, 100.0 - tail], axis=1)
    return lo, hi


def panel_draws(z: np.ndarray, pi: np.ndarray, codes: np.ndarray, counts: np.ndarray,
                percentile: float = CAP_PERCENTILE) -> np.ndarray:
    """Π_panel for every draw: models × draws. The cap is recomputed on each draw's items."""
    valid = ~np.isnan(pi)
    order = np.argsort(pi[valid], kind="stable")
    sorted_pi = pi[valid][order]
    valid_codes = codes[valid][order]
    weights = np.empty((len(pi), len(counts)))
    for b, c in enumerate(counts):
        cap = weighted_percentile(sorted_pi, c[valid_codes], percentile)
        weights[:, b] = log_weights(pi, cap) * c[codes]
    return weighted_scores(z, weights)[0]


def self_draws(neutral: np.ndarray, human: np.ndarray, r: np.ndarray, s: np.ndarray,
               codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return self_scores(neutral, human, r, s, counts[:, codes].T.astype(float))[0]


def axis_draws(f: np.ndarray, reference: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """PC1 scores per draw on resampled questionnaire columns, sign-aligned to ``reference``."""
    out = np.full((f.shape[0], len(counts)), np.nan)
    with single_threaded_blas():
        _axis_loop(f, reference, counts, out)
    return out


def _axis_loop(f: np.ndarray, reference: np.ndarray, counts: np.ndarray, out: np.ndarray) -> None:
    for b, c in enumerate(counts):
        cols = np.repeat(np.arange(f.shape[1]), c)
        fb = f[:, cols]
        rows = keep_models(fb)
        if rows.sum() < 3:
            continue
        xs, _, _ = standardise(fb[rows])
        _, _, vt = np.linalg.svd(xs, full_matrices=False)
        pc1 = xs @ vt[0]
        ref = reference[rows]
        ok = ~np.isnan(ref)
        if ok.sum() >= 2 and np.dot(pc1[ok] - pc1[ok].mean(), ref[ok] - ref[ok].mean()) < 0:
            pc1 = -pc1
        out[rows, b] = pc1
