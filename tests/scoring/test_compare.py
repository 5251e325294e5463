"""ΔΠ between two models: the point value, the paired bootstrap, per-questionnaire deltas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pinocchio_eval.scoring import ScoringError, score_table
from pinocchio_eval.scoring import bootstrap as bs
from pinocchio_eval.scoring.compare import compare_models
from pinocchio_eval.scoring.selfanchored import pi_self
from pinocchio_eval.scoring.synthetic import make_panel, small_spec


@pytest.fixture(scope="module")
def synthetic():
    sp = make_panel(6, spec=small_spec(6, 8), seed=2)
    weights = sp.self_weights()
    return sp, weights


def test_delta_is_the_difference_of_the_two_pi_self(synthetic):
    sp, w = synthetic
    cmp = compare_models(sp.table, "model-001", "model-004", n_boot=200, seed=1,
                         weights=w, catalog=sp.catalog)
    full = score_table(sp.table, methods=("self",), weights=w, catalog=sp.catalog).scores
    s = full.set_index("model")["pi_self"]
    assert cmp.delta_pi_self == pytest.approx(s["model-004"] - s["model-001"])
    assert cmp.pi_self_a == pytest.approx(s["model-001"])


def test_paired_interval_by_repeating_questionnaires(synthetic):
    sp, w = synthetic
    cmp = compare_models(sp.table, "model-001", "model-004", n_boot=200, seed=1,
                         weights=w, catalog=sp.catalog)
    # second route: each draw rebuilds a table with the drawn questionnaires repeated
    # (renamed so they stay distinct) and scores Π_self from scratch
    sub = sp.table[sp.table["model"].isin(["model-001", "model-004"])]
    names = sorted(sub["questionnaire"].unique())
    counts = bs.draw_counts(len(names), 200, 1)
    deltas = []
    for c in counts[:40]:
        parts, wparts = [], []
        for q, k in zip(names, c, strict=True):
            for rep in range(k):
                parts.append(sub[sub["questionnaire"] == q].assign(questionnaire=f"{q}#{rep}"))
                wparts.append(w[w["questionnaire"] == q].assign(questionnaire=f"{q}#{rep}"))
        t, ww = pd.concat(parts), pd.concat(wparts)
        cat = type(sp.catalog)({q: (1, 5) for q in t["questionnaire"].unique()})
        s = pi_self(t, weights=ww, catalog=cat).set_index("model")["pi_self"]
        deltas.append(s["model-004"] - s["model-001"])
    # the engine's reweighting gives the same per-draw values as the repeated tables
    from pinocchio_eval.scoring.hygiene import clean_responses
    from pinocchio_eval.scoring.matrices import PanelData
    from pinocchio_eval.scoring.selfanchored import self_matrices

    p = PanelData.from_clean(clean_responses(sub, catalog=sp.catalog))
    r, s_, _ = self_matrices(p.items, w)
    codes, _ = p.unit_codes("group")
    d = bs.self_draws(p.matrix("neutral"), p.matrix("human_simulation"), r, s_, codes, counts)
    assert (d[1] - d[0])[:40] == pytest.approx(np.array(deltas))
    lo, hi = np.percentile(d[1] - d[0], [2.5, 97.5])
    assert (cmp.ci_low, cmp.ci_high) == pytest.approx((lo, hi))


def test_per_questionnaire_delta_is_pi_self_on_that_questionnaire(synthetic):
    sp, w = synthetic
    cmp = compare_models(sp.table, "model-001", "model-004", n_boot=100, seed=1,
                         weights=w, catalog=sp.catalog)
    per = cmp.per_questionnaire.set_index("questionnaire")
    assert (per["delta"].abs().diff().dropna() <= 1e-12).all()  # largest |Δ| first
    for q, row in per.iterrows():
        t = sp.table[sp.table["questionnaire"] == q]
        s = pi_self(t, weights=w, catalog=sp.catalog).set_index("model")["pi_self"]
        assert row["delta"] == pytest.approx(s["model-004"] - s["model-001"])
        assert row["ci_low"] <= row["delta"] <= row["ci_high"]


def test_same_answers_give_zero_and_a_planted_shift_is_found(synthetic):
    sp, w = synthetic
    a = sp.table[sp.table["model"] == "model-002"]
    twin = a.assign(model="twin")
    same = compare_models(pd.concat([a, twin]), "model-002", "twin", n_boot=200, weights=w,
                          catalog=sp.catalog)
    assert same.delta_pi_self == 0 and same.ci_low == 0 and same.ci_high == 0
    exp = sp.experiential
    key = pd.MultiIndex.from_arrays([twin["questionnaire"], twin["item_index"]])
    hit = exp.reindex(key).to_numpy() & (twin["condition"] == "neutral").to_numpy()
    shifted = twin.assign(response=np.where(hit, np.minimum(twin["response"] + 1, 5),
                                            twin["response"]))
    moved = compare_models(pd.concat([a, shifted]), "model-002", "twin", n_boot=500,
                           weights=w, catalog=sp.catalog)
    assert moved.delta_pi_self > 0 and moved.ci_low > 0
    assert moved.to_dict()["excludes_zero"] is True


def test_errors_name_the_problem(synthetic):
    sp, w = synthetic
    with pytest.raises(ScoringError, match=r"\['nobody'\] not in the inputs"):
        compare_models(sp.table, "model-001", "nobody", weights=w, catalog=sp.catalog)
    with pytest.raises(ScoringError, match="the same model"):
        compare_models(sp.table, "model-001", "model-001", weights=w, catalog=sp.catalog)
    neutral_only = sp.table[sp.table["condition"] == "neutral"]
    with pytest.raises(ScoringError, match="neutral and human_simulation"):
        compare_models(neutral_only, "model-001", "model-002", weights=w, catalog=sp.catalog)


def test_panel_delta_on_frozen_norms(synthetic):
    from pinocchio_eval.scoring import PanelNorms

    sp, w = synthetic
    norms = PanelNorms(catalog=sp.catalog).fit(sp.table)
    cmp = compare_models(sp.table, "model-001", "model-004", n_boot=300, seed=2, weights=w,
                         catalog=sp.catalog, norms=norms)
    placed = norms.transform(sp.table).set_index("model")["pi_panel"]
    p = cmp.panel
    assert p["delta_pi_panel"] == pytest.approx(placed["model-004"] - placed["model-001"])
    assert p["pi_panel_a"] == pytest.approx(placed["model-001"])
    assert p["ci_low"] <= p["delta_pi_panel"] <= p["ci_high"]


def test_weights_follow_the_texts_the_models_were_shown():
    """A run in the source text mode shows BAI item 0 as "Fear of losing control", the text its
    shipped weight was estimated on: compare must use it exactly as score does (it used to
    look up the corrected text and drop that weight)."""
    from pinocchio_eval.scoring.synthetic import battery_spec

    spec = [s for s in battery_spec()[0] if s[0] == "BAI"]
    sp = make_panel(2, spec=spec, seed=3)
    assert (sp.table.loc[sp.table["item_index"] == 0, "item"] == "Fear of losing control").all()
    cmp = compare_models(sp.table, "model-000", "model-001", n_boot=0)
    full = score_table(sp.table, methods=("self",)).scores.set_index("model")
    assert cmp.n_items == int(full["n_items_self"].min())
    assert cmp.pi_self_a == pytest.approx(full.loc["model-000", "pi_self"], abs=1e-12)
    assert cmp.delta_pi_self == pytest.approx(
        full.loc["model-001", "pi_self"] - full.loc["model-000", "pi_self"], abs=1e-12)


def test_no_draws_makes_no_claim_about_zero(synthetic):
    """With --bootstrap 0 there is no interval: neither "includes 0" nor "excludes 0"."""
    from pinocchio_eval.commands.compare import render_text

    sp, w = synthetic
    doc = compare_models(sp.table, "model-001", "model-004", n_boot=0, weights=w,
                         catalog=sp.catalog).to_dict()
    assert doc["excludes_zero"] is None
    text = render_text(doc)
    assert "includes 0" not in text and "excludes 0" not in text and "nan" not in text
    assert "no interval" in text and "no claim" in text
    with_draws = compare_models(sp.table, "model-001", "model-004", n_boot=50, weights=w,
                                catalog=sp.catalog).to_dict()
    assert isinstance(with_draws["excludes_zero"], bool)
