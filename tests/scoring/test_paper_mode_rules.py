"""Each paper-mode rule on a panel small enough to compute by hand, plus the input rules that
both modes share (empty answers stay missing, --min-parse-rate, text answers on the real scale,
weights bound to their item text, one superseded rule for Π_self)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pinocchio_eval.cli import cli
from pinocchio_eval.responses import ResponseTableError
from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.catalog import MappingCatalog
from pinocchio_eval.scoring.efa import first_factor, parallel_analysis
from pinocchio_eval.scoring.factors import read_factors
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.paper import (
    PaperRules,
    paper_items,
    paper_long,
    paper_weights,
    rescaled_draw,
    run_paper,
)
from pinocchio_eval.scoring.selfanchored import (
    load_item_weights,
    pi_self_from_means,
    pi_self_from_records,
    text_applies,
)

MFQ = "Moral Foundations Questionnaire (MFQ-30)"


def rows(q: str, idx: int, text: str, neutral: list[float], human: list[float]) -> list[dict]:
    out = []
    for cond, vals in (("neutral", neutral), ("human_simulation", human)):
        for m, v in enumerate(vals):
            out.append({"model": f"m{m}", "condition": cond, "questionnaire": q,
                        "item_index": idx, "item": text, "response": v})
    return out


NEU_A = [1, 2, 3, 4, 5]      # var 2.5
HUM_A = [2, 3, 3, 3, 4]      # var 0.5   -> π = 5
NEU_B = [1, 1, 3, 5, 5]      # var 4.0
HUM_B = [2, 3, 3, 4, 4]      # var 0.7   -> π = 5.714285... -> 5.714


def test_pi_is_rounded_to_three_decimals_like_the_authors_sheet():
    cat = MappingCatalog({"Q": (1, 5)})
    clean = clean_responses(pd.DataFrame(rows("Q", 0, "b", NEU_B, HUM_B)), cat)
    long, _ = paper_long(clean)
    sheet = paper_items(long)
    assert sheet["pi"].tolist() == [5.714]
    assert sheet["var_human_simulation"].tolist() == [0.7]
    exact = paper_items(long, PaperRules(round_pi=False))["pi"].iloc[0]
    assert exact == pytest.approx(4.0 / 0.7)


def test_mfq_parts_pool_into_one_pi_and_only_the_first_text_is_weighted():
    parts = {f"{MFQ}_1": ["care one"], f"{MFQ}_2": ["care two"]}
    cat = MappingCatalog({f"{MFQ}_1": (0, 5), f"{MFQ}_2": (0, 5)}, parts={MFQ: parts})
    table = pd.DataFrame(rows(MFQ, 0, "care one", NEU_A, HUM_A)
                         + rows(MFQ, 0, "care two", NEU_B, HUM_B))
    long, _ = paper_long(clean_responses(table, cat))
    sheet = paper_items(long)
    # one π over the ten pooled rows per condition
    pooled_n = np.var(NEU_A + NEU_B, ddof=1)
    pooled_h = np.var(HUM_A + HUM_B, ddof=1)
    assert len(sheet) == 1 and sheet["n_neutral"].iloc[0] == 10
    assert sheet["pi"].iloc[0] == round(pooled_n / pooled_h, 3)
    w = paper_weights(sheet).weights
    assert list(w.index) == [(MFQ, "care one")]  # the text of the group's first row
    # separated parts (the project's way) give two π values
    apart, _ = paper_long(clean_responses(table, cat), PaperRules(pool_mfq=False))
    assert len(paper_items(apart)) == 2


def test_duplicate_texts_are_one_item_and_the_later_sheet_row_gives_the_weight():
    cat = MappingCatalog({"Q": (1, 5)})
    table = pd.DataFrame(rows("Q", 0, "same", NEU_A, HUM_A) + rows("Q", 1, "same", NEU_B, HUM_B)
                         + rows("Q", 2, "other", NEU_B, HUM_A))
    clean = clean_responses(table, cat)
    long, _ = paper_long(clean)
    pw = paper_weights(paper_items(long))
    # sheet sorted by π descending: item 2 (π 8), item 1 (5.714), item 0 (5); the dict keeps
    # the last row for the shared key, so "same" carries item 0's weight
    cap = np.percentile([8.0, 5.714, 5.0], 99)
    assert pw.weights[("Q", "same")] == pytest.approx(math.log(5.0))
    assert pw.weights[("Q", "other")] == pytest.approx(math.log(min(8.0, cap)))
    run = run_paper(clean, axis=False)
    # per model: mean of the two "same" answers is one column; z ddof 0; weighted mean
    same = (np.array(NEU_A) + np.array(NEU_B)) / 2
    other = np.array(NEU_B, dtype=float)
    zs = (same - same.mean()) / same.std()
    zo = (other - other.mean()) / other.std()
    w_s, w_o = math.log(5.0), math.log(min(8.0, cap))
    expect = (w_s * zs + w_o * zo) / (w_s + w_o)
    np.testing.assert_allclose(run.pi_panel.to_numpy(), expect, atol=1e-12)


def test_paper_pca_fallback_is_the_covariance_unit_eigenvector():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(6, 9)).astype(float)
    got = first_factor(x, 0, n_factors=2, compat="paper")
    vals, vecs = np.linalg.eigh(np.cov(x.T))
    v = vecs[:, -1] * np.sign(vecs[:, -1].sum())
    assert got.method == "PCA"
    np.testing.assert_allclose(got.loadings, v, atol=1e-10)
    assert np.linalg.norm(got.loadings) == pytest.approx(1.0)
    project = first_factor(x, 0, n_factors=2)
    assert np.linalg.norm(project.loadings) > 1.0  # loadings scaled by √λ of the correlation


def test_parallel_analysis_rules_count_differently():
    """'all' counts every eigenvalue above the random threshold, 'leading' only the first run."""
    rng = np.random.default_rng(3)
    found = False
    for _ in range(40):
        x = rng.standard_normal((20, 12))
        lead, every = (parallel_analysis(x, 5, rule="leading"),
                       parallel_analysis(x, 5, rule="all"))
        assert every >= lead
        found |= every > lead
    assert found


def test_bootstrap_draw_is_rescaled_to_the_reference_mean_and_sd():
    ref = pd.Series([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], index=list("abcdef"))
    draw = pd.Series([10.0, 8.0, 6.0, 4.0, 2.0, 0.0], index=list("abcdef"))
    out = rescaled_draw(draw, ref, align_sign=True)
    np.testing.assert_allclose(out.to_numpy(), ref.to_numpy())
    kept = rescaled_draw(draw, ref, align_sign=False)  # the panel score never flips
    assert kept.corr(ref) < 0
    assert rescaled_draw(draw.iloc[:4], ref, align_sign=True) is None  # < 5 common models


# ------------------------------------------------------------------------ shared input rules
def _raw_table() -> pd.DataFrame:
    df = pd.DataFrame(rows("Q", 0, "x", NEU_A * 2, HUM_A * 2))
    df["response_raw"] = df["response"].astype(str)
    df.loc[0, "response"] = np.nan
    df.loc[0, "response_raw"] = "I would say 4"
    return df


def test_empty_response_beside_raw_text_stays_missing_unless_reparse():
    cat = MappingCatalog({"Q": (1, 5)})
    kept = clean_responses(_raw_table(), cat).table["value"]
    assert np.isnan(kept.iloc[0])
    revived = clean_responses(_raw_table(), cat, reparse=True)
    assert revived.table["value"].iloc[0] == 4
    assert any("re-parsed 1 answer" in n for n in revived.notes)


def test_min_parse_rate_drops_and_names_models():
    cat = MappingCatalog({"Q": (1, 5)})
    df = _raw_table()                                   # m0: 1 of 2 answers usable
    df.loc[df["model"] == "m1", "response"] = np.nan    # m1: none
    clean = clean_responses(df, cat, min_parse_rate=0.9)
    assert set(clean.table["model"]) == {f"m{i}" for i in range(2, 10)}
    assert list(clean.counts["model"]) == [f"m{i}" for i in range(2, 10)]
    assert any("dropped 2 model(s)" in n and "m0 (0.500)" in n and "m1 (0.000)" in n
               for n in clean.notes)
    assert len(clean_responses(df, cat, min_parse_rate=0.5).counts) == 9  # m0 stays at 0.5
    assert ("dropped 2 model(s) below the minimum parse rate 0.9: m0 (0.500), m1 (0.000)"
            in clean.notes)
    # the kept rows are exactly the unfiltered clean rows of the other models, renumbered
    full = clean_responses(df, cat)
    for got, whole in ((clean.table, full.table), (clean.counts, full.counts)):
        want = whole[~whole["model"].isin(["m0", "m1"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
    with pytest.raises(ResponseTableError,
                       match=r"^input: every model is below the minimum parse rate 2; lower"):
        clean_responses(df, cat, min_parse_rate=2)


def test_text_answers_parse_against_the_items_real_scale():
    df = pd.DataFrame({"model": ["a", "a", "a"], "condition": ["neutral"] * 3,
                       "questionnaire": ["BFI-2"] * 3, "item_index": [0, 1, 2],
                       "response": ["Agree", "Strongly disagree", "5"]})
    clean = clean_responses(df)
    assert clean.table["value"].tolist() == [4.0, 1.0, 5.0]
    # beside a response_raw column, the label in `response` is what gets parsed
    df["response_raw"] = ["I'd say I agree", "Strongly disagree, really", "5"]
    df.loc[1, "response"] = ""
    clean = clean_responses(df)
    assert clean.table["value"].iloc[0] == 4.0
    assert np.isnan(clean.table["value"].iloc[1])  # empty cell: the table's verdict stands


def test_factors_file_uses_neutral_rows_and_rejects_bad_tables(tmp_path):
    good = tmp_path / "summary.csv"
    pd.DataFrame({"questionnaire": ["A", "A", "B"], "condition": ["neutral", "llm_analog",
                                                                  "neutral"],
                  "method": ["EFA"] * 3, "n_factors": [2, 5, 1]}).to_csv(good, index=False)
    assert read_factors(good) == {"A": 2, "B": 1}
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"questionnaire": ["A"], "condition": ["neutral"]}).to_csv(bad, index=False)
    with pytest.raises(ResponseTableError, match=r"bad.csv: .*lacks column\(s\)"):
        read_factors(bad)
    zero = tmp_path / "zero.csv"
    pd.DataFrame({"questionnaire": ["A"], "condition": ["neutral"], "method": ["EFA"],
                  "n_factors": [0]}).to_csv(zero, index=False)
    with pytest.raises(ResponseTableError, match="row 2 .*'A'.*whole number >= 1"):
        read_factors(zero)


def test_fixed_factor_counts_reach_the_default_axis():
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(30, spec=small_spec(4, 8), seed=2)
    res = score_table(sp.table, catalog=sp.catalog, methods=("axis",),
                      factors={"Q00": 3, "Q01": 3, "Q02": 3, "Q03": 3, "Elsewhere": 2})
    assert {g.n_factors for g in res.axis_fit.groups} == {3}
    assert "factors table: 1 questionnaire(s) not in the input: Elsewhere" in res.notes


# --------------------------------------------------------- weights and superseded (fix 7, 8)
@pytest.mark.parametrize("mode", ["source", "corrected"])
def test_every_weight_applies_only_to_its_own_text(mode):
    from pinocchio_eval.scoring.catalog import BatteryCatalog

    cat = BatteryCatalog()
    w = load_item_weights()
    keys = list(zip(w["questionnaire"], w["item_index"], strict=True))
    allowed = [{t for t in (a, b) if isinstance(t, str)} for a, b in
               zip(w["item"], w["corrected_item"], strict=True)]
    from pinocchio_eval.scoring.catalog import normalise_text

    allowed = [{normalise_text(t) for t in s} for s in allowed]
    applies = text_applies(keys, allowed, text_mode=mode)
    shown = [cat.item_text(q, i, mode) for q, i in keys]
    for (q, i), ok, text, own in zip(keys, applies, shown, w["item"], strict=True):
        if mode == "source" or (q, i) != ("BAI", 0):
            assert ok, (q, i, text)
        else:  # corrected mode shows "Numbness or tingling" where the weight was estimated
            assert not ok and normalise_text(text) != normalise_text(own)
    assert applies.sum() == len(keys) - (mode == "corrected")


def test_pi_self_from_records_leaves_superseded_instruments_out():
    w = load_item_weights()
    irq = w[w["questionnaire"] == "IRQ"].iloc[0]
    bfi = w[w["questionnaire"] == "BFI-2"].iloc[0]
    records = [("neutral", "BFI-2", int(bfi.item_index), 4.0),
               ("human_simulation", "BFI-2", int(bfi.item_index), 2.0),
               ("neutral", "IRQ", int(irq.item_index), 1.0),
               ("human_simulation", "IRQ", int(irq.item_index), 5.0)]
    value, n = pi_self_from_records(records)
    assert n == 1
    assert value == pytest.approx(bfi.r_pc1 * 2.0 / bfi.sd / abs(bfi.r_pc1))
    _, n_all = pi_self_from_records(records, include_superseded=True)
    assert n_all == 2
    # the same defaults one level down, from per-item means
    neu = {(q, i): v for c, q, i, v in records if c == "neutral"}
    hum = {(q, i): v for c, q, i, v in records if c == "human_simulation"}
    assert pi_self_from_means(neu, hum) == (pytest.approx(value), 1)
    assert pi_self_from_means(neu, hum, include_superseded=True)[1] == 2


def test_bai_item_0_loses_its_weight_in_corrected_runs_only():
    w = load_item_weights()
    row = w[(w["questionnaire"] == "BAI") & (w["item_index"] == 0)].iloc[0]
    recs = [("neutral", "BAI", 0, 3.0), ("human_simulation", "BAI", 0, 1.0)]
    assert pi_self_from_records(recs, text_mode="corrected") == (pytest.approx(math.nan,
                                                                               nan_ok=True), 0)
    value, n = pi_self_from_records(recs, text_mode="source")
    assert n == 1 and value == pytest.approx(np.sign(row.r_pc1) * 2.0 / row.sd)
    # from means: "corrected" is the default mode, and a text given for the item wins
    neu, hum = {("BAI", 0): 3.0}, {("BAI", 0): 1.0}
    assert pi_self_from_means(neu, hum)[1] == 0
    assert pi_self_from_means(neu, hum, text_mode="source") == (pytest.approx(value), 1)
    assert pi_self_from_means(neu, hum, texts={("BAI", 0): row["item"]}) == (
        pytest.approx(value), 1)


def test_harness_estimate_follows_the_same_text_and_superseded_rules():
    """The harness metrics' path (score_table through pi_self_estimate) agrees with the above."""
    from pinocchio_eval.scoring.selfanchored import pi_self_estimate

    w = load_item_weights()
    row = w[(w["questionnaire"] == "BAI") & (w["item_index"] == 0)].iloc[0]
    irq = w[w["questionnaire"] == "IRQ"].iloc[0]
    recs = [("neutral", "BAI", 0, 3.0), ("human_simulation", "BAI", 0, 1.0),
            ("neutral", "IRQ", int(irq.item_index), 1.0),
            ("human_simulation", "IRQ", int(irq.item_index), 5.0)]
    assert pi_self_estimate(recs, draws=0, text_mode="corrected").n_items == 0
    est = pi_self_estimate(recs, draws=0, text_mode="source")
    assert est.n_items == 1 and est.value == pytest.approx(np.sign(row.r_pc1) * 2.0 / row.sd)
    assert pi_self_estimate(recs, draws=0).n_items == 0          # "corrected" by default
    # a missing rating is skipped, not read as a number
    with_gap = [*recs, ("neutral", "BAI", 0, None)]
    gap = pi_self_estimate(with_gap, draws=0, text_mode="source")
    assert (gap.value, gap.n_items, gap.reason) == (est.value, 1, "")
    empty = pi_self_estimate([])
    assert (empty.n_items, empty.reason) == (0, "no scored samples yet")
    assert all(math.isnan(x) for x in (empty.value, empty.lo, empty.hi))


