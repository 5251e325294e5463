"""Π_axis worked through by a different route: numpy's corrcoef/eigh per questionnaire, then
scikit-learn's StandardScaler and PCA across questionnaires, then the sign set by Π_panel."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from _plain import pi_panel as plain_pi_panel
from pinocchio_eval.scoring import MappingCatalog, PanelNorms, efa
from pinocchio_eval.scoring import bootstrap as bs
from pinocchio_eval.scoring.axis import (
    AxisFit,
    _fit_group,
    fit_axis,
    fit_groups,
    group_scores,
    keep_models,
    orient_axis,
    standardise,
)
from pinocchio_eval.scoring.engine import score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.items import PanelData
from pinocchio_eval.scoring.methods import Draws, axis_method, axis_summary

TIGHT = 1e-9
GROUPS = ["P", "Q", "R", "S", "T"]
N_ITEMS = 8          # ≥ the number of models, so every questionnaire takes the PCA path
MODELS = [f"m{k}" for k in range(7)]


def _answers(seed: int = 3) -> tuple[dict, dict]:
    """7 models × 5 questionnaires × 8 items on 1-5; m6 skipped questionnaire T (1/5 = 20 %
    of questionnaires missing, the most a model may miss) and m5 one item of P."""
    rng = np.random.default_rng(seed)
    trait = np.linspace(-1.2, 1.2, len(MODELS))
    neutral, human = {}, {}
    for j, m in enumerate(MODELS):
        neutral[m], human[m] = {}, {}
        for g in GROUPS:
            for i in range(N_ITEMS):
                load = 1.0 if (i + GROUPS.index(g)) % 3 else -0.6
                x = 3 + 1.3 * load * trait[j] + rng.normal(0, 0.8)
                neutral[m][(g, i)] = int(np.clip(np.rint(x), 1, 5))
                human[m][(g, i)] = int(np.clip(np.rint(3 + rng.normal(0, 0.6)), 1, 5))
    for i in range(N_ITEMS):
        del neutral["m6"][("T", i)]
    del neutral["m5"][("P", 2)]
    return neutral, human


NEUTRAL, HUMAN = _answers()
CAT = MappingCatalog({g: (1, 5) for g in GROUPS})


def _frame() -> pd.DataFrame:
    rows = [{"model": m, "condition": c, "questionnaire": q, "item_index": i, "response": v}
            for c, data in (("neutral", NEUTRAL), ("human_simulation", HUMAN))
            for m, a in data.items() for (q, i), v in a.items()]
    return pd.DataFrame(rows)


def _plain_group_scores(neutral: dict) -> pd.DataFrame:
    """Per questionnaire: first principal component of the item correlations among models
    that answered every item (× √λ, sign: loadings sum ≥ 0), applied to item z-scores
    (pandas' SD, ddof 1), missing z counted as 0."""
    wide = pd.DataFrame({m: pd.Series(a) for m, a in neutral.items()}).T
    out = {}
    for g in GROUPS:
        sub = wide[[c for c in wide.columns if c[0] == g]].astype(float)
        complete = sub.dropna()
        complete = complete.loc[:, complete.std(ddof=0) > 0]
        vals, vecs = np.linalg.eigh(np.corrcoef(complete.to_numpy(), rowvar=False))
        load = vecs[:, -1] * np.sqrt(vals[-1])
        load = -load if load.sum() < 0 else load
        cols = sub[complete.columns]
        z = (cols - cols.mean()) / cols.std(ddof=1)
        score = z.fillna(0.0).to_numpy() @ load
        out[g] = np.where(cols.notna().any(axis=1), score, np.nan)
    return pd.DataFrame(out, index=wide.index)


def _plain_axis(neutral: dict, reference: dict | None) -> tuple[pd.Series, PCA]:
    f = _plain_group_scores(neutral)
    kept = f[f.isna().mean(axis=1) <= 0.2].fillna(0.0)
    xs = StandardScaler().fit_transform(kept.to_numpy())
    pca = PCA().fit(xs)
    pc1 = pd.Series(pca.transform(xs)[:, 0], index=kept.index)
    if reference is not None:
        ref = pd.Series(reference).reindex(pc1.index)
        if np.corrcoef(pc1, ref)[0, 1] < 0:
            pc1 = -pc1
    return pc1.reindex(f.index), pca


def test_pi_axis_matches_scikit_learn_pca_oriented_to_pi_panel():
    res = score_table(_frame(), methods=("panel", "axis"), catalog=CAT)
    got = res.scores.set_index("model")
    panel = plain_pi_panel(NEUTRAL, HUMAN)
    for m, v in panel.items():
        assert got.loc[m, "pi_panel"] == pytest.approx(v, abs=1e-12)
    want, pca = _plain_axis(NEUTRAL, panel)
    for m in MODELS:
        assert got.loc[m, "pi_axis"] == pytest.approx(want[m], abs=TIGHT), m
    assert np.corrcoef(got["pi_axis"], got["pi_panel"])[0, 1] > 0
    assert res.summary["pc1_variance"] == pytest.approx(pca.explained_variance_ratio_[0],
                                                        abs=TIGHT)
    assert res.summary["pc2_variance"] == pytest.approx(pca.explained_variance_ratio_[1],
                                                        abs=TIGHT)
    assert res.summary["axis_orientation"] == "positive correlation with Π_panel"
    assert got.loc["m6", "n_questionnaires_axis"] == 4
    assert (got.drop("m6")["n_questionnaires_axis"] == 5).all()
    assert {g.method for g in res.axis_fit.groups} == {"PCA"}


def test_sign_alignment_follows_the_reference():
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    ref = pd.Series(plain_pi_panel(NEUTRAL, HUMAN), name="Π_panel")
    _, up = fit_axis(panel, orient_to=ref)
    fit, down = fit_axis(panel, orient_to=-ref)
    assert np.allclose(up["pi_axis"], -down["pi_axis"], atol=TIGHT, rtol=0)
    assert np.corrcoef(down["pi_axis"], ref.reindex(panel.models))[0, 1] < 0
    # without a reference the sign makes PC1's questionnaire loadings sum to ≥ 0
    fit, free = fit_axis(panel)
    assert fit.orientation == "positive sum of PC1 questionnaire loadings"
    assert fit.sign * fit.components[0].sum() >= 0
    want, _ = _plain_axis(NEUTRAL, None)
    assert np.allclose(np.abs(free["pi_axis"]), np.abs(want.reindex(panel.models)), atol=TIGHT)
    # a reference with no spread cannot orient: the loadings rule applies
    fit, flat = fit_axis(panel, orient_to=ref * 0)
    assert fit.orientation.startswith("positive sum")
    assert np.allclose(flat["pi_axis"], free["pi_axis"], atol=TIGHT)


def test_models_missing_too_many_questionnaires_get_no_axis_score():
    f = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [1.0, np.nan, 3.0, 4.0, 5.0],
                  [np.nan, np.nan, 3.0, 4.0, 5.0]])
    assert keep_models(f).tolist() == [True, True, False]
    neutral = {m: dict(a) for m, a in NEUTRAL.items()}
    for i in range(N_ITEMS):
        del neutral["m6"][("S", i)]          # m6 now misses 2 of 5 questionnaires
    rows = [{"model": m, "condition": "neutral", "questionnaire": q, "item_index": i,
             "response": v} for m, a in neutral.items() for (q, i), v in a.items()]
    res = score_table(pd.DataFrame(rows), methods=("axis",), catalog=CAT)
    got = res.scores.set_index("model")["pi_axis"]
    assert np.isnan(got["m6"]) and got.drop("m6").notna().all()
    want, _ = _plain_axis(neutral, None)
    assert np.allclose(got.drop("m6").abs(), want.drop("m6").abs(), atol=TIGHT)


