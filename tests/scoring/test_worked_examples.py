"""Worked examples: every number the scorer reports, recomputed by a different route.

Each test builds a tiny panel written out below and compares the engine with either numbers
worked by hand (shown in the comments) or the plain-loop re-computations in ``_plain.py``.
Tolerances are tight: 1e-12 against plain loops, 5e-5 against hand-rounded numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from _plain import item_pis, long_table, panel_scores, panel_weights, percentile
from _plain import pi_panel as plain_pi_panel
from _plain import pi_self as plain_pi_self
from pinocchio_eval.scoring import MappingCatalog, PanelNorms, pi_self, pi_self_from_means
from pinocchio_eval.scoring.catalog import MFQ_MERGED
from pinocchio_eval.scoring.engine import ScoringError, score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.items import PanelData, item_table

TIGHT = 1e-12
HAND = 5e-5

# ----------------------------------------------------------------------------- a worked panel
# Five models, three items: A0 and A1 on a 1-5 scale, B0 on 0-3.
HAND_NEUTRAL = {
    "m1": {("A", 0): 1, ("A", 1): 1, ("B", 0): 0},
    "m2": {("A", 0): 2, ("A", 1): 1, ("B", 0): 1},
    "m3": {("A", 0): 3, ("A", 1): 1, ("B", 0): 0},
    "m4": {("A", 0): 4, ("A", 1): 5, ("B", 0): 1},
    "m5": {("A", 0): 5, ("A", 1): 5, ("B", 0): 0},
}
HAND_HUMAN = {
    "m1": {("A", 0): 2, ("A", 1): 3, ("B", 0): 0},
    "m2": {("A", 0): 2, ("A", 1): 3, ("B", 0): 1},
    "m3": {("A", 0): 3, ("A", 1): 3, ("B", 0): 2},
    "m4": {("A", 0): 3, ("A", 1): 3, ("B", 0): 3},
    "m5": {("A", 0): 3, ("A", 1): 4, ("B", 0): 3},
}
CAT_AB = MappingCatalog({"A": (1, 5), "B": (0, 3), "C": (1, 7)})
# By hand (sample variances, ddof 1):
#   A0: Var_n(1,2,3,4,5) = 2.5;  Var_h(2,2,3,3,3) = 1.2/4 = 0.3;   π = 8.33333
#   A1: Var_n(1,1,1,5,5) = 19.2/4 = 4.8;  Var_h(3,3,3,3,4) = 0.8/4 = 0.2;   π = 24
#   B0: Var_n(0,1,0,1,0) = 1.2/4 = 0.3;  Var_h(0,1,2,3,3) = 6.8/4 = 1.7;   π = 0.17647
# cap = 99th percentile of (0.17647, 8.33333, 24): position 1.98 → 8.33333 + 0.98·15.66667
#     = 23.68667, so A1's weight is capped: w_A1 = ln 23.68667 = 3.16491, w_A0 = ln 8.33333
#     = 2.12026, w_B0 = ln 0.176 < 0 → item not used.
# z with the population SD: A0 mean 3, SD √2 → m1: −1.41421; A1 mean 2.6, SD √3.84 = 1.95959
#     → m1: −0.81650, m4: +1.22474.
# Π_panel(m1) = (2.12026·−1.41421 + 3.16491·−0.81650) / 5.28517 = −1.05628
# Π_panel(m4) = (2.12026·0.70711 + 3.16491·1.22474) / 5.28517 = 1.01707
HAND_PI = {("A", 0): 25 / 3, ("A", 1): 24.0, ("B", 0): 0.3 / 1.7}
HAND_CAP = 23.68667
HAND_PANEL = {"m1": -1.05628, "m4": 1.01707}


def _frame(**conditions) -> pd.DataFrame:
    return pd.DataFrame(long_table(**conditions))


def _scores(res) -> pd.DataFrame:
    return res.scores.set_index("model")


def test_pi_cap_and_weights_by_hand():
    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=HAND_NEUTRAL, human_simulation=HAND_HUMAN), CAT_AB))
    it = item_table(panel).set_index(["questionnaire", "item_index"])
    for k, pi in HAND_PI.items():
        assert it.loc[k, "pi"] == pytest.approx(pi, abs=HAND)
    assert it.loc[("A", 0), "var_neutral"] == pytest.approx(2.5, abs=TIGHT)
    assert it.loc[("A", 1), "var_human_simulation"] == pytest.approx(0.2, abs=TIGHT)
    assert it.attrs["cap"] == pytest.approx(HAND_CAP, abs=HAND)
    assert it.loc[("A", 1), "capped"] and not it.loc[("A", 0), "capped"]
    assert it.loc[("A", 1), "weight"] == pytest.approx(math.log(HAND_CAP), abs=HAND)
    assert it.loc[("A", 0), "weight"] == pytest.approx(math.log(25 / 3), abs=TIGHT)
    assert not it.loc[("B", 0), "used"] and np.isnan(it.loc[("B", 0), "weight"])
    assert it["used"].sum() == 2
    assert it.loc[("A", 0), "log_pi"] == pytest.approx(math.log(25 / 3), abs=TIGHT)


def test_pi_panel_by_hand_with_the_cap_biting():
    res = score_table(_frame(neutral=HAND_NEUTRAL, human_simulation=HAND_HUMAN),
                      methods=("panel",), catalog=CAT_AB)
    got = _scores(res)
    for m, v in HAND_PANEL.items():
        assert got.loc[m, "pi_panel"] == pytest.approx(v, abs=HAND)
    for m, v in plain_pi_panel(HAND_NEUTRAL, HAND_HUMAN).items():
        assert got.loc[m, "pi_panel"] == pytest.approx(v, abs=TIGHT)
    assert (got["n_items_panel"] == 2).all()
    assert res.summary["cap"] == pytest.approx(HAND_CAP, abs=HAND)
    assert res.summary["n_weighted_items"] == 2
    # the z-scores average to 0 across the panel, so the weighted scores do too here
    assert got["pi_panel"].sum() == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------------ a larger panel
NEUTRAL = {
    "m1": {("A", 0): 1, ("A", 1): 5, ("A", 2): 2, ("B", 0): 0, ("B", 1): 3, ("C", 0): 7,
           ("C", 1): 2},
    "m2": {("A", 0): 2, ("A", 1): 4, ("A", 2): 2, ("B", 0): 1, ("B", 1): 3, ("C", 0): 6,
           ("C", 1): 1},
    "m3": {("A", 0): 5, ("A", 1): 1, ("A", 2): 3, ("B", 0): 3, ("B", 1): 0, ("C", 0): 1,
           ("C", 1): 4},
    "m4": {("A", 0): 4, ("A", 1): 2, ("A", 2): 2, ("B", 0): 2, ("B", 1): 1, ("C", 0): 2,
           ("C", 1): 7},
    "m5": {("A", 0): 3, ("A", 1): 3, ("A", 2): 4, ("B", 0): 3, ("B", 1): 0, ("C", 0): 4,
           ("C", 1): 3},
    "m6": {("A", 0): 5, ("A", 1): 2, ("B", 0): 0, ("B", 1): 2, ("C", 0): 5, ("C", 1): 6},
}
HUMAN = {
    "m1": {("A", 0): 3, ("A", 1): 3, ("A", 2): 2, ("B", 0): 1, ("B", 1): 2, ("C", 0): 4,
           ("C", 1): 4},
    "m2": {("A", 0): 3, ("A", 1): 4, ("A", 2): 3, ("B", 0): 1, ("B", 1): 2, ("C", 0): 4,
           ("C", 1): 3},
    "m3": {("A", 0): 4, ("A", 1): 3, ("A", 2): 2, ("B", 0): 2, ("B", 1): 1, ("C", 0): 5,
           ("C", 1): 4},
    "m4": {("A", 0): 3, ("A", 1): 4, ("A", 2): 4, ("B", 0): 1, ("B", 1): 2, ("C", 0): 4,
           ("C", 1): 5},
    "m5": {("A", 0): 4, ("A", 1): 3, ("A", 2): 3, ("B", 0): 1, ("B", 1): 1, ("C", 0): 3,
           ("C", 1): 4},
    "m6": {("A", 0): 3, ("A", 1): 3, ("A", 2): 3, ("B", 0): 2, ("B", 1): 2, ("C", 0): 4},
}
# Π_self weights: negative, zero and positive r; one var ≤ 0 row (skipped) and one row for an
# item nobody answered; C1 is not in the table at all.
WEIGHTS = {("A", 0): (0.6, 1.44), ("A", 1): (-0.4, 0.81), ("A", 2): (0.0, 1.0),
           ("B", 0): (0.3, 0.25), ("B", 1): (-0.7, 0.64), ("C", 0): (0.5, 0.0),
           ("C", 9): (0.9, 4.0)}


def _weights_frame(w=WEIGHTS) -> pd.DataFrame:
    return pd.DataFrame([{"questionnaire": q, "item_index": i, "r_pc1": r, "var": v}
                         for (q, i), (r, v) in w.items()])


def test_pi_panel_matches_plain_loops_with_missing_answers():
    res = score_table(_frame(neutral=NEUTRAL, human_simulation=HUMAN), methods=("panel",),
                      catalog=CAT_AB)
    got = _scores(res)["pi_panel"]
    want = plain_pi_panel(NEUTRAL, HUMAN)
    assert set(want) == set(got.index)
    for m, v in want.items():
        assert got[m] == pytest.approx(v, abs=TIGHT), m
    w = panel_weights(item_pis(NEUTRAL, HUMAN))
    assert _scores(res).loc["m6", "n_items_panel"] == sum(k in NEUTRAL["m6"] for k in w)


def test_pi_self_hand_example():
    # r = (0.6, −0.4, 0.3), s = (1.2, 0.9, 0.5); neutral − human = (2, −1, 0.5)
    # Σ r·d/s = 0.6·2/1.2 + (−0.4)(−1)/0.9 + 0.3·0.5/0.5 = 1 + 0.44444 + 0.3 = 1.74444
    # Σ |r| = 1.3  →  Π_self = 1.34188
    w = _weights_frame({("A", 0): (0.6, 1.44), ("A", 1): (-0.4, 0.81), ("B", 0): (0.3, 0.25)})
    neutral = {("A", 0): 4.0, ("A", 1): 2.0, ("B", 0): 1.5}
    human = {("A", 0): 2.0, ("A", 1): 3.0, ("B", 0): 1.0}
    value, n = pi_self_from_means(neutral, human, w)
    assert n == 3 and value == pytest.approx(1.34188, abs=HAND)
    # a negative correlation must enter the denominator with its absolute value: flipping
    # A1's r and its answers gives the same number
    w2 = _weights_frame({("A", 0): (0.6, 1.44), ("A", 1): (0.4, 0.81), ("B", 0): (0.3, 0.25)})
    assert pi_self_from_means(neutral, {**human, ("A", 1): 1.0}, w2)[0] == pytest.approx(value)


def test_pi_self_per_model_and_vectorised_agree_with_plain_loops():
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    w = _weights_frame()
    res = score_table(table, methods=("self",), catalog=CAT_AB, weights=w)
    direct = pi_self(table, weights=w, catalog=CAT_AB).set_index("model")
    got = _scores(res)
    for m in NEUTRAL:
        want = plain_pi_self(NEUTRAL[m], HUMAN[m], WEIGHTS)
        one, _ = pi_self_from_means(NEUTRAL[m], HUMAN[m], w)
        assert got.loc[m, "pi_self"] == pytest.approx(want, abs=TIGHT), m
        assert direct.loc[m, "pi_self"] == pytest.approx(want, abs=TIGHT), m
        assert one == pytest.approx(want, abs=TIGHT), m
    # items with r ≠ 0, var > 0, answered in both conditions: A0, A1, B0, B1 (m6: no A2 anyway)
    assert got["n_items_self"].tolist() == [4] * 6
    assert direct["n_items_self"].tolist() == [4] * 6


def test_pi_self_from_harness_records():
    """What the Inspect metric and the lm-eval aggregation call: per-sample records of one
    run, repeats averaged, missing ratings skipped, custom weights honoured."""
    from pinocchio_eval.scoring.selfanchored import pi_self_from_records

    records = [("neutral", q, i, v) for (q, i), v in NEUTRAL["m1"].items()]
    records += [("human_simulation", q, i, v) for (q, i), v in HUMAN["m1"].items()]
    records += [("neutral", "A", 0, 3), ("neutral", "A", 0, None),
                ("human_simulation", "B", 0, float("nan")), ("llm_analog", "A", 0, 5)]
    value, n = pi_self_from_records(records, _weights_frame())
    neutral = {**NEUTRAL["m1"], ("A", 0): (1 + 3) / 2}
    assert value == pytest.approx(plain_pi_self(neutral, HUMAN["m1"], WEIGHTS), abs=TIGHT)
    assert n == 4  # A0, A1, B0, B1 (A2 has r = 0: it carries no weight and is not counted)
    assert pi_self_from_records([("neutral", "A", 0, 3)], _weights_frame())[1] == 0


def test_pi_self_skips_a_condition_gap_per_model():
    human = {m: dict(v) for m, v in HUMAN.items()}
    del human["m2"][("A", 0)]          # m2 has no human answer to A0
    human["m3"] = {}                   # m3 never answered as a human
    rows = long_table(neutral=NEUTRAL, human_simulation={k: v for k, v in human.items() if v})
    res = score_table(pd.DataFrame(rows), methods=("self",), catalog=CAT_AB,
                      weights=_weights_frame())
    got = _scores(res)
    assert got.loc["m2", "pi_self"] == pytest.approx(
        plain_pi_self(NEUTRAL["m2"], human["m2"], WEIGHTS), abs=TIGHT)
    assert got.loc["m2", "n_items_self"] == 3
    assert np.isnan(got.loc["m3", "pi_self"]) and got.loc["m3", "n_items_self"] == 0
    assert any("m3" in n for n in res.notes)


def test_pi_self_only_zero_weights_is_missing_not_zero():
    w = _weights_frame({("A", 0): (0.0, 1.0), ("A", 1): (0.0, 1.0)})
    res = score_table(_frame(neutral=NEUTRAL, human_simulation=HUMAN), methods=("self",),
                      catalog=CAT_AB, weights=w)
    assert _scores(res)["pi_self"].isna().all()


def test_pi_self_superseded_rows_count_only_when_asked():
    cat = MappingCatalog({"A": (1, 5), "B": (0, 3), "C": (1, 7)}, superseded=("B",))
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    w = _weights_frame()
    without = {k: v for k, v in WEIGHTS.items() if k[0] != "B"}
    res = score_table(table, methods=("self",), catalog=cat, weights=w)
    got = _scores(res)["pi_self"]
    for m in NEUTRAL:
        assert got[m] == pytest.approx(plain_pi_self(NEUTRAL[m], HUMAN[m], without), abs=TIGHT)
    assert any("superseded" in n for n in res.notes)
    res = score_table(table, methods=("self",), catalog=cat, weights=w, include_superseded=True)
    got = _scores(res)["pi_self"]
    for m in NEUTRAL:
        assert got[m] == pytest.approx(plain_pi_self(NEUTRAL[m], HUMAN[m], WEIGHTS), abs=TIGHT)


MFQ1, MFQ2 = f"{MFQ_MERGED}_1", f"{MFQ_MERGED}_2"
MFQ_TEXTS = {MFQ1: ["Whether someone suffered emotionally", "Whether someone was fair"],
             MFQ2: ["Compassion is a virtue", "Justice comes first"]}


def test_pi_self_merged_mfq_rows_go_to_their_part():
    """Rows under the paper's merged MFQ name are split by item text; both parts use
    item_index 0 and 1, so a mix-up of parts changes the number."""
    cat = MappingCatalog({MFQ1: (0, 5), MFQ2: (0, 5)}, parts={MFQ_MERGED: MFQ_TEXTS})
    w = {(MFQ1, 0): (0.8, 1.0), (MFQ1, 1): (0.1, 4.0), (MFQ2, 0): (-0.5, 0.25),
         (MFQ2, 1): (0.3, 1.0)}
    answers = {"neutral": {(MFQ1, 0): 5, (MFQ1, 1): 1, (MFQ2, 0): 0, (MFQ2, 1): 4},
               "human_simulation": {(MFQ1, 0): 2, (MFQ1, 1): 3, (MFQ2, 0): 4, (MFQ2, 1): 4}}
    rows = []
    for cond, a in answers.items():
        for (part, i), v in a.items():
            rows.append({"model": "solo", "condition": cond, "questionnaire": MFQ_MERGED,
                         "item_index": i, "item": MFQ_TEXTS[part][i], "response": v})
    res = score_table(pd.DataFrame(rows), methods=("self",), catalog=cat,
                      weights=_weights_frame(w))
    want = plain_pi_self(answers["neutral"], answers["human_simulation"], w)
    # by hand: (0.8·3/1 + 0.1·(−2)/2 + (−0.5)(−4)/0.5 + 0) / 1.7 = (2.4 − 0.1 + 4) / 1.7
    assert want == pytest.approx(6.3 / 1.7, abs=TIGHT)
    assert _scores(res).loc["solo", "pi_self"] == pytest.approx(want, abs=TIGHT)
    assert _scores(res).loc["solo", "n_items_self"] == 4
    # both parts form one resampling unit (the paper merged them)
    panel = PanelData.from_clean(clean_responses(pd.DataFrame(rows), cat))
    codes, units = panel.unit_codes()          # by axis group, the default
    assert units == [MFQ_MERGED] and len(set(codes)) == 1
    codes, units = panel.unit_codes("questionnaire")
    assert units == [MFQ1, MFQ2] and codes.tolist() == [0, 0, 1, 1]


# ------------------------------------------------------------------------------ cleaning
def test_cleaning_nulls_out_of_range_and_refusals_and_reads_text():
    neutral = {m: dict(v) for m, v in NEUTRAL.items()}
    table = _frame(neutral=neutral, human_simulation=HUMAN).astype({"response": object})
    at = {(r.model, r.condition, r.questionnaire, r.item_index): i
          for i, r in table.iterrows()}
    table.loc[at["m1", "neutral", "A", 0], "response"] = 9          # off the 1-5 scale
    table.loc[at["m2", "neutral", "B", 1], "response"] = -1         # off the 0-3 scale
    table.loc[at["m3", "neutral", "C", 0], "response"] = "I'm an AI language model and " \
                                                           "cannot answer this."
    table.loc[at["m4", "neutral", "A", 1], "response"] = "Answer: 4"   # text, read as 4
    table.loc[at["m5", "neutral", "C", 1], "response"] = 7          # on the bound: kept
    table.loc[at["m5", "neutral", "B", 0], "response"] = 0          # on the bound: kept
    clean = clean_responses(table, CAT_AB)
    counts = clean.counts.set_index("model")
    assert counts.loc["m1", "n_out_of_range"] == 1 and counts.loc["m2", "n_out_of_range"] == 1
    assert counts.loc["m3", "n_refusal"] == 1
    assert counts.loc["m1", "n_valid"] == 13 and counts.loc["m4", "n_valid"] == 14
    assert counts.loc["m1", "parse_rate"] == pytest.approx(13 / 14, abs=TIGHT)
    assert counts.loc["m4", "n_rows"] == 14 and counts.loc["m6", "n_rows"] == 12
    assert any("2 answer(s) outside" in n for n in clean.notes)
    # the scores equal those of a panel where the unusable answers were never given
    expected = {m: dict(v) for m, v in neutral.items()}
    del expected["m1"][("A", 0)], expected["m2"][("B", 1)], expected["m3"][("C", 0)]
    expected["m4"][("A", 1)] = 4
    expected["m5"][("C", 1)], expected["m5"][("B", 0)] = 7, 0
    res = score_table(clean, methods=("panel", "self"), weights=_weights_frame())
    got = _scores(res)
    for m, v in plain_pi_panel(expected, HUMAN).items():
        assert got.loc[m, "pi_panel"] == pytest.approx(v, abs=TIGHT), m
        assert got.loc[m, "pi_self"] == pytest.approx(
            plain_pi_self(expected[m], HUMAN[m], WEIGHTS), abs=TIGHT), m


def test_cleaning_uses_per_item_bounds():
    cat = MappingCatalog({"A": (1, 5)}, item_bounds={"A": {1: (0, 1)}})
    rows = [{"model": "m", "condition": "neutral", "questionnaire": "A", "item_index": i,
             "response": v} for i, v in ((0, 4), (1, 4), (1, 1), (0, 0))]
    clean = clean_responses(pd.DataFrame(rows), cat)
    v = clean.table["value"]
    # item 1 is on 0-1: 4 is off its scale although it is on the questionnaire's 1-5
    assert v[0] == 4.0 and np.isnan(v[1]) and v[2] == 1.0 and np.isnan(v[3])
    assert clean.counts["n_out_of_range"].item() == 2


def test_repeats_are_averaged_before_any_statistic():
    """A model answering an item twice (3 and 5) enters with its mean, 4, exactly once."""
    neutral = {m: dict(v) for m, v in NEUTRAL.items()}
    rows = long_table(neutral=neutral, human_simulation=HUMAN)
    rows.append({**next(r for r in rows if r["model"] == "m1" and r["condition"] == "neutral"
                        and (r["questionnaire"], r["item_index"]) == ("C", 0)), "response": 5})
    # m1's C0 answers are now 7 and 5: the mean is 6
    neutral["m1"][("C", 0)] = 6
    res = score_table(pd.DataFrame(rows), methods=("panel",), catalog=CAT_AB)
    for m, v in plain_pi_panel(neutral, HUMAN).items():
        assert _scores(res).loc[m, "pi_panel"] == pytest.approx(v, abs=TIGHT)


# -------------------------------------------------------------------------- frozen norms
def test_frozen_norms_place_a_newcomer_on_the_reference_scale(tmp_path):
    ref = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    scorer = PanelNorms(catalog=CAT_AB).fit(ref)
    scorer.save(tmp_path / "norms.json")
    loaded = PanelNorms.load(tmp_path / "norms.json", catalog=CAT_AB)
    newcomer = {"new": {("A", 0): 5, ("A", 1): 1, ("B", 0): 2, ("C", 0): 7, ("C", 1): 1,
                        ("Z", 0): 3}}          # Z0: an item the reference never saw
    cat = MappingCatalog({"A": (1, 5), "B": (0, 3), "C": (1, 7), "Z": (1, 5)})
    new = _frame(neutral=newcomer)
    weights = panel_weights(item_pis(NEUTRAL, HUMAN))
    want = panel_scores(newcomer, weights, norms=NEUTRAL)["new"]
    for sc in (scorer, loaded):
        sc.catalog = cat
        got = sc.transform(new).set_index("model")
        assert got.loc["new", "pi_panel"] == pytest.approx(want, abs=TIGHT)
        assert got.loc["new", "n_items_panel"] == sum(k in newcomer["new"] for k in weights)
    res = score_table(new, methods=("panel",), catalog=cat, norms=loaded)
    assert _scores(res).loc["new", "pi_panel"] == pytest.approx(want, abs=TIGHT)
    assert res.status["panel"] == "ok (frozen norms)"
    # the stored numbers are the reference panel's
    assert scorer.panel_.cap == pytest.approx(
        percentile(list(item_pis(NEUTRAL, HUMAN).values()), 99), abs=TIGHT)


# ----------------------------------------------------------------------------- bootstrap
UNITS = ["A", "B", "C"]  # resampling units of the larger panel, in the engine's sorted order


def _mult(counts_row) -> dict:
    """Item multiplicities of one draw: every item weighs as often as its questionnaire."""
    keys = {*WEIGHTS, *(k for m in NEUTRAL.values() for k in m)}
    return {(q, i): int(counts_row[UNITS.index(q)]) for q, i in keys}


def _plain_interval(values: list[float]) -> tuple[float, float]:
    ok = [v for v in values if not math.isnan(v)]
    return percentile(ok, 2.5), percentile(ok, 97.5)


def test_bootstrap_intervals_match_a_plain_resampling_loop():
    from pinocchio_eval.scoring.bootstrap import draw_counts

    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    res = score_table(table, methods=("panel", "self"), catalog=CAT_AB,
                      weights=_weights_frame(), bootstrap=40, seed=7)
    counts = draw_counts(len(UNITS), 40, seed=7)
    assert sorted(set(counts.sum(axis=1))) == [3]
    # some draws must repeat a questionnaire, or the multiplicities would not be exercised
    assert (counts > 1).any()
    panel_draws = [plain_pi_panel(NEUTRAL, HUMAN, mult=_mult(c)) for c in counts]
    got = _scores(res)
    for m in NEUTRAL:
        lo, hi = _plain_interval([d[m] for d in panel_draws])
        assert got.loc[m, "pi_panel_lo"] == pytest.approx(lo, abs=TIGHT), m
        assert got.loc[m, "pi_panel_hi"] == pytest.approx(hi, abs=TIGHT), m
        selfs = [plain_pi_self(NEUTRAL[m], HUMAN[m], WEIGHTS, mult=_mult(c)) for c in counts]
        lo, hi = _plain_interval(selfs)
        assert got.loc[m, "pi_self_lo"] == pytest.approx(lo, abs=TIGHT), m
        assert got.loc[m, "pi_self_hi"] == pytest.approx(hi, abs=TIGHT), m
    assert res.summary["bootstrap"] == {"draws": 40, "seed": 7, "level": 95.0,
                                        "unit": "questionnaire (MFQ parts merged)",
                                        "n_units": 3}


def test_bootstrap_draws_with_explicit_multiplicities():
    """Hand-picked draws: (2, 1, 0) counts A twice and drops C; (0, 0, 3) is C alone."""
    from pinocchio_eval.scoring import bootstrap as bs
    from pinocchio_eval.scoring.panel import fit_panel, zscores
    from pinocchio_eval.scoring.selfanchored import self_matrices

    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    panel = PanelData.from_clean(clean_responses(table, CAT_AB))
    codes, units = panel.unit_codes("group")
    assert units == UNITS
    counts = np.array([[2, 1, 0], [1, 2, 0], [0, 0, 3], [1, 1, 1], [0, 3, 0]])
    fit = fit_panel(panel)
    z = zscores(panel.matrix("neutral"), fit.mean, fit.sd)
    draws = bs.panel_draws(z, fit.pi, codes, counts)
    r, s, _ = self_matrices(panel.items, _weights_frame())
    sdraws = bs.self_draws(panel.matrix("neutral"), panel.matrix("human_simulation"), r, s,
                           codes, counts)
    for b, c in enumerate(counts):
        want = plain_pi_panel(NEUTRAL, HUMAN, mult=_mult(c))
        for j, m in enumerate(panel.models):
            assert draws[j, b] == pytest.approx(want[m], abs=TIGHT, nan_ok=True), (b, m)
            assert sdraws[j, b] == pytest.approx(
                plain_pi_self(NEUTRAL[m], HUMAN[m], WEIGHTS, mult=_mult(c)), abs=TIGHT,
                nan_ok=True), (b, m)
    # all multiplicities one: the draw is the point estimate
    ones = bs.panel_draws(z, fit.pi, codes, np.ones((1, 3), dtype=int))[:, 0]
    point = _scores(score_table(table, methods=("panel",), catalog=CAT_AB))["pi_panel"]
    assert np.allclose(ones, point.to_numpy(), atol=TIGHT, rtol=0)


def test_bootstrap_percentile_interval_ignores_failed_draws():
    from pinocchio_eval.scoring.bootstrap import interval

    draws = np.array([[1.0, 2.0, 3.0, 4.0, np.nan, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
                      [np.nan] * 11])
    lo, hi = interval(draws)
    # 10 values 1..10: position 9·0.025 = 0.225 → 1.225; 9·0.975 = 8.775 → 9.775
    assert lo[0] == pytest.approx(1.225, abs=TIGHT) and hi[0] == pytest.approx(9.775, abs=TIGHT)
    assert np.isnan(lo[1]) and np.isnan(hi[1])
    lo, hi = interval(draws, level=50)
    assert lo[0] == pytest.approx(3.25, abs=TIGHT) and hi[0] == pytest.approx(7.75, abs=TIGHT)


def test_bootstrap_is_seeded():
    from pinocchio_eval.scoring.bootstrap import draw_counts

    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    a = score_table(table, methods=("panel",), catalog=CAT_AB, bootstrap=30, seed=1).scores
    b = score_table(table, methods=("panel",), catalog=CAT_AB, bootstrap=30, seed=1).scores
    c = score_table(table, methods=("panel",), catalog=CAT_AB, bootstrap=30, seed=2).scores
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["pi_panel_lo"], c["pi_panel_lo"])
    # the draws are numpy's default_rng(seed) picks, tallied per questionnaire
    picks = np.random.default_rng(5).integers(0, 4, size=(6, 4))
    want = np.array([[list(row).count(u) for u in range(4)] for row in picks])
    assert (draw_counts(4, 6, seed=5) == want).all()


# ------------------------------------------------------------------ engine: status and summary
def test_engine_says_exactly_why_a_method_is_unavailable():
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    neutral_only = table[table.condition == "neutral"]
    res = score_table(neutral_only, catalog=CAT_AB, weights=_weights_frame())
    assert res.status["panel"] == ("unavailable: needs answers in both neutral and "
                                   "human_simulation (input has ['neutral'])")
    assert res.status["self"] == ("unavailable: needs the same model in neutral and "
                                  "human_simulation (input has ['neutral'])")
    assert res.status["axis"] == "ok"
    assert f"panel: {res.status['panel']}" in res.notes
    four = table[table.model.isin(["m1", "m2", "m3", "m4"])]
    res = score_table(four, methods=("panel", "self"), catalog=CAT_AB, weights=_weights_frame())
    assert res.status["panel"] == ("unavailable: needs ≥ 5 models answering in both neutral "
                                   "and human_simulation (input has 4)")
    flat = table.assign(response=np.where(table.condition == "neutral", 1, table.response))
    res = score_table(flat, methods=("panel", "self"), catalog=CAT_AB, weights=_weights_frame())
    assert res.status["panel"] == ("unavailable: no item has π > 1 with ≥ 5 models per "
                                   "condition")
    assert res.scores["pi_panel"].isna().all() and res.status["self"] == "ok"
    other = _weights_frame({("Z", 0): (0.5, 1.0)})
    res = score_table(table, methods=("panel", "self"), catalog=CAT_AB, weights=other)
    assert res.status["self"].startswith(
        "unavailable: no input item is in the frozen weight table")
    assert res.scores["pi_self"].isna().all()
    with pytest.raises(ScoringError, match=r"computed from this input: self: unavailable: "
                                           r".*; axis: unavailable: needs neutral answers$"):
        score_table(table[table.condition == "human_simulation"], methods=("axis", "self"),
                    catalog=CAT_AB, weights=_weights_frame())
    with pytest.raises(ScoringError, match=r"unknown method\(s\) \['pca'\]"):
        score_table(table, methods=("pca",), catalog=CAT_AB)


def test_engine_summary_and_counts():
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    res = score_table(table, catalog=CAT_AB, weights=_weights_frame())
    s = res.summary
    assert s["n_models"] == 6 and s["n_items"] == 7
    assert s["conditions"] == ["human_simulation", "neutral"]
    got = _scores(res)
    for a, b in (("pi_self", "pi_panel"), ("pi_axis", "pi_panel"), ("pi_self", "pi_axis")):
        c = s[f"corr_{a}_{b}"]
        assert c["n"] == 6
        assert c["pearson"] == pytest.approx(np.corrcoef(got[a], got[b])[0, 1], abs=TIGHT)
        assert c["spearman"] == pytest.approx(
            np.corrcoef(got[a].rank(), got[b].rank())[0, 1], abs=TIGHT)
    assert got.loc["m6", "n_rows"] == 12 and got.loc["m1", "n_valid"] == 14
    assert "bootstrap" not in s and "pi_panel_lo" not in got.columns
    assert res.status == {"panel": "ok", "self": "ok", "axis": "ok"}


def test_frozen_norms_bootstrap_and_axis_notes(tmp_path):
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    scorer = PanelNorms(catalog=CAT_AB).fit(table)
    res = score_table(table, methods=("panel", "axis"), catalog=CAT_AB, norms=scorer,
                      bootstrap=25, seed=4)
    got = _scores(res)
    own = _scores(score_table(table, methods=("panel",), catalog=CAT_AB, bootstrap=25, seed=4))
    # the reference panel is the scored panel: the same draws give the same intervals
    for col in ("pi_panel", "pi_panel_lo", "pi_panel_hi"):
        assert np.allclose(got[col], own[col], atol=TIGHT, rtol=0), col
    assert res.status["panel"] == "ok (frozen norms)"
    if scorer.axis_ is None:
        assert res.status["axis"] == "unavailable: the norms file has no axis"
    else:
        assert res.status["axis"] == "ok (frozen norms)"
        assert any("no interval for Π_axis under frozen norms" in n for n in res.notes)
    scorer.axis_ = None
    res = score_table(table, methods=("axis", "panel"), catalog=CAT_AB, norms=scorer)
    assert res.status["axis"] == "unavailable: the norms file has no axis"


def test_weight_table_reading_drops_unusable_rows(tmp_path):
    from pinocchio_eval.scoring.selfanchored import read_item_weights

    path = tmp_path / "w.csv"
    path.write_text("questionnaire,item_index,r_pc1,var,item\n"
                    "A,0.0,0.5,4.0,first\nA,1,,1.0,no r\nB,0,0.2,0.0,no spread\n"
                    "B,1,-0.3,0.25,last\nC,2,0.1,,no var\n")
    w = read_item_weights(path)
    assert w["questionnaire"].tolist() == ["A", "B"] and w["item_index"].tolist() == [0, 1]
    assert w["item_index"].dtype.kind == "i" and w.index.tolist() == [0, 1]
    assert w.columns.tolist() == ["questionnaire", "item_index", "r_pc1", "var", "item", "sd"]
    assert w["sd"].tolist() == [2.0, 0.5] and w["item"].tolist() == ["first", "last"]
    (tmp_path / "bad.csv").write_text("questionnaire,item_index,r\nA,0,0.5\n")
    with pytest.raises(ValueError, match=r"bad.csv: weight table lacks column\(s\) "
                                         r"\['r_pc1', 'var'\]"):
        read_item_weights(tmp_path / "bad.csv")


def test_weighted_percentile_inside_the_range():
    """Interior quantiles interpolate between neighbours: values 1, 2, 3, 10 with
    multiplicities 1, 2, 0, 1 are the multiset (1, 2, 2, 10); its median sits at position 1.5
    → 2, its 25th percentile at 0.75 → 1.75, its 90th at 2.7 → 2 + 0.7·8 = 7.6."""
    from pinocchio_eval.scoring.bootstrap import weighted_percentile

    vals, mult = np.array([1.0, 2.0, 3.0, 10.0]), np.array([1, 2, 0, 1])
    assert weighted_percentile(vals, mult, 50) == pytest.approx(2.0, abs=TIGHT)
    assert weighted_percentile(vals, mult, 25) == pytest.approx(1.75, abs=TIGHT)
    assert weighted_percentile(vals, mult, 90) == pytest.approx(7.6, abs=TIGHT)
    assert weighted_percentile(vals, np.array([1, 1, 1, 1]), 50) == pytest.approx(2.5)
    assert np.isnan(weighted_percentile(vals, np.zeros(4, dtype=int), 50))


def test_pi_self_with_small_weights_divides_by_their_sum():
    """Σ|r| below 1 (0.3 + 0.2): the vectorised score still divides by it."""
    small = {("A", 0): (0.3, 1.44), ("B", 1): (-0.2, 0.64)}
    res = score_table(_frame(neutral=NEUTRAL, human_simulation=HUMAN), methods=("self",),
                      catalog=CAT_AB, weights=_weights_frame(small))
    got = _scores(res)["pi_self"]
    # m1 by hand: (0.3·(1 − 3)/1.2 + (−0.2)·(3 − 2)/0.8) / 0.5 = (−0.5 − 0.25) / 0.5 = −1.5
    assert got["m1"] == pytest.approx(-1.5, abs=TIGHT)
    for m in NEUTRAL:
        assert got[m] == pytest.approx(plain_pi_self(NEUTRAL[m], HUMAN[m], small), abs=TIGHT)


def test_weighted_percentile_of_nothing_is_missing():
    from pinocchio_eval.scoring.bootstrap import weighted_percentile

    assert np.isnan(weighted_percentile(np.array([]), np.array([], dtype=int), 99))


def test_item_table_honours_a_stricter_minimum():
    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=NEUTRAL, human_simulation=HUMAN), CAT_AB))
    strict = item_table(panel, min_models=6).set_index(["questionnaire", "item_index"])
    # A2 (no neutral answer from m6) and C1 (no human answer from m6) have only 5 models
    assert strict["pi"].isna().tolist() == [False, False, True, False, False, False, True]
    assert strict.attrs["cap"] == pytest.approx(percentile(
        [v for k, v in item_pis(NEUTRAL, HUMAN, min_models=6).items()], 99), abs=TIGHT)


def test_panel_fit_and_score_panel():
    from pinocchio_eval.scoring.panel import fit_panel, score_panel

    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=HAND_NEUTRAL, human_simulation=HAND_HUMAN), CAT_AB))
    fit = fit_panel(panel)
    assert fit.cap == pytest.approx(HAND_CAP, abs=HAND)
    assert fit.weights.tolist()[2] == 0 and fit.sd[0] == pytest.approx(math.sqrt(2), abs=TIGHT)
    scored = score_panel(panel)
    z = scored.z
    assert scored.usable and scored.fit.mean.tolist() == fit.mean.tolist()
    assert scored.n_items.tolist() == [2] * 5
    for m, v in HAND_PANEL.items():
        j = panel.models.get_loc(m)
        w = fit.weights
        has = ~np.isnan(z[j])
        assert np.sum(w[has] * z[j][has]) / np.sum(w[has]) == pytest.approx(v, abs=HAND)
        assert scored.score[m] == pytest.approx(v, abs=HAND)
    # a looser cap percentile changes the fit: the 50th percentile of π is 8.33, so A1 is
    # capped there and both weighted items weigh ln 8.33
    loose = fit_panel(panel, percentile=50)
    assert loose.cap == pytest.approx(25 / 3, abs=TIGHT)
    assert loose.weights[0] == pytest.approx(loose.weights[1], abs=TIGHT)
    assert fit_panel(panel, min_models=6).weights.tolist() == [0.0, 0.0, 0.0]
    assert not score_panel(panel, min_models=6).usable


def test_weighted_scores_by_hand():
    from pinocchio_eval.scoring.panel import weighted_scores

    z = np.array([[np.nan, np.nan, 0.5], [1.0, 2.0, np.nan], [0.2, 0.4, 0.6]])
    w = np.array([0.5, 0.25, 0.0])
    score, n = weighted_scores(z, w)
    # m0 has a z only where the weight is 0: no score. m1: (0.5·1 + 0.25·2) / 0.75 = 4/3.
    # m2: (0.5·0.2 + 0.25·0.4 + 0·0.6) / 0.75 = 0.2 / 0.75
    assert np.isnan(score[0]) and score[1] == pytest.approx(4 / 3, abs=TIGHT)
    assert score[2] == pytest.approx(0.2 / 0.75, abs=TIGHT)
    assert n.tolist() == [0, 2, 2] and n.dtype.kind == "i"


def test_frozen_norms_ignore_an_item_the_reference_panel_answered_alike():
    """A2 got 3 from every reference model (SD 0: no z). A newcomer answering 5 there must be
    scored on the other items only, not get an infinite z."""
    neutral = {m: {**a, ("A", 2): 3} for m, a in HAND_NEUTRAL.items()}
    human = {m: {**a, ("A", 2): v} for (m, a), v in zip(HAND_HUMAN.items(), (1, 2, 3, 4, 5),
                                                          strict=True)}
    scorer = PanelNorms(catalog=CAT_AB).fit(_frame(neutral=neutral,
                                                         human_simulation=human))
    newcomer = {"new": {("A", 0): 5, ("A", 1): 2, ("A", 2): 5, ("B", 0): 1}}
    got = scorer.transform(_frame(neutral=newcomer)).set_index("model")
    want = panel_scores(newcomer, panel_weights(item_pis(neutral, human)), norms=neutral)
    assert np.isfinite(want["new"])
    assert got.loc["new", "pi_panel"] == pytest.approx(want["new"], abs=TIGHT)
    assert got.loc["new", "n_items_panel"] == 2


def test_item_table_columns_match_plain_loops():
    neutral = {m: {**a, ("A", 2): 3} for m, a in NEUTRAL.items()}   # A2: π = 0
    # B0 as a human: 0, 2, 1, 2, 0, 2 → Var 0.9667 against 1.9 neutral: π = 1.97, weight 0.68
    human = {m: {**a, ("B", 0): v} for (m, a), v in zip(HUMAN.items(), (0, 2, 1, 2, 0, 2),
                                                          strict=True)}
    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=neutral, human_simulation=human), CAT_AB))
    it = item_table(panel)
    assert it.columns.tolist() == [
        "questionnaire", "item_index", "item", "n_neutral", "n_human_simulation",
        "var_neutral", "var_human_simulation", "pi", "log_pi", "weight", "capped", "used"]
    assert it["item"].tolist()[0] == "A #0"
    it = it.set_index(["questionnaire", "item_index"])
    pis = item_pis(neutral, human)
    weights = panel_weights(pis)
    cap = percentile(list(pis.values()), 99)
    for k, row in it.iterrows():
        pi = pis.get(k, math.nan)
        assert row["pi"] == pytest.approx(pi, abs=TIGHT, nan_ok=True), k
        want_log = math.log(pi) if pi > 0 else math.nan
        assert row["log_pi"] == pytest.approx(want_log, abs=TIGHT, nan_ok=True), k
        assert row["weight"] == pytest.approx(weights.get(k, math.nan), abs=TIGHT,
                                              nan_ok=True), k
        assert row["used"] == (k in weights) and row["capped"] == (pi > cap), k
    assert np.isnan(it.loc[("A", 2), "log_pi"]) and it.loc[("A", 2), "pi"] == 0
    # some weight lies between 0 and 1 (1 < π < e), so "used" cannot mean "weight > 1"
    assert any(0 < w < 1 for w in weights.values())
    loose = item_table(panel, percentile=50)
    assert loose.attrs["cap"] == pytest.approx(percentile(list(pis.values()), 50), abs=TIGHT)


# ------------------------------------------------------------ weighted percentile at the ends
def test_weighted_percentile_at_100_is_the_largest_counted_value() -> None:
    """q = 100 sits at position total − 1, the last element: for values 1, 2, 3, 10 with
    multiplicities 1, 2, 0, 1 (multiset 1, 2, 2, 10) that is 10; with multiplicities 1, 2, 1, 0
    (multiset 1, 2, 2, 3, the largest value not counted) it is 3. q = 0 is the first, 1."""
    from pinocchio_eval.scoring.bootstrap import weighted_percentile

    vals = np.array([1.0, 2.0, 3.0, 10.0])
    assert weighted_percentile(vals, np.array([1, 2, 0, 1]), 100) == 10.0
    assert weighted_percentile(vals, np.array([1, 2, 1, 0]), 100) == 3.0
    assert weighted_percentile(vals, np.array([1, 2, 1, 0]), 0) == 1.0


# ------------------------------------------- Π_self status says how items match (wave 5)
def test_self_unavailable_status_explains_how_items_match_the_weight_table() -> None:
    table = _frame(neutral=NEUTRAL, human_simulation=HUMAN)
    other = _weights_frame({("Z", 0): (0.5, 1.0)})   # no input item is questionnaire Z
    res = score_table(table, methods=("panel", "self"), catalog=CAT_AB, weights=other)
    assert res.status["self"] == (
        "unavailable: no input item is in the frozen weight table "
        "(items match by questionnaire, position and item text)")


# ------------------------------------ item table: log π below 1 and π equal to the cap (Z3)
def test_item_table_log_pi_is_defined_for_pi_between_zero_and_one() -> None:
    # B0 in the hand panel: π = 0.3 / 1.7 = 3/17, so log π = ln 3 − ln 17
    #   = 1.098612 − 2.833213 = −1.734601 (a real number, not NaN, though π < 1)
    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=HAND_NEUTRAL, human_simulation=HAND_HUMAN), CAT_AB))
    it = item_table(panel).set_index(["questionnaire", "item_index"])
    assert it.loc[("B", 0), "log_pi"] == pytest.approx(-1.734601, abs=HAND)


def test_item_table_item_whose_pi_equals_the_cap_is_not_capped() -> None:
    # the 100th percentile of (0.17647, 8.33333, 24) is the largest π, 24, itself: A1's π equals
    # the cap but does not exceed it, so no item is marked capped
    panel = PanelData.from_clean(clean_responses(
        _frame(neutral=HAND_NEUTRAL, human_simulation=HAND_HUMAN), CAT_AB))
    it = item_table(panel, percentile=100).set_index(["questionnaire", "item_index"])
    assert it.attrs["cap"] == pytest.approx(24.0, abs=HAND)
    assert it["capped"].tolist() == [False, False, False]