# -------------------------------------------------------------------------------- commands
def test_calibrate_and_norms_refuse_paper_mode_with_the_reason(tmp_path):
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    data = tmp_path / "t.csv"
    make_panel(8, spec=small_spec(3, 4), seed=1).table.to_csv(data, index=False)
    res = CliRunner().invoke(cli, ["calibrate", str(data), "--out", str(tmp_path / "n.json"),
                                   "--compat", "paper"])
    assert res.exit_code != 0
    assert "paper mode has nothing to freeze" in res.output
    assert "Traceback" not in res.output


def test_paper_axis_needs_only_neutral_answers_and_says_how_it_is_oriented():
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(12, spec=small_spec(3, 4), seed=2, conditions=("neutral",))
    res = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel", "axis"))
    assert res.status["axis"] == "ok (paper)" and res.status["panel"].startswith("unavailable")
    assert res.scores["pi_axis"].notna().all()
    assert "no Π_panel to orient by" in res.summary["axis_orientation"]


def _authors_summary() -> Path | None:
    import os

    repo = Path(__file__).resolve().parents[2]
    for base in (os.environ.get("PINOCCHIO_REFERENCE_DIR"),
                 repo.parent / "shared" / "reference" / "pinocchio-paper"):
        if base and (Path(base) / "efa_results" / "summary.csv").exists():
            return Path(base) / "efa_results" / "summary.csv"
    return None


