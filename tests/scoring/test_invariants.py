"""Properties every correct Π must have, checked on panels hypothesis draws.

Order of rows, models and items does not matter; a rerun of the same answers changes nothing;
swapping the two conditions negates Π_self; a bootstrap draw that takes every questionnaire
once is the point estimate; z-scores are centred, so on a complete panel Π_panel sums to 0;
one affine rescaling of an item in both conditions leaves Π_panel alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from pinocchio_eval.scoring import MappingCatalog
from pinocchio_eval.scoring import bootstrap as bs
from pinocchio_eval.scoring.engine import ScoringError, score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.items import PanelData, item_table
from pinocchio_eval.scoring.panel import fit_panel, zscores
from pinocchio_eval.scoring.selfanchored import self_matrices

CAT = MappingCatalog({"A": (-100, 100), "B": (-100, 100), "C": (-100, 100)})
SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def panels(draw, allow_missing: bool = True):
    """A models × items panel in neutral and human_simulation, three questionnaires, answers
    1-5, some cells missing, plus a Π_self weight table over the same items."""
    n_models = draw(st.integers(5, 8))
    n_items = draw(st.integers(3, 7))
    cells = hnp.arrays(np.int64, (n_models, n_items), elements=st.integers(1, 5))
    neutral, human = draw(cells), draw(cells)
    gaps = hnp.arrays(bool, (n_models, n_items),
                      elements=st.sampled_from([False] * 7 + [True]) if allow_missing
                      else st.just(False))
    gap_n, gap_h = draw(gaps), draw(gaps)
    qs = [("ABC"[k % 3], k // 3) for k in range(n_items)]
    rows = []
    for cond, x, gap in (("neutral", neutral, gap_n), ("human_simulation", human, gap_h)):
        for m in range(n_models):
            for k, (q, i) in enumerate(qs):
                if not gap[m, k]:
                    rows.append({"model": f"m{m}", "condition": cond, "questionnaire": q,
                                 "item_index": i, "response": int(x[m, k])})
    assume({r["condition"] for r in rows} == {"neutral", "human_simulation"})
    r = draw(hnp.arrays(float, n_items, elements=st.floats(-1, 1, allow_subnormal=False)))
    var = draw(hnp.arrays(float, n_items, elements=st.floats(0.05, 4)))
    weights = pd.DataFrame({"questionnaire": [q for q, _ in qs],
                            "item_index": [i for _, i in qs], "r_pc1": r, "var": var})
    return pd.DataFrame(rows), weights


def _assume_no_pi_at_one(table: pd.DataFrame) -> None:
    """Skip panels with an item whose π is 1 in exact arithmetic.

    Its weight ln π is then ±1e-16 depending on the summation order, and the rule "keep
    w > 0" lets that rounding decide whether the item counts: a known edge of the method
    (reported), not what these properties are about.
    """
    pi = item_table(PanelData.from_clean(clean_responses(table, CAT)))["pi"].to_numpy()
    assume(not np.any(np.abs(pi[~np.isnan(pi)] - 1) < 1e-9))


def _score(table, weights, **kw) -> pd.DataFrame:
    try:
        res = score_table(table, methods=("panel", "self"), catalog=CAT, weights=weights, **kw)
    except ScoringError:
        assume(False)
    return res.scores.set_index("model")[["pi_panel", "pi_self"]]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index(), check_exact=False,
                                  atol=1e-10, rtol=0)


@SETTINGS
@given(panels(), st.randoms(use_true_random=False))
def test_order_of_rows_models_and_items_does_not_matter(data, rnd):
    table, weights = data
    _assume_no_pi_at_one(table)
    base = _score(table, weights)
    shuffled = table.sample(frac=1, random_state=rnd.randint(0, 2**31)).reset_index(drop=True)
    # renaming reverses the sorted order of models and questionnaires
    model_map = {f"m{k}": f"z{9 - k}" for k in range(10)}
    q_map = {"A": "C", "B": "B", "C": "A"}
    shuffled = shuffled.assign(model=shuffled["model"].map(model_map),
                               questionnaire=shuffled["questionnaire"].map(q_map))
    w = weights.assign(questionnaire=weights["questionnaire"].map(q_map)).sample(
        frac=1, random_state=rnd.randint(0, 2**31))
    again = _score(shuffled, w).rename(index={v: k for k, v in model_map.items()})
    _same(base, again)


@SETTINGS
@given(panels())
def test_a_rerun_of_the_same_answers_changes_nothing(data):
    table, weights = data
    twice = pd.concat([table.assign(epoch=1), table.assign(epoch=2)], ignore_index=True)
    _same(_score(table, weights), _score(twice, weights))


@SETTINGS
@given(panels())
def test_swapping_the_conditions_negates_pi_self(data):
    table, weights = data
    swap = {"neutral": "human_simulation", "human_simulation": "neutral"}
    a = _score(table, weights)["pi_self"]
    b = _score(table.assign(condition=table["condition"].map(swap)), weights)["pi_self"]
    pd.testing.assert_series_equal(a, -b, check_exact=False, atol=1e-10, rtol=0)


@SETTINGS
@given(panels())
def test_bootstrap_draw_of_every_questionnaire_once_is_the_point_estimate(data):
    table, weights = data
    panel = PanelData.from_clean(clean_responses(table, CAT))
    codes, units = panel.unit_codes("group")
    fit = fit_panel(panel)
    assume((fit.weights > 0).any())
    ones = np.ones((2, len(units)), dtype=int)
    z = zscores(panel.matrix("neutral"), fit.mean, fit.sd)
    point = _score(table, weights)
    draws = bs.panel_draws(z, fit.pi, codes, ones)
    np.testing.assert_allclose(draws[:, 0], point["pi_panel"].to_numpy(), atol=1e-10)
    np.testing.assert_allclose(draws[:, 1], draws[:, 0], atol=0)
    r, s, _ = self_matrices(panel.items, weights)
    sd = bs.self_draws(panel.matrix("neutral"), panel.matrix("human_simulation"), r, s, codes,
                       ones)
    np.testing.assert_allclose(sd[:, 0], point["pi_self"].to_numpy(), atol=1e-10)


@SETTINGS
@given(panels(allow_missing=False))
def test_pi_panel_sums_to_zero_on_a_complete_panel(data):
    table, weights = data
    s = _score(table, weights)["pi_panel"]
    assume(s.notna().all())
    assert s.sum() == pytest.approx(0.0, abs=1e-9)


@SETTINGS
@given(panels(), st.integers(2, 5), st.integers(-3, 3))
def test_one_affine_rescaling_of_an_item_leaves_pi_panel_alone(data, a, b):
    table, weights = data
    _assume_no_pi_at_one(table)
    key = table[["questionnaire", "item_index"]].iloc[0]
    on = (table["questionnaire"] == key.iloc[0]) & (table["item_index"] == key.iloc[1])
    moved = table.assign(response=np.where(on, a * table["response"] + b, table["response"]))
    base, again = _score(table, weights)["pi_panel"], _score(moved, weights)["pi_panel"]
    pd.testing.assert_series_equal(base, again, check_exact=False, atol=1e-9, rtol=0)


@SETTINGS
@given(panels())
def test_a_model_answering_as_the_human_would_scores_zero_self(data):
    table, weights = data
    neutral = table[table["condition"] == "neutral"]
    assume(not neutral.empty)
    mirror = pd.concat([neutral, neutral.assign(condition="human_simulation")])
    s = _score(mirror, weights)["pi_self"]
    assert ((s.abs() < 1e-12) | s.isna()).all()