def test_axis_bootstrap_draws_recompute_pca_on_resampled_questionnaires():
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    ref = pd.Series(plain_pi_panel(NEUTRAL, HUMAN))
    fit, point = fit_axis(panel, orient_to=ref)
    f = group_scores(panel.matrix("neutral"), fit.groups)
    counts = np.array([[1, 1, 1, 1, 1], [3, 0, 0, 2, 0], [0, 2, 1, 0, 2]])
    draws = bs.axis_draws(f, point["pi_axis"].to_numpy(), counts)
    assert np.allclose(draws[:, 0], point["pi_axis"], atol=TIGHT, rtol=0)
    for b in (1, 2):
        cols = np.repeat(np.arange(5), counts[b])
        fb = f[:, cols]
        kept = np.isnan(fb).mean(axis=1) <= 0.2
        xs = StandardScaler().fit_transform(np.nan_to_num(fb[kept], nan=0.0))
        pc1 = PCA(n_components=1).fit_transform(xs)[:, 0]
        if np.corrcoef(pc1, point["pi_axis"].to_numpy()[kept])[0, 1] < 0:
            pc1 = -pc1
        assert np.allclose(draws[kept, b], pc1, atol=TIGHT), b
        assert np.isnan(draws[~kept, b]).all()


def test_frozen_axis_places_a_newcomer(tmp_path):
    scorer = PanelNorms(catalog=CAT).fit(_frame())
    scorer.save(tmp_path / "n.json")
    loaded = PanelNorms.load(tmp_path / "n.json", catalog=CAT)
    ref = loaded.transform(_frame()).set_index("model")
    res = score_table(_frame(), methods=("axis",), catalog=CAT)
    assert np.allclose(ref["pi_axis"], res.scores.set_index("model")["pi_axis"], atol=TIGHT)
    # a newcomer answering exactly like m3 lands exactly on m3, and leaves m3 where it was
    new = _frame()
    new = pd.concat([new, new[new.model == "m3"].assign(model="newcomer")])
    both = loaded.transform(new).set_index("model")
    assert both.loc["newcomer", "pi_axis"] == pytest.approx(ref.loc["m3", "pi_axis"], abs=TIGHT)
    assert both.loc["m3", "pi_axis"] == pytest.approx(ref.loc["m3", "pi_axis"], abs=TIGHT)


def test_efa_path_recovers_known_loadings():
    """More models than items: minres EFA. A one-factor population with loadings λ gives
    first-factor loadings close to λ (PCA would inflate them)."""
    rng = np.random.default_rng(0)
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    f = rng.standard_normal(400)
    x = np.outer(f, lam) + rng.standard_normal((400, 4)) * np.sqrt(1 - lam**2)
    ff = efa.first_factor(x, seed=1)
    assert ff.method == "EFA" and ff.n_factors == 1 and ff.n_models == 400
    assert np.allclose(ff.loadings, lam, atol=0.06)
    pca = efa.pca_first_loadings(x)
    assert (np.abs(pca) > ff.loadings).all()