@pytest.mark.skipif(_authors_summary() is None,
                    reason="the paper's efa_results/summary.csv is not available (optional "
                           "reference folder, or $PINOCCHIO_REFERENCE_DIR)")
def test_the_authors_own_summary_reads_as_a_factors_table():
    from pinocchio_eval.battery import get_battery
    from pinocchio_eval.scoring.catalog import BatteryCatalog

    path = _authors_summary()
    assert path is not None
    counts = read_factors(path)
    assert len(counts) == 45 and counts["BAI"] == 1 and counts[MFQ] == 2
    cat = BatteryCatalog()
    groups = {cat.info(i.name).axis_group for i in get_battery()}
    assert set(counts) <= groups  # every name is a questionnaire (or the merged MFQ) we score


def test_leaderboard_build_scores_the_authors_way_and_records_it(tmp_path):
    import json

    from pinocchio_eval.scoring.synthetic import make_panel

    data = tmp_path / "t.csv"
    table = make_panel(20, seed=4).table
    table["questionnaire"] = table["questionnaire"].map(
        {f"Q{k:02d}": n for k, n in enumerate(["BFI-2", "HEXACO", "SVQ", "MCQ-30",
                                                 "NEED FOR COGNITION SCALE", "BIS_BAS Scales",
                                                 "COPE Inventory", "EPQ-R"])})
    table["response"] = table["response"].clip(1, 4)
    table.to_csv(data, index=False)
    res = CliRunner().invoke(cli, ["leaderboard", "build", str(data), "--out",
                                   str(tmp_path / "lb"), "--compat", "paper", "--bootstrap",
                                   "10", "--formats", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "lb" / "leaderboard.json").read_text())
    assert doc["provenance"]["compat"] == "paper" and doc["provenance"]["seed"] == 42


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12, rel=0)


