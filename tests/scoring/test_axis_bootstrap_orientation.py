"""Π_axis bootstrap draws: when a draw is turned to agree with the reference (two reference
values are enough, a flat one orients nothing), and the interval the engine reports, redone
with scikit-learn's PCA on every resampled set of questionnaires."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from pinocchio_eval.scoring import bootstrap as bs
from pinocchio_eval.scoring.axis import fit_axis, group_scores
from pinocchio_eval.scoring.engine import score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.items import PanelData
from pinocchio_eval.scoring.synthetic import make_panel, small_spec

TIGHT = 1e-9
# 4 models × 2 questionnaires, every model answered both: one draw taking each once
F = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.5], [4.0, 5.0]])
ONCE = np.array([[1, 1]])


def test_two_reference_values_are_enough_to_orient_a_draw() -> None:
    nan = np.nan
    up = bs.axis_draws(F, np.array([nan, nan, 0.0, 1.0]), ONCE)[:, 0]
    down = bs.axis_draws(F, np.array([nan, nan, 1.0, 0.0]), ONCE)[:, 0]
    assert np.isfinite(up).all() and np.isfinite(down).all()
    # the two models with a reference value come out in the reference's order
    assert up[3] > up[2]
    assert down[2] > down[3]
    assert np.allclose(up, -down, atol=TIGHT, rtol=0)


def test_a_flat_reference_leaves_the_draw_as_no_reference_does() -> None:
    free = bs.axis_draws(F, np.full(4, np.nan), ONCE)[:, 0]
    flat = bs.axis_draws(F, np.full(4, 2.0), ONCE)[:, 0]   # no spread: no agreement to seek
    assert np.isfinite(free).all() and np.abs(free).max() > 0.5
    assert np.array_equal(flat, free)


def test_the_draw_keeping_every_questionnaire_once_is_the_point_axis_exactly() -> None:
    # fewer models than questionnaires (4 × 9): PC1 comes from the wide SVD, where LAPACK's
    # reduced and full decompositions round differently; the draw must repeat the point
    # estimate's own computation, so its numbers are the same, not merely close
    sp = make_panel(4, spec=small_spec(9, 4), seed=7)
    panel = PanelData.from_clean(clean_responses(sp.table, sp.catalog))
    fit, point = fit_axis(panel)
    f = group_scores(panel.matrix("neutral"), fit.groups)
    assert f.shape == (4, 9) and not np.isnan(f).any()
    want = point["pi_axis"].to_numpy()
    got = bs.axis_draws(f, want, np.ones((1, 9), dtype=np.int64))[:, 0]
    assert np.isfinite(want).all()
    assert np.array_equal(got, want)


def _plain_interval(f: np.ndarray, point: np.ndarray, n_draws: int, seed: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Resample questionnaires with numpy's generator (each draw picks len(groups) of them
    with replacement), PCA each draw with scikit-learn on the models missing ≤ 20 %, turn it
    to correlate positively with the point Π_axis, and take the 2.5th and 97.5th percentiles."""
    n_groups = f.shape[1]
    picks = np.random.default_rng(seed).integers(0, n_groups, size=(n_draws, n_groups))
    draws = np.full((f.shape[0], n_draws), np.nan)
    for b in range(n_draws):
        fb = f[:, np.sort(picks[b])]
        kept = np.isnan(fb).mean(axis=1) <= 0.2
        if kept.sum() < 3:
            continue
        xs = StandardScaler().fit_transform(np.nan_to_num(fb[kept], nan=0.0))
        pc1 = PCA(n_components=1).fit_transform(xs)[:, 0]
        if np.corrcoef(pc1, point[kept])[0, 1] < 0:
            pc1 = -pc1
        draws[kept, b] = pc1
    lo, hi = np.nanpercentile(draws, [2.5, 97.5], axis=1)
    return lo, hi


def test_axis_interval_is_the_percentile_interval_of_pca_on_resampled_questionnaires() -> None:
    sp = make_panel(12, spec=small_spec(4, 5), seed=3)
    res = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog, bootstrap=40,
                      seed=5)
    assert res.status["axis"].startswith("ok")
    s = res.scores
    panel, fit = res.panel, res.axis_fit
    assert panel is not None and fit is not None and len(fit.groups) == 4
    f = group_scores(panel.matrix("neutral"), fit.groups)
    point = s["pi_axis"].to_numpy()
    lo, hi = _plain_interval(f, point, 40, 5)
    assert np.isfinite(lo).all() and np.isfinite(hi).all() and (lo < hi).all()
    assert s["pi_axis_lo"].to_numpy() == pytest.approx(lo, abs=TIGHT)
    assert s["pi_axis_hi"].to_numpy() == pytest.approx(hi, abs=TIGHT)
