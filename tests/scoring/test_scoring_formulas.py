"""Exact formulas on tiny hand-made panels, checked against plain-Python re-computations."""

from __future__ import annotations

import json
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from pinocchio_eval.scoring import MappingCatalog, PanelNorms, pi_self_from_means
from pinocchio_eval.scoring.bootstrap import draw_counts, weighted_percentile
from pinocchio_eval.scoring.engine import score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.items import item_table
from pinocchio_eval.scoring.matrices import PanelData

CAT = MappingCatalog({"A": (1, 5), "B": (0, 3)})

# 6 models × (A: items 0,1,2 ; B: items 0,1) in neutral and human_simulation
NEUTRAL = {
    "m1": {("A", 0): 1, ("A", 1): 5, ("A", 2): 3, ("B", 0): 0, ("B", 1): 2},
    "m2": {("A", 0): 2, ("A", 1): 4, ("A", 2): 3, ("B", 0): 1, ("B", 1): 2},
    "m3": {("A", 0): 5, ("A", 1): 1, ("A", 2): 3, ("B", 0): 3, ("B", 1): 1},
    "m4": {("A", 0): 4, ("A", 1): 2, ("A", 2): 3, ("B", 0): 2, ("B", 1): 3},
    "m5": {("A", 0): 3, ("A", 1): 3, ("A", 2): 3, ("B", 0): 3, ("B", 1): 0},
    "m6": {("A", 0): 5, ("A", 1): 2, ("A", 2): 3, ("B", 0): 1},            # no B1
}
HUMAN = {
    "m1": {("A", 0): 3, ("A", 1): 3, ("A", 2): 2, ("B", 0): 1, ("B", 1): 1},
    "m2": {("A", 0): 3, ("A", 1): 4, ("A", 2): 4, ("B", 0): 1, ("B", 1): 2},
    "m3": {("A", 0): 4, ("A", 1): 3, ("A", 2): 2, ("B", 0): 2, ("B", 1): 1},
    "m4": {("A", 0): 3, ("A", 1): 4, ("A", 2): 4, ("B", 0): 1, ("B", 1): 2},
    "m5": {("A", 0): 4, ("A", 1): 3, ("A", 2): 3, ("B", 0): 1, ("B", 1): 1},
    "m6": {("A", 0): 3, ("A", 1): 3, ("A", 2): 3, ("B", 0): 1, ("B", 1): 1},
}


def _table(neutral=NEUTRAL, human=HUMAN) -> pd.DataFrame:
    rows = []
    for cond, data in (("neutral", neutral), ("human_simulation", human)):
        for m, answers in data.items():
            for (q, i), v in answers.items():
                rows.append({"model": m, "condition": cond, "questionnaire": q,
                             "item_index": i, "item": f"{q}{i}", "response": v})
    return pd.DataFrame(rows)


def _expected_panel() -> dict[str, float]:
    """Π_panel recomputed the slow way, straight from DESIGN.md §2."""
    keys = sorted({k for d in NEUTRAL.values() for k in d})
    pis = {}
    for k in keys:
        n = [d[k] for d in NEUTRAL.values() if k in d]
        h = [d[k] for d in HUMAN.values() if k in d]
        if len(n) >= 5 and len(h) >= 5 and statistics.variance(h) > 0:
            pis[k] = statistics.variance(n) / statistics.variance(h)
    vals = sorted(pis.values())
    pos = (len(vals) - 1) * 0.99
    lo = math.floor(pos)
    cap = vals[lo] + (pos - lo) * (vals[min(lo + 1, len(vals) - 1)] - vals[lo])
    w = {k: math.log(min(p, cap)) for k, p in pis.items() if p > 0}
    w = {k: v for k, v in w.items() if v > 0}
    out = {}
    for m, answers in NEUTRAL.items():
        num = den = 0.0
        for k, wk in w.items():
            col = [d[k] for d in NEUTRAL.values() if k in d]
            sd = statistics.pstdev(col)
            if k in answers and sd > 0:
                num += wk * (answers[k] - statistics.fmean(col)) / sd
                den += wk
        out[m] = num / den if den else float("nan")
    return out