def test_paper_methods_lay_run_papers_numbers_on_the_panels_models():
    """score_table(compat="paper") shows run_paper's numbers, looked up here model by model
    and item by item; a model answering only human_simulation gets no Π_panel (the authors
    score neutral answers) and no Π_axis, with 0 items and 0 questionnaires."""
    from pinocchio_eval.scoring.paper import PAPER_SEED
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(14, spec=small_spec(4, 5), seed=3)
    extra = sp.table[(sp.table.model == "model-003") & (sp.table.condition == "human_simulation")]
    table = pd.concat([sp.table, extra.assign(model="aaa-human-only")], ignore_index=True)
    res = score_table(table, catalog=sp.catalog, compat="paper", methods=("panel", "axis"),
                      bootstrap=30)
    run = run_paper(clean_responses(table, sp.catalog), seed=PAPER_SEED, bootstrap=30)
    assert res.status == {"panel": "ok (paper)", "axis": "ok (paper)"}
    assert not any(n.startswith("axis: questionnaire(s) without") for n in res.notes)
    s = res.scores.set_index("model")
    assert "aaa-human-only" not in run.pi_panel.index and res.scores["model"].iloc[0] == (
        "aaa-human-only")
    assert "aaa-human-only" not in run.pi_axis.index
    assert s.loc["aaa-human-only", "n_items_panel"] == 0
    assert s.loc["aaa-human-only", "n_questionnaires_axis"] == 0
    assert math.isnan(s.loc["aaa-human-only", "pi_panel"])
    plo, phi = run.panel_interval
    alo, ahi = run.axis_interval
    pidx, aidx = list(run.pi_panel.index), list(run.pi_axis.index)
    for m in res.scores["model"]:
        assert _same(s.loc[m, "pi_panel"], run.pi_panel.get(m, float("nan")))
        assert s.loc[m, "n_items_panel"] == int(run.n_items.get(m, 0))
        if m in pidx:
            assert _same(s.loc[m, "pi_panel_lo"], plo[pidx.index(m)])
            assert _same(s.loc[m, "pi_panel_hi"], phi[pidx.index(m)])
        assert _same(s.loc[m, "pi_axis"], run.pi_axis.get(m, float("nan")))
        if m in aidx:
            assert _same(s.loc[m, "pi_axis_lo"], alo[aidx.index(m)])
            assert _same(s.loc[m, "pi_axis_hi"], ahi[aidx.index(m)])
            assert (s.loc[m, "n_questionnaires_axis"]
                    == int(run.factor_scores.loc[m].notna().sum()))
    assert res.summary["cap"] == run.weights.cap
    assert res.summary["n_weighted_items"] == len(run.weights.weights)
    assert res.summary["axis_questionnaires"] == run.factor_scores.shape[1] == 4
    assert res.summary["pc1_variance"] == run.explained[0]
    assert res.summary["axis_factors"] == {
        q: {"method": f.method, "n_factors": f.n_factors, "n_models": f.n_models}
        for q, f in run.factors.items()}
    # the per-item view: run_paper's item rows, π logged and checked against the cap
    view = res.items
    assert list(view.columns) == [
        "questionnaire", "item_index", "item", "n_neutral", "n_human_simulation",
        "var_neutral", "var_human_simulation", "pi", "log_pi", "weight", "capped", "used"]
    it = {(r.questionnaire, int(r.item_index)): r for r in run.items.itertuples()}
    cap = run.weights.cap
    assert len(view) == len(res.panel.items) == 20
    for r in view.itertuples():
        src = it[(r.questionnaire, int(r.item_index))]
        for col in ("n_neutral", "n_human_simulation", "var_neutral", "var_human_simulation",
                    "pi"):
            assert _same(float(getattr(r, col)), float(getattr(src, col))), col
        assert _same(r.log_pi, math.log(src.pi) if src.pi > 0 else float("nan"))
        assert r.capped == (src.pi > cap)
        wt = run.weights.weights.get((r.questionnaire, r.item), float("nan"))
        assert _same(r.weight, wt)
        assert r.used == (math.isfinite(wt) and wt > 0)
    assert view["capped"].any() and view["used"].any() and not view["used"].all()