def test_efa_failure_falls_back_to_pca(monkeypatch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((30, 4))
    x[:, 1:] += x[:, :1]

    def broken(*_a, **_k):
        raise np.linalg.LinAlgError("singular")

    monkeypatch.setattr(efa, "efa_first_loadings", broken)
    ff = efa.first_factor(x, seed=0)
    assert ff.method == "PCA (EFA failed)"
    vals, vecs = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    want = vecs[:, -1] * np.sqrt(vals[-1])
    assert np.allclose(ff.loadings, want if want.sum() >= 0 else -want, atol=TIGHT)
    monkeypatch.setattr(efa, "efa_first_loadings", lambda *_a: np.full(4, np.nan))
    assert efa.first_factor(x, seed=0).method == "PCA (EFA failed)"


def test_axis_draws_need_three_models_and_skip_only_the_failed_draw():
    f = np.array([[1.0, 2.0, 0.5], [2.0, 1.0, 1.5], [np.nan, 3.0, 2.5], [np.nan, np.nan, 4.0]])
    ref = np.array([-1.0, 0.0, 1.0, 2.0])
    # draw 0: questionnaire 0 only → two models keep a score: no PCA, no value;
    # draw 1: questionnaire 1 three times → exactly three models; draw 2: m3 misses 1 of 3
    counts = np.array([[3, 0, 0], [0, 3, 0], [0, 1, 2]])
    out = bs.axis_draws(f, ref, counts)
    assert np.isnan(out[:, 0]).all()
    for b in (1, 2):
        assert np.isfinite(out[:3, b]).all() and np.isnan(out[3, b])
        assert np.corrcoef(out[:3, b], ref[:3])[0, 1] > 0
    # every draw is oriented to the reference: a reversed reference reverses every draw
    flipped = bs.axis_draws(f, -ref, counts)
    assert np.allclose(flipped[:3, 1:], -out[:3, 1:], atol=TIGHT, rtol=0)
    # only the sign of the agreement counts, not its size
    assert np.allclose(bs.axis_draws(f, ref * 1e-3, counts)[:3, 1:], out[:3, 1:], atol=TIGHT)
    # one column repeated: the standardised column itself, oriented to the reference
    col = f[:3, 1]
    assert np.allclose(np.abs(out[:3, 1]), np.abs((col - col.mean()) / col.std()) * np.sqrt(3))


def test_questionnaires_without_a_first_factor_are_named_in_one_note():
    from pinocchio_eval.scoring.engine import score_table
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(16, spec=small_spec(5, 4), seed=6)
    table = sp.table.copy()
    table.loc[table["questionnaire"].isin(["Q01", "Q03"]), "response"] = 3  # nothing varies
    res = score_table(table, methods=("panel", "axis"), catalog=sp.catalog)
    why = "fewer than 2 items vary across the complete models"
    assert (f"axis: questionnaire(s) without a first factor: Q01 ({why}); Q03 ({why})"
            in res.notes)
    assert res.status["axis"].startswith("ok") and (res.scores["n_questionnaires_axis"] == 3).all()


def test_tucker_congruence_by_hand():
    from pinocchio_eval.scoring.efa import tucker_congruence

    # Σab = 2 + 1 + 3 = 6, Σa² = 14, Σb² = 4 + 0.25 + 1 = 5.25: 6 / √(14 · 5.25)
    assert tucker_congruence(np.array([1.0, 2.0, 3.0]), np.array([2.0, 0.5, 1.0])) == \
        pytest.approx(6.0 / math.sqrt(14 * 5.25), abs=1e-12)
    assert tucker_congruence(np.array([1.0, 2.0]), np.array([-2.0, -4.0])) == pytest.approx(1.0)
    assert tucker_congruence(np.array([0.5, 0.1]), np.array([0.1, 0.5])) == \
        pytest.approx(0.1 / 0.26, abs=1e-12)   # small vectors: den = 0.26 < 1
    assert math.isnan(tucker_congruence(np.array([0.0, 0.0]), np.array([1.0, 2.0])))


# --- per-questionnaire fits, the refusal message and axis_method's fallbacks (mutation wave 5)


def test_each_group_fit_records_how_many_models_answered_all_its_items() -> None:
    # _answers(): m5 skipped one item of P and m6 all of T, so 6 of the 7 models are
    # listwise complete in P and in T, and all 7 in Q, R and S.
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    fit, _ = fit_axis(panel)
    complete = {g: sum(all((g, i) in a for i in range(N_ITEMS)) for a in NEUTRAL.values())
                for g in GROUPS}
    assert complete == {"P": 6, "Q": 7, "R": 7, "S": 7, "T": 6}
    assert {g.name: g.n_models for g in fit.groups} == complete


def test_axis_refusal_lists_each_skipped_questionnaire_separated_by_semicolons() -> None:
    # every answer to P, Q, R and S set to 3: nothing varies there, only T keeps a first
    # factor, and the refusal names the four skipped questionnaires in order, "; "-separated
    frame = _frame()
    frame.loc[frame["questionnaire"].isin(["P", "Q", "R", "S"]), "response"] = 3
    panel = PanelData.from_clean(clean_responses(frame, CAT))
    why = "fewer than 2 items vary across the complete models"
    with pytest.raises(ValueError) as info:
        fit_axis(panel)
    assert str(info.value) == (
        "the axis method needs at least 2 questionnaires with a first factor (got 1; "
        f"skipped: P: {why}; Q: {why}; R: {why}; S: {why})")


def test_item_whose_spread_underflows_to_zero_gets_unit_sd() -> None:
    from pinocchio_eval.scoring.axis import _fit_group

    # Item 0 takes the values 0 and d among the two complete models and d/2 for ten more
    # models that skipped item 1. d² ≈ 3.95e-323 (8 of the smallest subnormal, 4.94e-324).
    # Complete models: deviations ±d/2, squares d²/4 ≈ 2 subnormals each, mean of the
    # squares ≈ 2 subnormals > 0: the item varies and is kept. All twelve models: mean
    # d/2, the same two squares plus ten zeros, sum ≈ 4 subnormals, / 11 < half a subnormal
    # → 0. So the ddof-1 SD of item 0 is exactly 0 and must be replaced by 1.
    d = 2.0 * math.sqrt(2 * 4.94e-324)
    col0 = [0.0, d] + [d / 2] * 10
    col1 = [1.0, 2.0] + [math.nan] * 10
    listwise_mean = (col0[0] + col0[1]) / 2
    assert ((col0[0] - listwise_mean) ** 2 + (col0[1] - listwise_mean) ** 2) / 2 > 0
    full_mean = sum(col0) / len(col0)
    assert sum((v - full_mean) ** 2 for v in col0) / (len(col0) - 1) == 0.0
    x = np.column_stack([col0, col1])
    fit = _fit_group("U", x, np.array([0, 1]), seed=0)
    assert not isinstance(fit, str)
    assert fit.columns.tolist() == [0, 1]
    # item 1: answers 1 and 2 → mean 1.5, SD √(0.25 + 0.25) = √0.5
    assert fit.sd == pytest.approx([1.0, math.sqrt(0.5)], abs=1e-15)
    assert np.isfinite(group_scores(x, [fit])).all()


def _draws() -> Draws:
    return Draws(bootstrap=0, seed=0, codes=np.zeros(0, dtype=int), counts=None)


def test_axis_method_without_neutral_answers_gives_one_nan_score_column() -> None:
    frame = _frame()
    panel = PanelData.from_clean(clean_responses(frame[frame["condition"] != "neutral"], CAT))
    assert "neutral" not in panel.matrices
    res = axis_method(panel, _draws())
    assert res.status == "unavailable: needs neutral answers"
    assert list(res.columns) == ["pi_axis"]
    assert math.isnan(res.columns["pi_axis"])


def test_axis_method_that_cannot_fit_keeps_the_factors_note_and_a_nan_score() -> None:
    # two models only: fit_axis refuses (it needs 3); the factors table names a
    # questionnaire "ZZ" the input lacks, which is still reported
    frame = _frame()
    panel = PanelData.from_clean(clean_responses(frame[frame["model"].isin(["m0", "m1"])], CAT))
    res = axis_method(panel, _draws(), factors={"ZZ": 2})
    assert res.status == ("unavailable: the axis method needs a panel of at least 3 models "
                          "with neutral answers (input has 2)")
    assert list(res.columns) == ["pi_axis"]
    assert math.isnan(res.columns["pi_axis"])
    assert res.notes == ["factors table: 1 questionnaire(s) not in the input: ZZ"]


def test_axis_summary_counts_the_questionnaires_on_the_axis() -> None:
    # all five questionnaires P…T vary and keep a first factor
    res = score_table(_frame(), methods=("axis",), catalog=CAT)
    assert res.summary["axis_questionnaires"] == len(GROUPS) == 5


# --- pca_directions: the sign convention and the variance ratios (mutation wave 6) ----------
# Rows ±5·u1 and ±1·u2 with u1 = (0.6, -0.8), u2 = (0.8, 0.6) orthonormal: the columns are
# centred and xsᵀxs = 2·25·u1u1ᵀ + 2·1·u2u2ᵀ, so the squared singular values are 50 and 2,
# the ratios 50/52 = 25/26 and 2/52 = 1/26, and the directions ±u1 then ±u2.
U1, U2 = np.array([0.6, -0.8]), np.array([0.8, 0.6])
XS = np.array([5 * U1, -5 * U1, U2, -U2])


def test_pca_directions_turn_each_component_so_its_largest_entry_is_positive() -> None:
    from pinocchio_eval.scoring.axis import pca_directions

    # u1's largest |entry| is -0.8, so it comes back as -u1; u2's is +0.8, kept as is.
    # xs and -xs have the same principal directions, whatever sign the SVD picks for each
    want = np.array([-U1, U2])
    for xs in (XS, -XS):
        vt, _ = pca_directions(xs)
        assert vt.dtype == np.float64
        assert np.allclose(vt, want, atol=TIGHT, rtol=0)


def test_pca_explained_ratios_do_not_depend_on_the_scale_of_the_scores() -> None:
    from pinocchio_eval.scoring.axis import pca_directions

    # at 0.1·xs the squared singular values are 0.5 and 0.02 (sum 0.52 < 1): still ratios
    for k in (0.1, 1.0, 10.0):
        _, ratio = pca_directions(k * XS)
        assert np.allclose(ratio, [25 / 26, 1 / 26], atol=TIGHT, rtol=0)


def test_pca_of_all_zero_scores_explains_nothing_instead_of_dividing_by_zero() -> None:
    from pinocchio_eval.scoring.axis import pca_directions

    # every questionnaire score constant: standardised to zeros, no variance to share out
    _, ratio = pca_directions(np.zeros((4, 2)))
    assert ratio.tolist() == [0.0, 0.0]


# --- orient_axis, keep_models, standardise, fit_groups and axis_summary at their edges ---

def _bare_fit(pc1: list[float], pc2: list[float] | None = None) -> AxisFit:
    """An AxisFit whose only meaningful part is its component rows (orientation reads them)."""
    k = len(pc1)
    second = pc2 if pc2 is not None else [0.0] * k
    return AxisFit(groups=[], scaler_mean=np.zeros(k), scaler_scale=np.ones(k),
                   components=np.array([pc1, second]), explained=np.array([1.0, 0.0]))


LOADING_NOTE = "positive sum of PC1 questionnaire loadings"


def test_reference_given_in_another_model_order_is_matched_by_model_name() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([-1.0, -1.0])          # loadings sum < 0: the fallback would flip
    # raw rises a → c, and so does the reference once read by name: r = +1, keep the sign
    ref = pd.Series({"c": 30.0, "b": 20.0, "a": 10.0}, name="pi_panel")
    orient_axis(fit, np.array([1.0, 2.0, 3.0]), models, ref)
    assert fit.sign == 1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_reference_of_object_dtype_still_orients_the_axis() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([1.0, 1.0])            # loadings sum > 0: the fallback would keep +1
    ref = pd.Series([3, 2, 1], index=models, dtype=object, name="pi_panel")
    orient_axis(fit, np.array([1.0, 2.0, 3.0]), models, ref)   # r = -1 → flip
    assert fit.sign == -1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_model_without_a_raw_score_is_left_out_of_the_orientation_correlation() -> None:
    models = pd.Index(["a", "b", "c", "d"])
    fit = _bare_fit([1.0, 1.0])
    # d has no axis score: the other three give raw 1, 2, 3 against ref 3, 2, 1 → r = -1
    ref = pd.Series([3.0, 2.0, 1.0, 0.0], index=models, name="pi_panel")
    orient_axis(fit, np.array([1.0, 2.0, 3.0, np.nan]), models, ref)
    assert fit.sign == -1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_three_models_with_both_scores_are_enough_to_orient_by_the_reference() -> None:
    models = pd.Index(["a", "b", "c", "d"])
    fit = _bare_fit([1.0, 1.0])
    # only a, b, c have a reference; raw 1, 2, 3 against 3, 2, 1 → r = -1
    ref = pd.Series([3.0, 2.0, 1.0], index=models[:3], name="pi_panel")
    orient_axis(fit, np.array([1.0, 2.0, 3.0, 4.0]), models, ref)
    assert fit.sign == -1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_constant_raw_scores_fall_back_to_the_loadings_sum() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([-2.0, 1.0])           # sum -1 < 0 → sign -1
    ref = pd.Series([1.0, 2.0, 3.0], index=models, name="pi_panel")
    orient_axis(fit, np.array([5.0, 5.0, 5.0]), models, ref)
    assert fit.sign == -1.0
    assert fit.orientation == LOADING_NOTE


def test_raw_scores_with_a_small_spread_still_follow_the_reference() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([1.0, 1.0])
    # population SD of 0.1, 0.2, 0.3 is √(0.02/3) ≈ 0.082 (< 1, > 0); r with 3, 2, 1 is -1
    ref = pd.Series([3.0, 2.0, 1.0], index=models, name="pi_panel")
    orient_axis(fit, np.array([0.1, 0.2, 0.3]), models, ref)
    assert fit.sign == -1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_uncorrelated_reference_keeps_the_sign_positive() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([-1.0, -1.0])
    # raw centred -1, 0, 1; ref 1, -2, 1 has mean 0; Σ products = -1 + 0 + 1 = 0 → r = 0
    ref = pd.Series([1.0, -2.0, 1.0], index=models, name="pi_panel")
    orient_axis(fit, np.array([-1.0, 0.0, 1.0]), models, ref)
    assert fit.sign == 1.0
    assert fit.orientation == "positive correlation with pi_panel"


def test_unnamed_reference_is_called_reference() -> None:
    models = pd.Index(["a", "b", "c"])
    fit = _bare_fit([1.0, 1.0])
    orient_axis(fit, np.array([1.0, 2.0, 3.0]), models, pd.Series([1.0, 2.0, 4.0], index=models))
    assert fit.sign == 1.0
    assert fit.orientation == "positive correlation with reference"


@pytest.mark.parametrize(("pc1", "pc2", "sign"), [
    ([-3.0, 1.0], [1.0, 1.0], -1.0),       # PC1 sums to -2 (PC2 to +2): flip
    ([2.0, -2.0], [-1.0, -1.0], 1.0),      # PC1 sums to exactly 0: keep
    ([0.25, 0.25], [-1.0, -1.0], 1.0),     # PC1 sums to 0.5: keep
])
def test_without_a_reference_the_sign_follows_the_pc1_loadings_sum(
        pc1: list[float], pc2: list[float], sign: float) -> None:
    fit = _bare_fit(pc1, pc2)
    orient_axis(fit, np.array([1.0, 2.0, 3.0]), pd.Index(["a", "b", "c"]), None)
    assert fit.sign == sign
    assert fit.orientation == LOADING_NOTE


def test_missing_share_exactly_at_the_allowance_plus_tolerance_is_kept() -> None:
    # (0.5 - 1e-12) + 1e-12 is exactly 0.5 in floats; a model missing 1 of 2 is at the bound
    f = np.array([[1.0, np.nan], [np.nan, np.nan], [1.0, 2.0]])
    assert keep_models(f, max_missing=0.5 - 1e-12).tolist() == [True, False, True]


def test_standardise_gives_a_constant_column_unit_scale_and_zero_scores() -> None:
    f = np.array([[1.0, 4.0], [3.0, 4.0], [np.nan, 4.0]])
    xs, mean, scale = standardise(f)
    # column 0 filled: 1, 3, 0 → mean 4/3, population SD √((1/9 + 25/9 + 16/9)/3) = √(14/9)
    assert mean.tolist() == pytest.approx([4 / 3, 4.0], abs=TIGHT)
    assert scale.tolist() == pytest.approx([math.sqrt(14 / 9), 1.0], abs=TIGHT)
    assert xs[:, 1].tolist() == [0.0, 0.0, 0.0]
    assert xs[:, 0].tolist() == pytest.approx(
        [(v - 4 / 3) / math.sqrt(14 / 9) for v in (1.0, 3.0, 0.0)], abs=TIGHT)


def test_group_skipped_for_too_few_complete_models_says_how_many_there_were() -> None:
    # only model 0 answered both items
    x = np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, np.nan]])
    assert _fit_group("U", x, np.array([0, 1]), seed=0) == (
        "fewer than 2 models answered every item (1)")