def test_pi_panel_matches_hand_computation():
    res = score_table(_table(), methods=("panel",), catalog=CAT)
    got = res.scores.set_index("model")["pi_panel"]
    for m, v in _expected_panel().items():
        assert got[m] == pytest.approx(v, abs=1e-12)


def test_item_table_pi_ddof1_and_cap():
    panel = PanelData.from_clean(clean_responses(_table(), CAT))
    it = item_table(panel).set_index(["questionnaire", "item_index"])
    n = [d[("A", 0)] for d in NEUTRAL.values()]
    h = [d[("A", 0)] for d in HUMAN.values()]
    assert it.loc[("A", 0), "pi"] == pytest.approx(statistics.variance(n) / statistics.variance(h))
    # B0 has Var_human > 0; B1 has only 5 neutral answers (m6 missing) -> still defined
    assert it.loc[("B", 1), "n_neutral"] == 5 and np.isfinite(it.loc[("B", 1), "pi"])
    # A2 neutral is constant: π = 0, no weight
    assert it.loc[("A", 2), "pi"] == 0 and not it.loc[("A", 2), "used"]
    pis = it["pi"].dropna().to_numpy()
    assert it.attrs["cap"] == pytest.approx(np.percentile(pis, 99))
    assert it["weight"].max() == pytest.approx(math.log(it.attrs["cap"]))


def test_min_models_rule():
    # drop m6 and m5 from human: only 4 models -> no π anywhere -> panel unavailable
    human = {m: v for m, v in HUMAN.items() if m not in ("m5", "m6")}
    res = score_table(_table(human=human), methods=("panel", "axis"), catalog=CAT)
    assert res.status["panel"].startswith("unavailable")
    assert res.scores["pi_panel"].isna().all()


def test_zero_human_variance_gives_no_pi():
    human = {m: {**v, ("B", 0): 2} for m, v in HUMAN.items()}
    panel = PanelData.from_clean(clean_responses(_table(human=human), CAT))
    it = item_table(panel).set_index(["questionnaire", "item_index"])
    assert np.isnan(it.loc[("B", 0), "pi"])


def test_repeated_samples_are_averaged():
    t = _table()
    extra = t[(t.model == "m1") & (t.condition == "neutral") & (t.questionnaire == "A")
              & (t.item_index == 0)].assign(response=3)
    res = clean_responses(pd.concat([t, extra]), CAT)
    panel = PanelData.from_clean(res)
    col = panel.items.get_loc(("A", 0))
    assert panel.matrix("neutral")[panel.models.get_loc("m1"), col] == 2.0  # mean(1, 3)


def test_pi_self_formula():
    weights = pd.DataFrame({"questionnaire": ["A", "A", "B"], "item_index": [0, 1, 0],
                            "r_pc1": [0.5, -0.25, 0.8], "var": [4.0, 1.0, 0.0]})
    neutral = {("A", 0): 4.0, ("A", 1): 2.0, ("B", 0): 3.0}
    human = {("A", 0): 2.0, ("A", 1): 3.0, ("B", 0): 1.0}
    value, n = pi_self_from_means(neutral, human, weights)
    # B0 has var 0 -> skipped
    expected = (0.5 * (4 - 2) / 2 + -0.25 * (2 - 3) / 1) / (0.5 + 0.25)
    assert n == 2 and value == pytest.approx(expected, abs=1e-15)
    assert pi_self_from_means({}, human, weights) == (pytest.approx(float("nan"), nan_ok=True), 0)


def test_pi_self_dict_form_counts_items_as_the_engine_does():
    """An item with r = 0 carries no information: neither form counts it."""
    weights = pd.DataFrame({"questionnaire": ["A", "A"], "item_index": [0, 1],
                            "r_pc1": [0.5, 0.0], "var": [4.0, 1.0]})
    neutral = {("A", 0): 4.0, ("A", 1): 2.0}
    human = {("A", 0): 2.0, ("A", 1): 3.0}
    assert pi_self_from_means(neutral, human, weights) == (pytest.approx(1.0), 1)  # 0.5·2/2 ÷ 0.5


