"""Planted-trait panels: every method must recover the latent order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.synthetic import make_panel, small_spec


@pytest.fixture(scope="module")
def planted():
    sp = make_panel(50, spec=small_spec(12, 10), seed=11)
    keys = sp.experiential.index
    # Π_self weights for the synthetic items: experiential items correlate with the trait
    weights = pd.DataFrame({
        "questionnaire": keys.get_level_values(0), "item_index": keys.get_level_values(1),
        "r_pc1": np.where(sp.experiential.to_numpy(), 0.7, 0.05), "var": 1.0})
    res = score_table(sp.table, catalog=sp.catalog, weights=weights, bootstrap=50, seed=1)
    return sp, res


@pytest.mark.parametrize("col", ["pi_panel", "pi_axis", "pi_self"])
def test_methods_recover_planted_order(planted, col):
    sp, res = planted
    s = res.scores.set_index("model")[col]
    rho = spearmanr(s, sp.theta.reindex(s.index)).statistic
    assert rho >= 0.9, f"{col}: Spearman {rho:.3f}"


def test_intervals_bracket_estimates(planted):
    _, res = planted
    for col in ("pi_panel", "pi_axis", "pi_self"):
        df = res.scores
        inside = (df[f"{col}_lo"] <= df[col] + 1e-9) & (df[col] <= df[f"{col}_hi"] + 1e-9)
        assert inside.mean() > 0.9, col


def test_axis_orientation_and_summary(planted):
    _, res = planted
    s = res.summary
    assert s["corr_pi_axis_pi_panel"]["pearson"] > 0
    assert 0 < s["pc2_variance"] < s["pc1_variance"] < 1
    assert res.status == {"panel": "ok", "self": "ok", "axis": "ok"}


def test_experiential_items_get_higher_pi(planted):
    sp, res = planted
    it = res.items.set_index(["questionnaire", "item_index"])
    exp = sp.experiential.reindex(it.index)
    assert it.loc[exp, "pi"].median() > 2 * it.loc[~exp, "pi"].median()


def test_full_battery_shape_self_with_shipped_weights():
    """On the real battery's item keys, Π_self from the shipped PC1 weights tracks the trait."""
    from pinocchio_eval.scoring.selfanchored import load_item_weights
    from pinocchio_eval.scoring.synthetic import battery_spec

    spec, w = battery_spec()
    exp = {(q, int(i)): r > 0.3 for q, i, r in zip(w.questionnaire, w.item_index, w.r_pc1,
                                                   strict=True)}
    sp = make_panel(20, spec=spec, seed=5, experiential=exp,
                    conditions=("neutral", "human_simulation"))
    res = score_table(sp.table, methods=("self",), catalog=sp.catalog,
                      weights=load_item_weights())
    s = res.scores.set_index("model")["pi_self"]
    assert spearmanr(s, sp.theta.reindex(s.index)).statistic >= 0.9