def test_item_whose_listwise_spread_underflows_is_dropped() -> None:
    # item 2 is 0, 0, 0, t among four complete models with t = √(2·4.94e-324·16/9): mean t/4,
    # squares (t/4)² ≈ 0.22 subnormals → 0 (three times) and (3t/4)² ≈ 2 subnormals; sum 2
    # subnormals, / 4 = exactly half the smallest subnormal → rounds to 0: the item does not vary
    t = math.sqrt(2 * 4.94e-324 * 16 / 9)
    assert sum((v - t / 4) ** 2 for v in (0.0, 0.0, 0.0, t)) / 4 == 0.0
    x = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [3.0, 5.0, 0.0], [4.0, 3.0, t]])
    fit = _fit_group("U", x, np.array([0, 1, 2]), seed=0)
    assert not isinstance(fit, str)
    assert fit.columns.tolist() == [0, 1]


def _two_condition_panel() -> PanelData:
    """Questionnaires A and B merged into axis group AB, C on its own; 5 models × 2 items each.
    Neutral answers vary everywhere; the human_simulation matrix is all missing."""
    items = pd.MultiIndex.from_tuples([(q, i) for q in "ABC" for i in range(2)],
                                      names=["questionnaire", "item_index"])
    neutral = np.array([[1, 2, 1, 3, 5, 4], [2, 2, 3, 1, 4, 4], [3, 5, 2, 2, 1, 2],
                        [4, 3, 5, 4, 2, 1], [5, 4, 4, 5, 3, 3]], dtype=float)
    return PanelData(models=pd.Index([f"m{k}" for k in range(5)], name="model"), items=items,
                     matrices={"neutral": neutral,
                               "human_simulation": np.full_like(neutral, np.nan)},
                     item_text=pd.Series(pd.NA, index=items, dtype=object),
                     groups={"A": "AB", "B": "AB", "C": "C"})