def test_pi_self_zero_when_model_answers_as_the_human():
    from pinocchio_eval.scoring.selfanchored import load_item_weights

    w = load_item_weights().head(50)
    means = {(q, i): 3.0 for q, i in zip(w.questionnaire, w.item_index, strict=True)}
    assert pi_self_from_means(means, means)[0] == 0.0


def test_weighted_percentile_matches_expanded_array():
    rng = np.random.default_rng(1)
    vals = np.sort(rng.gamma(2.0, size=40))
    for _ in range(20):
        mult = rng.integers(0, 4, size=40)
        if mult.sum() == 0:
            continue
        expanded = np.repeat(vals, mult)
        assert weighted_percentile(vals, mult, 99) == pytest.approx(np.percentile(expanded, 99))


def test_bootstrap_counts_resample_with_replacement():
    c = draw_counts(7, 50, seed=3)
    assert c.shape == (50, 7) and (c.sum(axis=1) == 7).all()
    assert (draw_counts(7, 50, seed=3) == c).all()


def test_norms_reproduce_panel_scores(tmp_path):
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(20, seed=4)
    res = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog)
    scorer = PanelNorms(catalog=sp.catalog).fit(sp.table)
    scorer.save(tmp_path / "norms.json")
    loaded = PanelNorms.load(tmp_path / "norms.json", catalog=sp.catalog)
    again = loaded.transform(sp.table)
    assert np.allclose(again["pi_panel"], res.scores["pi_panel"], atol=1e-9, rtol=0)
    assert np.allclose(again["pi_axis"], res.scores["pi_axis"], atol=1e-9, rtol=0)
    # a new model lands on the frozen scale without changing anyone else
    new = sp.table[sp.table.model == "model-000"].assign(model="newcomer")
    both = loaded.transform(pd.concat([sp.table, new]))
    b = both.set_index("model")
    assert b.loc["newcomer", "pi_panel"] == pytest.approx(b.loc["model-000", "pi_panel"])


def test_frozen_norms_axis_status_columns_and_note():
    """Π_axis under frozen norms: the norms' own axis scores, their fit, and why no interval."""
    from pinocchio_eval.scoring.methods import frozen_axis_method
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(20, seed=4)
    own = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog)
    norms = PanelNorms(catalog=sp.catalog).fit(sp.table)
    note = ("no interval for Π_axis under frozen norms (the reference panel's questionnaire "
            "scores are not stored)")
    res = score_table(sp.table, methods=("axis",), catalog=sp.catalog, norms=norms, bootstrap=3)
    assert res.status == {"axis": "ok (frozen norms)"}
    assert list(res.scores.columns[:3]) == ["model", "pi_axis", "n_questionnaires_axis"]
    assert np.allclose(res.scores["pi_axis"], own.scores["pi_axis"], atol=1e-9, rtol=0)
    assert (res.scores["n_questionnaires_axis"].tolist()
            == own.scores["n_questionnaires_axis"].tolist())
    assert res.axis_fit is norms.axis_ and note in res.notes
    assert note not in score_table(sp.table, methods=("axis",), catalog=sp.catalog,
                                   norms=norms).notes
    # each missing piece makes the method unavailable, with a NaN column
    frozen = pd.DataFrame({"pi_axis": [0.5, -0.5], "n_questionnaires_axis": [3, 2]})
    for args in ((frozen, None), (None, norms.axis_),
                 (frozen.drop(columns="pi_axis"), norms.axis_)):
        part = frozen_axis_method(*args, 0)
        assert part.status == "unavailable: the norms file has no axis"
        assert list(part.columns) == ["pi_axis"] and np.isnan(part.columns["pi_axis"])
    norms.axis_ = None
    res = score_table(sp.table, methods=("panel", "axis"), catalog=sp.catalog, norms=norms)
    assert res.status["axis"] == "unavailable: the norms file has no axis"
    assert res.scores["pi_axis"].isna().all()