def test_paper_axis_unavailable_with_one_questionnaire_says_why():
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(12, spec=small_spec(1, 6), seed=2)
    res = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel", "axis"))
    assert res.status["axis"] == ("unavailable: needs ≥ 2 questionnaires with a first factor "
                                  "and ≥ 3 models")
    assert res.scores["pi_axis"].isna().all() and list(res.scores.columns).count("pi_axis") == 1
    assert res.status["panel"] == "ok (paper)"


def test_paper_mode_engine_paths_neutral_missing_one_method_seed_and_factors():
    from pinocchio_eval.scoring import ScoringError
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    hum = make_panel(12, spec=small_spec(3, 4), seed=2, conditions=("human_simulation",))
    with pytest.raises(ScoringError) as err:
        score_table(hum.table, catalog=hum.catalog, compat="paper", methods=("panel", "axis"))
    assert str(err.value) == ("no requested method can be computed from this input: "
                              "panel: unavailable: needs neutral answers; "
                              "axis: unavailable: needs neutral answers")
    sp = make_panel(14, spec=small_spec(4, 5), seed=3)
    only_panel = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel",))
    assert only_panel.status == {"panel": "ok (paper)"} and "pi_axis" not in only_panel.scores
    only_axis = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("axis",))
    assert only_axis.status == {"axis": "ok (paper)"} and "pi_panel" not in only_axis.scores
    # the seed and the factor counts given to score_table are the ones run_paper uses
    res = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel", "axis"),
                      seed=7, bootstrap=25, factors={"Q00": 2})
    run = run_paper(clean_responses(sp.table, sp.catalog), seed=7, bootstrap=25,
                    factors={"Q00": 2})
    order = [list(run.pi_panel.index).index(m) for m in res.scores["model"]]
    np.testing.assert_array_equal(res.scores["pi_panel_lo"], run.panel_interval[0][order])
    np.testing.assert_array_equal(res.scores["pi_axis_hi"], run.axis_interval[1][order])
    assert res.summary["axis_factors"]["Q00"]["n_factors"] == 2
    default = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel",),
                          bootstrap=25)
    assert not np.array_equal(default.scores["pi_panel_lo"], res.scores["pi_panel_lo"])