def test_fit_groups_fits_merged_axis_groups_on_neutral_answers_by_default() -> None:
    panel = _two_condition_panel()
    fits, skipped = fit_groups(panel)
    assert skipped == {}
    assert [g.name for g in fits] == ["AB", "C"]
    assert [g.columns.tolist() for g in fits] == [[0, 1, 2, 3], [4, 5]]
    # item means over the five neutral answers, by hand
    assert fits[0].mean.tolist() == pytest.approx([15 / 5, 16 / 5, 15 / 5, 15 / 5], abs=TIGHT)
    assert fits[1].mean.tolist() == pytest.approx([15 / 5, 14 / 5], abs=TIGHT)


def test_axis_summary_without_a_second_component_reports_nan_pc2() -> None:
    out = axis_summary(np.array([1.0]), "none", 2)
    assert out["pc1_variance"] == 1.0
    assert math.isnan(out["pc2_variance"])


def test_axis_summary_with_two_components_reports_the_second() -> None:
    out = axis_summary(np.array([0.75, 0.25]), "none", 2)
    assert (out["pc1_variance"], out["pc2_variance"]) == (0.75, 0.25)


# Two tight item pairs on separate factors (10 models × 4 items): the second correlation
# eigenvalue, ≈ 1.4338, lies between the 95th percentiles of random second eigenvalues under
# the seeds parallel analysis draws with for questionnaire "C" at seed 0 (≈ 1.4327) and seed 1
# (≈ 1.4348), so the seed decides between 2 factors and 1.
SEED_SENSITIVE = np.array([
    [-1.8854, -1.5054, 0.7985, 0.5354], [-2.5934, -2.4673, -1.2203, -0.5272],
    [-0.8585, -0.6162, -1.0594, -0.4044], [0.7620, 0.6821, 1.2024, 1.5282],
    [1.8772, 1.7980, 0.4046, -0.2625], [0.5030, 0.3669, -2.1986, -1.0636],
    [-1.5033, -1.1629, 0.4696, -0.5464], [-1.7071, -1.7138, 0.0131, -1.0586],
    [1.6514, 1.1003, -0.5283, -0.7829], [3.6367, 3.3725, 0.7633, -0.1316]])