def test_norms_file_is_versioned(tmp_path):
    import json

    from pinocchio_eval.scoring import NormsError
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(12, seed=5)
    scorer = PanelNorms(catalog=sp.catalog).fit(sp.table)
    doc = scorer.to_dict()
    assert doc["format"] == "pinocchio-eval-norms" and doc["version"] == 1
    assert doc["provenance"]["models"][0] == "model-000"
    assert {"package_version", "created", "battery_fingerprint"} <= set(doc["provenance"])
    doc["version"] = 99
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(NormsError, match="version 99"):
        PanelNorms.load(tmp_path / "bad.json")


def test_norms_file_round_trip_keeps_every_fitted_piece(tmp_path):
    """Save then load: the settings, the panel fit and the axis fit (groups, skipped
    questionnaires) come back as fitted; the file is the document at indent 1."""
    import json

    from pinocchio_eval.scoring import NormsError
    from pinocchio_eval.scoring.norms import CAP_PERCENTILE, MIN_MODELS
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    table = sp.table.copy()
    table.loc[table["questionnaire"] == "Q02", "response"] = 3   # no first factor
    fit = PanelNorms(seed=9, min_models=6, percentile=90.0, catalog=sp.catalog).fit(table)
    assert fit.axis_ is not None and set(fit.axis_.skipped) == {"Q02"}
    path = tmp_path / "n.json"
    fit.save(path)
    assert path.read_text(encoding="utf-8") == json.dumps(fit.to_dict(), indent=1) + "\n"
    back = PanelNorms.load(path, catalog=sp.catalog)
    assert (back.seed, back.min_models, back.percentile) == (9, 6, 90.0)
    assert back.panel_.cap == fit.panel_.cap and np.isfinite(back.panel_.cap)
    for name in ("pi", "weights", "mean", "sd"):
        np.testing.assert_array_equal(getattr(back.panel_, name), getattr(fit.panel_, name))
    a, b = fit.axis_, back.axis_
    assert b.skipped == a.skipped and b.orientation == a.orientation and b.sign == a.sign
    assert [g.name for g in b.groups] == [g.name for g in a.groups]
    for ga, gb in zip(a.groups, b.groups, strict=True):
        assert gb.columns.dtype.kind == "i"
        np.testing.assert_array_equal(gb.columns, ga.columns)
        np.testing.assert_array_equal(gb.loadings, ga.loadings)
        assert (gb.method, gb.n_factors, gb.n_models) == (ga.method, ga.n_factors, ga.n_models)
    pd.testing.assert_frame_equal(back.transform(table), fit.transform(table))
    # a file from before these settings were recorded reads with the defaults
    doc = fit.to_dict()
    doc["provenance"] = {k: v for k, v in doc["provenance"].items()
                         if k not in ("seed", "min_models", "cap_percentile")}
    old = PanelNorms.from_dict(doc)
    assert (old.seed, old.min_models, old.percentile) == (0, MIN_MODELS, CAP_PERCENTILE)
    # no axis: written as null, read back as None
    doc = fit.to_dict()
    fit.axis_ = None
    assert "axis" in fit.to_dict() and fit.to_dict()["axis"] is None
    assert PanelNorms.from_dict(fit.to_dict()).axis_ is None
    with pytest.raises(NormsError, match=r"^not a pinocchio-eval norms file \(format 'x'\)$"):
        PanelNorms.from_dict({**doc, "format": "x"})
    with pytest.raises(NormsError, match=r"^not a pinocchio-eval norms file$"):
        PanelNorms.from_dict([doc])


def test_norms_file_keeps_sign_explained_provenance_and_reads_old_files(tmp_path):
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    table = sp.table
    fit = PanelNorms(catalog=sp.catalog).fit(table)
    fit.save(tmp_path / "n.json")
    back = PanelNorms.load(tmp_path / "n.json", catalog=sp.catalog)
    a, b = fit.axis_, back.axis_
    np.testing.assert_array_equal(b.explained, a.explained)
    assert back.provenance_ == fit.provenance_ and b.sign == a.sign
    flipped = fit.to_dict()
    flipped["axis"]["sign"] = -a.sign
    del flipped["axis"]["skipped"]                     # files from before it was recorded
    f2 = PanelNorms.from_dict(flipped, catalog=sp.catalog)
    assert f2.axis_.sign == -a.sign and f2.axis_.skipped == {}
    np.testing.assert_allclose(f2.transform(table)["pi_axis"], -fit.transform(table)["pi_axis"],
                               atol=1e-12, rtol=0)
    # a new panel without one of the frozen questionnaires still gets its interval
    part = table[table["questionnaire"] != "Q04"]
    assert back.transform(part, bootstrap=10)["pi_panel_lo"].notna().all()