def test_items_without_a_catalog_scale_parse_on_their_own_bounds():
    """A catalog with bounds only: text answers are read on the bare scale lo..hi, so "6/5"
    on a 1-5 item names an off-scale number (out of range), not two on-scale ones."""
    cat = MappingCatalog({"Q": (1, 5)})
    answers = ["0", "6", "5", "1", "6/5", "None"]
    df = pd.DataFrame({"model": "a", "condition": "neutral", "questionnaire": "Q",
                       "item_index": range(len(answers)), "response": answers})
    clean = clean_responses(df, cat)
    np.testing.assert_array_equal(clean.table["value"], [np.nan, np.nan, 5, 1, np.nan, np.nan])
    c = clean.counts.iloc[0]
    assert (c["n_valid"], c["n_out_of_range"], c["n_ambiguous"], c["n_unparseable"]) == \
        (2, 3, 0, 1)


def test_paper_statuses_notes_and_integer_counts_when_something_is_missing():
    """Exact statuses when a condition or every π > 1 is missing, the skipped-questionnaire
    note beside an unavailable axis, integer count columns, and no factor note when the
    axis was not asked for."""
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    neu = make_panel(12, spec=small_spec(3, 4), seed=2, conditions=("neutral",))
    res = score_table(neu.table, catalog=neu.catalog, compat="paper", methods=("panel", "axis"))
    assert res.status["panel"] == ("unavailable: needs answers in both neutral and "
                                   "human_simulation (input has ['neutral'])")
    # human answers spread over the whole scale, neutral ones nearly constant: no π > 1
    rng = np.random.default_rng(5)
    rows = [{"model": f"m{m}", "condition": c, "questionnaire": q, "item_index": i,
             "response": (3 + (m == 0)) if c == "neutral" else int(rng.integers(1, 6))}
            for m in range(10) for c in ("neutral", "human_simulation")
            for q in ("Q00", "Q01") for i in range(4)]
    cat = MappingCatalog({"Q00": (1, 5), "Q01": (1, 5)})
    flat = score_table(pd.DataFrame(rows), catalog=cat, compat="paper",
                       methods=("panel", "axis"))
    assert flat.status["panel"] == ("unavailable: no item has π > 1 with ≥ 5 answers per "
                                    "condition")
    # two questionnaires, one without a first factor: axis unavailable, and the note says why
    sp = make_panel(12, spec=small_spec(2, 5), seed=4)
    t = sp.table.copy()
    t.loc[t["questionnaire"] == "Q01", "response"] = 3
    one = score_table(t, catalog=sp.catalog, compat="paper", methods=("panel", "axis"))
    assert one.status["axis"].startswith("unavailable: needs ≥ 2 questionnaires")
    assert any(n.startswith("axis: questionnaire(s) without a first factor: Q01 (")
               for n in one.notes)
    # a model answering only human_simulation: the count columns stay integers
    extra = make_panel(14, spec=small_spec(4, 5), seed=3)
    h = extra.table[(extra.table.model == "model-003")
                    & (extra.table.condition == "human_simulation")]
    both = pd.concat([extra.table, h.assign(model="aaa")], ignore_index=True)
    r = score_table(both, catalog=extra.catalog, compat="paper", methods=("panel", "axis"))
    assert r.scores["n_items_panel"].dtype.kind == "i"
    assert r.scores["n_questionnaires_axis"].dtype.kind == "i"
    panel_only = score_table(extra.table, catalog=extra.catalog, compat="paper",
                             methods=("panel",), factors={"NOPE": 2})
    assert not any(n.startswith("factors table:") for n in panel_only.notes)


