"""Π by provider (η² and its interval) and over release date (OLS, band, Cook's distance).

Every number is checked against a second route: hand arithmetic, plain loops or scipy/numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pinocchio_eval.scoring.providers import (
    between_share,
    eta_squared,
    group_analysis,
    group_summary,
)
from pinocchio_eval.scoring.trend import fit_line, release_trend, years


def test_eta_squared_worked_example():
    # means 1.5, 3.5, 5.5 around 3.5: SS_between = 2·(4 + 0 + 4) = 16; SS_total = 17.5
    v = np.array([1, 2, 3, 4, 5, 6], dtype=float)
    g = np.array(["a", "a", "b", "b", "c", "c"])
    assert eta_squared(v, g) == pytest.approx(16 / 17.5)
    assert eta_squared(v, np.array(["a"] * 6)) == pytest.approx(0.0)
    assert np.isnan(eta_squared(np.ones(4), np.array(list("aabb"))))


def test_between_share_interval_by_plain_loop():
    rng = np.random.default_rng(3)
    groups = pd.Series(np.repeat(["p", "q", "r", "s"], 5))
    values = pd.Series(rng.normal(size=20) + np.repeat([0.0, 1.0, 0.0, -1.0], 5))
    got = between_share(values, groups, n_boot=300, seed=7)
    # the same draws, recomputed with a hand-written η² in a plain loop
    draws = []
    picks = np.random.default_rng(7).integers(0, 20, size=(300, 20))
    for p in picks:
        v, g = values.to_numpy()[p], groups.to_numpy()[p]
        grand = v.mean()
        ssb = sum(len(v[g == k]) * (v[g == k].mean() - grand) ** 2 for k in set(g))
        draws.append(ssb / ((v - grand) ** 2).sum())
    lo, hi = np.percentile(draws, [2.5, 97.5])
    assert got["ci_low"] == pytest.approx(lo) and got["ci_high"] == pytest.approx(hi)
    assert got["chance"] == pytest.approx(3 / 19)
    assert got["n_models"] == 20 and got["n_groups"] == 4
    assert got["ci_low"] <= got["share"] <= got["ci_high"]


def test_group_summary_by_hand():
    scores = pd.DataFrame({"model": list("abcde"), "pi_panel": [1.0, 3.0, -1.0, np.nan, 2.0],
                           "pi_self": [0.1, 0.2, 0.3, 0.4, 0.5]})
    facts = pd.DataFrame({"provider": ["x", "x", "y", "y", "z"]}, index=list("abcde"))
    s = group_summary(scores, facts).set_index(["provider", "method"])
    assert s.loc[("x", "pi_panel")].tolist() == [2, 2.0, 1.0, 3.0]
    assert s.loc[("y", "pi_panel")].tolist() == [1, -1.0, -1.0, -1.0]  # NaN model left out
    assert s.loc[("y", "pi_self"), "mean"] == pytest.approx(0.35)
    out = group_analysis(scores, facts, n_boot=50)
    assert set(out) == {"provider"}  # no family column: no family section


def test_fit_line_matches_scipy_and_cooks_by_leave_one_out():
    rng = np.random.default_rng(1)
    x = np.linspace(2023, 2026, 12)
    y = 0.3 - 0.2 * (x - 2023) + rng.normal(scale=0.1, size=12)
    y[3] += 0.8  # an outlier
    fit = fit_line(x, y)
    ref = stats.linregress(x, y)
    assert fit.slope == pytest.approx(ref.slope) and fit.intercept == pytest.approx(ref.intercept)
    assert fit.slope_se == pytest.approx(ref.stderr) and fit.p_value == pytest.approx(ref.pvalue)
    t = stats.t.ppf(0.975, 10)
    assert fit.slope_ci == pytest.approx((ref.slope - t * ref.stderr, ref.slope + t * ref.stderr))
    # Cook's distance by its definition: shift of all fitted values when point i is dropped
    yhat = fit.intercept + fit.slope * x
    s2 = np.sum((y - yhat) ** 2) / 10
    for i in range(12):
        keep = np.arange(12) != i
        b, a = np.polyfit(x[keep], y[keep], 1)
        d = np.sum((yhat - (a + b * x)) ** 2) / (2 * s2)
        assert fit.cooks[i] == pytest.approx(d)
    # the band at x̄ is the mean ± t·s/√n
    lo, hi = fit.band(np.array([x.mean()]))
    half = t * np.sqrt(s2 / 12)
    assert (hi - lo)[0] / 2 == pytest.approx(half)


def test_release_trend_flags_a_planted_cluster_and_refits_without_it():
    dates = pd.Series(pd.to_datetime([f"2024-{m:02d}-15" for m in range(1, 11)]
                                     + ["2025-06-01", "2025-06-10"]))
    rng = np.random.default_rng(0)
    values = pd.Series(np.r_[rng.normal(0, 0.05, 10), -2.0, -2.2])  # a late low cluster
    models = pd.Series([f"m{i}" for i in range(12)])
    tr = release_trend(models, dates, values)
    names = [i["model"] for i in tr["influential"]]
    assert set(names) >= {"m10", "m11"}
    keep = ~models.isin(names)
    b = np.polyfit(years(dates[keep]), values[keep], 1)[0]
    assert tr["without_influential"]["slope_per_year"] == pytest.approx(b)
    assert tr["all"]["slope_per_year"] < tr["without_influential"]["slope_per_year"]
    assert tr["cooks_cutoff"] == pytest.approx(4 / 12)


def test_release_trend_needs_three_dated_models():
    s = pd.Series([1.0, 2.0, 3.0])
    d = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-01", None]))
    assert release_trend(pd.Series(list("abc")), d, s) is None
    assert years(pd.Series(pd.to_datetime(["2025-01-01"])))[0] == pytest.approx(2025.0)


def test_unknown_provider_is_not_a_group_in_the_share():
    """Models whose maker is unknown are listed, but pooling them as one "provider" would
    invent a group: the between share is η² over the models with a known provider only."""
    scores = pd.DataFrame({"model": list("abcdefg"),
                           "pi_panel": [1.0, 1.2, -1.0, -0.8, 5.0, -4.0, 0.3]})
    facts = pd.DataFrame({"provider": ["x", "x", "y", "y", "unknown", "unknown", "unknown"]},
                         index=list("abcdefg"))
    out = group_analysis(scores, facts, n_boot=0)["provider"]
    share = out["between_share"]["pi_panel"]
    assert share["n_models"] == 4 and share["n_groups"] == 2
    assert share["share"] == pytest.approx(eta_squared(np.array([1.0, 1.2, -1.0, -0.8]),
                                                       np.array(list("xxyy"))))
    assert "unknown" in {g["provider"] for g in out["groups"]}  # still listed


def test_no_known_provider_gives_no_share_and_no_warning():
    import warnings

    scores = pd.DataFrame({"model": list("abc"), "pi_panel": [1.0, 2.0, 0.5]})
    facts = pd.DataFrame({"provider": ["unknown"] * 3}, index=list("abc"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        share = group_analysis(scores, facts, n_boot=10)["provider"]["between_share"]
    assert share["pi_panel"]["n_models"] == 0 and np.isnan(share["pi_panel"]["share"])


def test_slope_sentence_never_calls_influential_models_absent():
    """Influential models can leave too few dated models for the second fit: the
    sentence names it instead of saying that no model is influential."""
    from pinocchio_eval.leaderboard.timeline import slope_sentence
    from pinocchio_eval.scoring.trend import public

    dates = pd.Series(pd.to_datetime(["2024-01-01", "2024-03-01", "2024-06-01", "2025-06-01"]))
    models = pd.Series(list("abcd"))
    tr = public(release_trend(models, dates, pd.Series([0.0, 0.1, -0.1, 3.0]), cooks_cutoff=0.1))
    assert tr["influential"] and tr["without_influential"] is None
    text = slope_sentence({"method": "pi_panel", **tr})
    assert "no model is influential" not in text
    assert all(i["model"] in text for i in tr["influential"])