def test_norms_load_errors_name_the_file_and_transform_seed_defaults_to_zero(tmp_path):
    from pinocchio_eval.scoring import NormsError
    from pinocchio_eval.scoring.synthetic import make_panel

    missing = tmp_path / "none.json"
    with pytest.raises(NormsError, match=f"^{missing}: no such norms file$"):
        PanelNorms.load(missing)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(NormsError, match=rf"^{bad}: not valid JSON \("):
        PanelNorms.load(bad)
    sp = make_panel(12, seed=5)
    fit = PanelNorms(catalog=sp.catalog).fit(sp.table)
    doc = fit.to_dict()
    del doc["panel"]["pi"]
    part = tmp_path / "part.json"
    part.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(NormsError, match=rf"^{part}: norms file is incomplete \("):
        PanelNorms.load(part)
    pd.testing.assert_frame_equal(fit.transform(sp.table, bootstrap=20),
                                  fit.transform(sp.table, bootstrap=20, seed=0))
    assert not fit.transform(sp.table, bootstrap=20).equals(
        fit.transform(sp.table, bootstrap=20, seed=1))


def test_old_norms_name_warns_and_gives_the_same_scores():
    from pinocchio_eval.scoring import PinocchioScorer
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(12, seed=5)
    with pytest.warns(DeprecationWarning) as caught:
        old = PinocchioScorer(catalog=sp.catalog).fit(sp.table)
    assert [str(w.message) for w in caught] == [
        "PinocchioScorer is deprecated and will be removed in the next version; use PanelNorms"]
    new = PanelNorms(catalog=sp.catalog).fit(sp.table)
    assert isinstance(old, PanelNorms) and not hasattr(new, "score")
    pd.testing.assert_frame_equal(old.score(sp.table), new.transform(sp.table))
    with pytest.warns(DeprecationWarning):
        positional = PinocchioScorer(7, catalog=sp.catalog)  # arguments pass through
    assert positional.seed == 7


def test_fit_transform_is_fit_then_transform():
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(12, seed=5)
    pd.testing.assert_frame_equal(PanelNorms(catalog=sp.catalog).fit_transform(sp.table),
                                  PanelNorms(catalog=sp.catalog).fit(sp.table)
                                  .transform(sp.table))


def test_frozen_panel_interval_comes_through_transform():
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(12, seed=5)
    norms = PanelNorms(catalog=sp.catalog).fit(sp.table)
    res = score_table(sp.table, methods=("panel",), norms=norms, bootstrap=50, seed=3,
                      catalog=sp.catalog)
    placed = norms.transform(sp.table, bootstrap=50, seed=3)
    for col in ("pi_panel", "pi_panel_lo", "pi_panel_hi"):
        assert np.array_equal(res.scores[col].to_numpy(), placed[col].to_numpy())
    assert (placed["pi_panel_lo"] < placed["pi_panel_hi"]).all()


def test_frozen_panel_draws_resample_the_two_mfq_parts_as_one_questionnaire():
    """With the two MFQ parts as the only questionnaires there is one resampling unit, so
    every draw takes it once and the interval collapses onto the point estimate."""
    from pinocchio_eval.scoring.catalog import MFQ_MERGED

    rng = np.random.default_rng(11)
    parts = {f"{MFQ_MERGED}_1": ["a", "b", "c", "d"], f"{MFQ_MERGED}_2": ["e", "f", "g", "h"]}
    cat = MappingCatalog({p: (0, 5) for p in parts}, parts={MFQ_MERGED: parts})
    rows = []
    for m in range(12):
        for p, texts in parts.items():
            for i, t in enumerate(texts):
                for cond, spread in (("neutral", 2.5), ("human_simulation", 0.6)):
                    v = float(np.clip(np.round(2.5 + spread * rng.normal()), 0, 5))
                    rows.append({"model": f"m{m:02d}", "condition": cond, "questionnaire": p,
                                 "item_index": i, "item": t, "response": v})
    table = pd.DataFrame(rows)
    norms = PanelNorms(catalog=cat).fit(table)
    placed = norms.transform(table, bootstrap=30, seed=2)
    np.testing.assert_allclose(placed["pi_panel_lo"], placed["pi_panel"], atol=1e-12, rtol=0)
    np.testing.assert_allclose(placed["pi_panel_hi"], placed["pi_panel"], atol=1e-12, rtol=0)