def test_harness_estimate_defaults_are_1000_draws_with_seed_0():
    from pinocchio_eval.scoring.selfanchored import pi_self_estimate, superseded_names

    w = load_item_weights()
    names = [q for q in pd.unique(w["questionnaire"])
             if q not in superseded_names() and q != "BAI"][:10]
    w = pd.concat([w[w["questionnaire"] == q].head(3) for q in names])
    recs = [(c, q, int(i), v) for q, i in zip(w.questionnaire, w.item_index, strict=True)
            for c, v in (("neutral", 1 + int(i) % 5), ("human_simulation", 5 - int(i) % 3))]
    default = pi_self_estimate(recs)
    same = pi_self_estimate(recs, draws=1000, seed=0)
    assert (default.lo, default.hi) == (same.lo, same.hi) and default.lo < default.hi
    for other in (pi_self_estimate(recs, draws=1000, seed=1),
                  pi_self_estimate(recs, draws=1001, seed=0)):   # each setting shows
        assert (other.lo, other.hi) != (default.lo, default.hi)


# --- the bootstrap summary names the authors' procedure (mutation survivors, wave 5)
def test_paper_bootstrap_summary_names_the_authors_procedure_and_project_mode_does_not() -> None:
    from pinocchio_eval.scoring.synthetic import make_panel, small_spec

    sp = make_panel(12, spec=small_spec(3, 4), seed=2)
    paper = score_table(sp.table, catalog=sp.catalog, compat="paper", methods=("panel",),
                        bootstrap=5)
    assert paper.summary["bootstrap"]["procedure"] == (
        "the authors' for Π_panel and Π_axis: each drawn questionnaire used once, "
        "π weights fixed, draws rescaled to the scores' mean and SD; Π_self the project's")
    project = score_table(sp.table, catalog=sp.catalog, methods=("panel",), bootstrap=5)
    assert "procedure" not in project.summary["bootstrap"]
