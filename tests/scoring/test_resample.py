"""--panel-resample: leave-one-out ranges exact against refits done by hand, bootstrap refits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pinocchio_eval.scoring import PanelNorms, score_table
from pinocchio_eval.scoring.resample import ranks, resample
from pinocchio_eval.scoring.synthetic import make_panel, small_spec


@pytest.fixture(scope="module")
def panel():
    sp = make_panel(8, spec=small_spec(5, 6), seed=5)
    res = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog)
    return sp, res


@pytest.fixture(scope="module")
def loo(panel):
    _, res = panel
    return resample(res.panel, res.scores, "loo", seed=0)


def test_loo_ranges_equal_refits_done_by_hand(panel, loo):
    sp, res = panel
    models = list(res.panel.models)
    # by hand: drop model j from the *response table*, score the rest from scratch, and
    # place every model (j too) on that refit with frozen norms
    refit = {}
    for j in models:
        sub = sp.table[sp.table["model"] != j]
        own = score_table(sub, methods=("panel", "axis"), catalog=sp.catalog).scores
        norms = PanelNorms(catalog=sp.catalog).fit(sub)
        placed = norms.transform(sp.table).set_index("model")
        # the frozen-norms placement agrees with the from-scratch fit on the fitted models
        mine = own.set_index("model")
        for col in ("pi_panel", "pi_axis"):
            assert placed.loc[mine.index, col].to_numpy() == pytest.approx(
                mine[col].to_numpy())
        refit[j] = placed
    got = loo.columns.set_index("model")
    for col in ("pi_panel", "pi_axis"):
        for i in models:
            others = [refit[j].loc[i, col] for j in models if j != i]
            assert got.loc[i, f"{col}_loo_min"] == pytest.approx(min(others))
            assert got.loc[i, f"{col}_loo_max"] == pytest.approx(max(others))
            # rank among all 8 models in each refit, best = 1, plain counting
            rk = [1 + sum(refit[j].loc[k, col] > refit[j].loc[i, col] for k in models)
                  for j in models if j != i]
            assert got.loc[i, f"rank_{col[3:]}_loo_min"] == min(rk)
            assert got.loc[i, f"rank_{col[3:]}_loo_max"] == max(rk)
    # stability: median Spearman of each refit's scores with the full panel's
    full = res.scores.set_index("model")["pi_panel"]
    rhos = [refit[j]["pi_panel"].reindex(models).rank().corr(full.reindex(models).rank())
            for j in models]
    assert loo.stability["pi_panel"]["median_spearman"] == pytest.approx(np.median(rhos))
    assert loo.stability["refits"] == 8 and loo.stability["mode"] == "leave-one-out"


def test_full_score_lies_inside_a_wide_enough_range(panel, loo):
    _, res = panel
    t = res.scores.merge(loo.columns, on="model")
    assert (t["pi_panel_loo_min"] <= t["pi_panel_loo_max"]).all()
    assert t[["rank_panel_loo_min", "rank_panel_loo_max"]].stack().between(1, 8).all()


def test_bootstrap_refits_are_seeded_and_ordered(panel):
    _, res = panel
    a = resample(res.panel, res.scores, 6, seed=3, methods=("panel",))
    b = resample(res.panel, res.scores, 6, seed=3, methods=("panel",))
    pd.testing.assert_frame_equal(a.columns, b.columns)
    c = a.columns
    assert list(c.columns) == ["model", "pi_panel_rs_lo", "pi_panel_rs_hi",
                               "rank_panel_rs_lo", "rank_panel_rs_hi"]
    assert (c["pi_panel_rs_lo"] <= c["pi_panel_rs_hi"]).all()
    ranks_seen = c[["rank_panel_rs_lo", "rank_panel_rs_hi"]].to_numpy()
    assert (ranks_seen == np.round(ranks_seen)).all() and (ranks_seen >= 1).all()
    assert a.stability["refits"] == 6 and a.stability["mode"] == "bootstrap"


def test_ranks_ties_share_the_best_rank():
    assert ranks(np.array([0.5, 2.0, 0.5, np.nan])).tolist()[:3] == [2.0, 1.0, 2.0]


def test_bootstrap_intervals_equal_refits_on_resampled_tables(panel):
    sp, res = panel
    a = resample(res.panel, res.scores, 4, seed=9, methods=("panel", "axis"))
    models = list(res.panel.models)
    rng = np.random.default_rng(9)  # the documented draw: n models with replacement, sorted
    draws = {"pi_panel": [], "pi_axis": []}
    for _ in range(4):
        rows = np.sort(rng.integers(0, len(models), size=len(models)))
        table = pd.concat([sp.table[sp.table["model"] == models[r]].assign(model=f"{k:02d}")
                           for k, r in enumerate(rows)])
        placed = PanelNorms(catalog=sp.catalog).fit(table).transform(sp.table)
        placed = placed.set_index("model").reindex(models)
        for col in draws:
            draws[col].append(placed[col].to_numpy())
    got = a.columns.set_index("model").reindex(models)
    for col, d in draws.items():
        lo, hi = np.percentile(np.column_stack(d), [2.5, 97.5], axis=1)
        assert got[f"{col}_rs_lo"].to_numpy() == pytest.approx(lo, rel=1e-6, abs=1e-9)
        assert got[f"{col}_rs_hi"].to_numpy() == pytest.approx(hi, rel=1e-6, abs=1e-9)