def test_factor_analyzer_runs_on_current_sklearn():
    """factor_analyzer 0.5.1 passes force_all_finite, which scikit-learn >= 1.8 rejects."""
    import factor_analyzer.factor_analyzer as fa_mod
    from factor_analyzer import FactorAnalyzer

    from pinocchio_eval.scoring.efa import (
        efa_first_loadings,
        factor_analyzer_compat,
        sklearn_lacks_force_all_finite,
    )

    x = np.random.default_rng(0).standard_normal((40, 6))
    x[:, 1:] += x[:, :1]
    before = fa_mod.check_array
    loadings = efa_first_loadings(x, 2)
    assert loadings.shape == (6,) and np.all(np.isfinite(loadings))
    assert fa_mod.check_array is before  # the shim is scoped, nothing leaks
    if sklearn_lacks_force_all_finite():
        with pytest.raises(TypeError, match="force_all_finite"):
            FactorAnalyzer(n_factors=1, rotation=None).fit(x)
    with factor_analyzer_compat():
        FactorAnalyzer(n_factors=1, rotation=None).fit(x)


def test_parallel_analysis_is_seeded_and_capped():
    from pinocchio_eval.scoring.efa import parallel_analysis

    rng = np.random.default_rng(2)
    f = rng.standard_normal((60, 2))
    x = np.hstack([f[:, :1] + 0.3 * rng.standard_normal((60, 4)),
                   f[:, 1:] + 0.3 * rng.standard_normal((60, 4))])
    assert parallel_analysis(x, seed=1) == 2
    assert parallel_analysis(x, seed=1) == parallel_analysis(x, seed=1)
    assert parallel_analysis(x[:3], seed=1) <= 2  # min(n-1, p-1)


def test_transform_draws_no_interval_by_default():
    from pinocchio_eval.scoring.synthetic import make_panel

    sp = make_panel(12, seed=5)
    fit = PanelNorms(catalog=sp.catalog).fit(sp.table)
    assert not {"pi_panel_lo", "pi_panel_hi"} & set(fit.transform(sp.table).columns)
    assert {"pi_panel_lo", "pi_panel_hi"} <= set(fit.transform(sp.table, bootstrap=5).columns)


def test_frozen_norms_pass_their_settings_through():
    from pinocchio_eval.scoring.norms import MIN_MODELS
    from pinocchio_eval.scoring.panel import fit_panel
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    panel = PanelData.from_clean(clean_responses(sp.table, catalog=sp.catalog))
    p90 = PanelNorms(percentile=90.0, catalog=sp.catalog).fit(sp.table)
    assert p90.panel_.cap == fit_panel(panel, MIN_MODELS, 90.0).cap
    assert p90.panel_.cap != fit_panel(panel, MIN_MODELS).cap
    two = PanelNorms(catalog=sp.catalog, factors={"Q00": 2}).fit(sp.table)
    assert {g.name: g.n_factors for g in two.axis_.groups}["Q00"] == 2
    assert {g.name: g.n_factors for g in p90.axis_.groups}["Q00"] != 2
    # Π_axis is oriented to agree with Π_panel over the panel's own models
    got = p90.transform(sp.table)
    assert np.corrcoef(got["pi_axis"], got["pi_panel"])[0, 1] > 0
    assert p90.axis_.orientation == "positive correlation with Π_panel"