def _plain_parallel_analysis(x: np.ndarray, seed: int) -> int:
    """Horn's rule by loops: leading eigenvalues of corrcoef above the 95th percentile of the
    same rank over 200 standard-normal matrices, at least 1, at most min(n, p) - 1."""
    n, p = x.shape
    observed = np.sort(np.linalg.eigvalsh(np.corrcoef(x, rowvar=False)))[::-1]
    draws = np.random.default_rng(seed).standard_normal((200, n, p))
    rand = np.array([np.sort(np.linalg.eigvalsh(np.corrcoef(d, rowvar=False)))[::-1]
                     for d in draws])
    k = 0
    while k < p and observed[k] > np.percentile(rand[:, k], 95.0):
        k += 1
    return max(1, min(k, min(n, p) - 1))


def test_fit_groups_draws_parallel_analysis_with_seed_zero_by_default() -> None:
    items = pd.MultiIndex.from_tuples([("C", i) for i in range(4)],
                                      names=["questionnaire", "item_index"])
    panel = PanelData(models=pd.Index([f"m{k}" for k in range(10)], name="model"), items=items,
                      matrices={"neutral": SEED_SENSITIVE},
                      item_text=pd.Series(pd.NA, index=items, dtype=object), groups={"C": "C"})
    # the per-questionnaire seed: (seed · 1,000,003 + CRC-32 of the name) mod 2³²
    crc = zlib.crc32(b"C")
    assert _plain_parallel_analysis(SEED_SENSITIVE, crc) == 2
    assert _plain_parallel_analysis(SEED_SENSITIVE, (1_000_003 + crc) % 2**32) == 1
    fits, _ = fit_groups(panel)
    assert fits[0].n_factors == 2


# --- fit_axis: default seed, the 3-model minimums and the long refusal note (mutation wave 7)


def _panel_of(blocks: dict[str, np.ndarray]) -> PanelData:
    """One questionnaire per block (models × items), each its own axis group, in order."""
    n = next(iter(blocks.values())).shape[0]
    items = pd.MultiIndex.from_tuples([(q, i) for q, b in blocks.items()
                                       for i in range(b.shape[1])],
                                      names=["questionnaire", "item_index"])
    return PanelData(models=pd.Index([f"m{k}" for k in range(n)], name="model"), items=items,
                     matrices={"neutral": np.hstack(list(blocks.values()))},
                     item_text=pd.Series(pd.NA, index=items, dtype=object),
                     groups={q: q for q in blocks})


# three models, two items per questionnaire, every item varies and no two rows are equal
THREE_A = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 3.0]])
THREE_B = np.array([[2.0, 1.0], [5.0, 4.0], [1.0, 2.0]])


def test_fit_axis_draws_parallel_analysis_with_seed_zero_by_default() -> None:
    # questionnaire C is SEED_SENSITIVE: seed 0 gives it 2 factors, seed 1 only 1 (see
    # test_fit_groups_draws_parallel_analysis_with_seed_zero_by_default); D is a second,
    # plain questionnaire so the axis can be fitted at all
    d = np.column_stack([SEED_SENSITIVE[:, 0] + SEED_SENSITIVE[:, 2],
                         SEED_SENSITIVE[:, 1] - SEED_SENSITIVE[:, 3]])
    crc = zlib.crc32(b"C")
    assert _plain_parallel_analysis(SEED_SENSITIVE, crc) == 2
    assert _plain_parallel_analysis(SEED_SENSITIVE, (1_000_003 + crc) % 2**32) == 1
    fit, _ = fit_axis(_panel_of({"C": SEED_SENSITIVE, "D": d}))
    assert [g.name for g in fit.groups] == ["C", "D"]
    assert fit.groups[0].n_factors == 2


def test_fit_axis_accepts_a_panel_of_exactly_three_answering_models() -> None:
    # 3 models answer everything: 3 ≥ 3 answering models and 3 ≥ 3 kept, so the axis fits
    _, scores = fit_axis(_panel_of({"A": THREE_A, "B": THREE_B}))
    assert scores["model"].tolist() == ["m0", "m1", "m2"]
    assert scores["pi_axis"].notna().all()
    assert scores["n_questionnaires_axis"].tolist() == [2, 2, 2]