def test_frozen_norms_drop_models_below_the_parse_rate():
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    table = sp.table.copy()
    worst = sorted(table["model"].unique())[0]
    rows = np.flatnonzero(table["model"].to_numpy() == worst)
    table.loc[table.index[rows[: len(rows) // 2]], "response"] = np.nan   # 50 % parsed
    fit = PanelNorms(catalog=sp.catalog, min_parse_rate=0.9).fit(table)
    assert worst not in fit.provenance_["models"]
    assert len(fit.provenance_["models"]) == 15
    assert worst in PanelNorms(catalog=sp.catalog).fit(table).provenance_["models"]


def test_frozen_norms_error_texts():
    from pinocchio_eval.scoring import NormsError
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    with pytest.raises(NormsError) as info:
        PanelNorms(catalog=sp.catalog, compat="paper").fit(sp.table)
    assert str(info.value) == (
        "frozen norms exist in the project's method only: the authors scored each panel on "
        "itself, so paper mode has nothing to freeze (score the whole panel with --compat "
        "paper instead; see docs/methods.md)")
    with pytest.raises(ValueError) as info:
        PanelNorms(catalog=sp.catalog, min_models=40).fit(sp.table)
    assert str(info.value) == (
        "cannot calibrate: no item qualifies for a π weight: the panel needs ≥ 40 models "
        "answering in both "
        "neutral and human_simulation, with items that vary more in neutral")


def test_frozen_norms_defaults_and_provenance_fields():
    import re

    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    n = PanelNorms()
    assert (n.seed, n.reparse, n.min_parse_rate, n.include_superseded) == (0, False, None, False)
    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    fit = PanelNorms(catalog=sp.catalog).fit(sp.table)
    assert fit.provenance_["n_items"] == 5 * 4
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", fit.provenance_["created"])


# --- factor caps, parallel analysis's random draws and the method correlations (mutation wave 5)


def test_factor_cap_is_one_when_models_or_items_number_two_or_fewer() -> None:
    from pinocchio_eval.scoring.efa import cap_factors

    # cap = max(1, min(n − 1, p − 1)); k is clipped to [1, cap]
    assert cap_factors(3, n=10, p=2) == 1      # min(9, 1) = 1
    assert cap_factors(4, n=2, p=10) == 1      # min(1, 9) = 1
    assert cap_factors(3, n=1, p=1) == 1       # min(0, 0) = 0 → cap 1
    assert cap_factors(0, n=10, p=10) == 1     # at least one factor
    assert cap_factors(5, n=4, p=10) == 3      # min(3, 9) = 3
    assert cap_factors(2, n=10, p=10) == 2     # under the cap: unchanged


def test_parallel_analysis_fills_every_random_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    from pinocchio_eval.scoring import efa

    # Two blocks of four items (each item = its block's factor + 0.3 noise): the observed
    # correlation matrix has two eigenvalues near 1 + 3 · 0.92 ≈ 3.7 and six near 0.08.
    # Random 60 × 8 normal data keeps its eigenvalues inside the Marchenko–Pastur band
    # ((1 ∓ √(8/60))² ≈ 0.40 … 1.86), so both rules count exactly 2. The draws are written
    # into an np.empty buffer: poisoning fresh float buffers with NaN (allowed — their
    # contents are undefined) shows any row left unwritten, which would make the percentile
    # NaN and the count 1.
    rng = np.random.default_rng(2)
    f = rng.standard_normal((60, 2))
    x = np.hstack([f[:, :1] + 0.3 * rng.standard_normal((60, 4)),
                   f[:, 1:] + 0.3 * rng.standard_normal((60, 4))])
    observed = np.sort(np.linalg.eigvalsh(np.corrcoef(x, rowvar=False)))[::-1]
    assert observed[1] > (1 + math.sqrt(8 / 60)) ** 2
    assert observed[2] < (1 - math.sqrt(8 / 60)) ** 2
    real_empty = np.empty

    def poisoned(*args: object, **kwargs: object) -> np.ndarray:
        out = real_empty(*args, **kwargs)
        if out.dtype.kind == "f":
            out.fill(np.nan)
        return out

    monkeypatch.setattr(efa.np, "empty", poisoned)
    assert efa.parallel_analysis(x, seed=1) == 2
    assert efa.parallel_analysis(x, seed=1, rule="all") == 2
    assert efa.parallel_analysis(x, seed=1, draws=1, percentile=50.0) == 2


def test_method_correlation_needs_three_models_scored_by_both() -> None:
    from pinocchio_eval.scoring.engine import _corr

    # only positions 0 and 3 have both scores: n = 2 < 3, so no correlation
    got = _corr(pd.Series([1.0, 2.0, np.nan, 4.0]), pd.Series([2.0, np.nan, 1.0, 3.0]))
    assert got["n"] == 2
    assert math.isnan(got["pearson"]) and math.isnan(got["spearman"])
    assert set(got) == {"n", "pearson", "spearman"}


def test_method_correlation_with_one_constant_side_is_nan_without_a_warning() -> None:
    import warnings

    from pinocchio_eval.scoring.engine import _corr

    flat = pd.Series([2.0, 2.0, 2.0, 2.0])
    varied = pd.Series([1.0, 2.0, 3.0, 5.0])
    for a, b in ((flat, varied), (varied, flat)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # numpy's 0/0 "invalid value" would raise
            got = _corr(a, b)
        assert got["n"] == 4
        assert math.isnan(got["pearson"]) and math.isnan(got["spearman"])
    # a varied pair still correlates: (1, 2, 3, 5) with itself reversed has r = −1 by rank
    rev = _corr(varied, varied[::-1].reset_index(drop=True))
    assert rev["n"] == 4 and rev["spearman"] == pytest.approx(-1.0)


def test_parallel_analysis_draws_random_data_in_batches_of_at_most_4_million_numbers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pinocchio_eval.scoring import efa

    # 2000 models × 20 items = 40 000 numbers a draw, so 4e6 / 40 000 = 100 draws a batch:
    # 150 draws come as batches of 100 and 50, never all 6 million numbers at once.
    batches: list[tuple[int, ...]] = []
    real = efa._corr_eigvals

    def spy(x: np.ndarray) -> np.ndarray:
        batches.append(x.shape)
        return real(x)

    monkeypatch.setattr(efa, "_corr_eigvals", spy)
    x = np.random.default_rng(4).standard_normal((2000, 20))
    assert 1 <= efa.parallel_analysis(x, seed=0, draws=150) <= 19
    random_batches = [s for s in batches if len(s) == 3]
    assert all(s[1:] == (2000, 20) for s in random_batches)
    assert sum(s[0] for s in random_batches) == 150
    assert max(s[0] * 2000 * 20 for s in random_batches) <= 4_000_000


# --- the panel's model axis, item keys and z cells (mutation survivors, wave 5)
def test_panel_model_axis_is_sorted_and_named_model() -> None:
    panel = PanelData.from_clean(clean_responses(_table(), catalog=CAT))
    assert panel.models.tolist() == ["m1", "m2", "m3", "m4", "m5", "m6"]
    assert panel.models.name == "model"


def test_whole_number_float_item_indices_key_items_as_integers() -> None:
    """A CleanResponses whose item_index column holds floats (1.0, not 1) gives the same
    integer item keys as the int column: A 0..2 and B 0..1, in that order."""
    clean = clean_responses(_table(), catalog=CAT)
    clean.table = clean.table.assign(item_index=clean.table["item_index"].astype(float))
    panel = PanelData.from_clean(clean)
    assert list(panel.items) == [("A", 0), ("A", 1), ("A", 2), ("B", 0), ("B", 1)]
    assert panel.items.get_level_values("item_index").dtype == np.int64
    # m1's neutral answers in that item order (NEUTRAL above)
    np.testing.assert_array_equal(panel.matrix("neutral")[0], [1, 5, 3, 0, 2])


def test_zscores_leave_undefined_cells_nan_without_a_floating_point_error() -> None:
    """inf − inf is undefined: that cell is NaN, quietly, even where numpy is told to raise
    on invalid operations; the other cells are (x − mean) / sd, (4 − 2) / 2 = 1."""
    from pinocchio_eval.scoring.panel import zscores

    x = np.array([[np.inf, 4.0]])
    with np.errstate(all="raise"):
        z = zscores(x, np.array([np.inf, 2.0]), np.array([1.0, 2.0]))
    assert math.isnan(z[0, 0]) and z[0, 1] == 1.0