def test_fit_axis_accepts_exactly_three_models_kept_after_the_missing_share_rule() -> None:
    # a 4th model answers only questionnaire A: it counts as answering (4 ≥ 3) but misses
    # 1 of 2 questionnaires (50 % > 20 %), leaving exactly 3 models for the PCA
    a = np.vstack([THREE_A, [[2.0, 4.0]]])
    b = np.vstack([THREE_B, [[np.nan, np.nan]]])
    _, scores = fit_axis(_panel_of({"A": a, "B": b}))
    got = scores.set_index("model")
    assert got["pi_axis"].drop("m3").notna().all()
    assert np.isnan(got.loc["m3", "pi_axis"])
    assert got["n_questionnaires_axis"].tolist() == [2, 2, 2, 1]


def test_axis_refusal_names_five_skipped_questionnaires_and_counts_the_rest() -> None:
    # seven constant questionnaires S1..S7 (nothing varies) and one fitted one, F: the note
    # shows the first 5 skipped and adds "; and 7 - 5 = 2 more"
    blocks = {f"S{k}": np.full((4, 2), 3.0) for k in range(1, 8)}
    blocks["F"] = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])
    why = "fewer than 2 items vary across the complete models"
    shown = "; ".join(f"S{k}: {why}" for k in range(1, 6))
    with pytest.raises(ValueError) as info:
        fit_axis(_panel_of(blocks))
    assert str(info.value) == (
        "the axis method needs at least 2 questionnaires with a first factor (got 1; "
        f"skipped: {shown}; and 2 more)")


# --- fit_axis: the kept-models refusal, the component rows and matching by name (wave 8)


def test_axis_refusal_when_fewer_than_three_models_keep_enough_questionnaires() -> None:
    # four models answer A, but only m0 and m1 answer B: both questionnaires keep a first
    # factor (B from its 2 complete models), 4 models answer, yet m2 and m3 miss 1 of 2
    # questionnaires (50 % > 20 %), so only 2 models are kept for the PCA
    a = np.vstack([THREE_A, [[2.0, 4.0]]])
    b = np.array([[2.0, 1.0], [5.0, 4.0], [np.nan, np.nan], [np.nan, np.nan]])
    with pytest.raises(ValueError) as info:
        fit_axis(_panel_of({"A": a, "B": b}))
    assert str(info.value) == ("the axis method needs at least 3 models answering ≥ 80 % of "
                               "the questionnaires")


def test_fit_axis_keeps_exactly_the_first_two_principal_directions() -> None:
    # 7 kept models × 5 questionnaires: five principal directions exist, the fit keeps the
    # first two, equal up to sign to scikit-learn's, each with its largest |entry| positive
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    fit, _ = fit_axis(panel)
    _, pca = _plain_axis(NEUTRAL, None)
    assert pca.components_.shape == (5, 5)
    assert fit.components.shape == (2, 5)
    for k in range(2):
        want = pca.components_[k]
        want = want if want[np.abs(want).argmax()] > 0 else -want
        assert np.allclose(fit.components[k], want, atol=TIGHT, rtol=0), k


def test_fit_axis_orients_to_a_reference_by_model_name_not_by_position() -> None:
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    panel_scores = plain_pi_panel(NEUTRAL, HUMAN)
    want, _ = _plain_axis(NEUTRAL, panel_scores)
    # the same Π_panel values listed m6 → m0: read by position they would anti-correlate
    # with the correctly oriented axis (checked here), read by name they agree with it
    ref = pd.Series(panel_scores, name="Π_panel").reindex(MODELS[::-1])
    assert np.corrcoef(want.reindex(MODELS).to_numpy(), ref.to_numpy())[0, 1] < 0
    fit, scores = fit_axis(panel, orient_to=ref)
    assert fit.orientation == "positive correlation with Π_panel"
    got = scores.set_index("model")["pi_axis"]
    for m in MODELS:
        assert got[m] == pytest.approx(want[m], abs=TIGHT), m


def test_fit_axis_scores_name_the_panel_models_in_panel_order() -> None:
    panel = PanelData.from_clean(clean_responses(_frame(), CAT))
    _, scores = fit_axis(panel)
    assert scores["model"].tolist() == MODELS
    assert scores.columns.tolist() == ["model", "pi_axis", "n_questionnaires_axis"]


# --- per-questionnaire seed wraps at 2³² and BLAS runs on one thread (Z3)
def test_stable_seed_wraps_modulo_two_to_the_32() -> None:
    # CRC-32 of the empty name is 0. 4295 · 1,000,003 = 4,295,012,885, and
    # 2³² = 4,294,967,296, so the seed wraps to 4,295,012,885 − 4,294,967,296 = 45,589
    assert efa.stable_seed(4295, "") == 45_589


def test_single_threaded_blas_limits_blas_to_one_thread() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    from pinocchio_eval.scoring.axis import single_threaded_blas

    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    if not blas:
        pytest.skip("no BLAS thread pool loaded")
    # start from 4 threads so neither "leave as is" nor "two threads" looks like one thread
    with threadpool_limits(limits=4, user_api="blas"), single_threaded_blas():
        threads = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert threads and all(n == 1 for n in threads)
