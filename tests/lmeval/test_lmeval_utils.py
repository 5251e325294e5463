"""Per-document scoring and the Π_self aggregation of the lm-eval tasks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pinocchio_eval.lmeval.docs import make_doc
from pinocchio_eval.lmeval.utils import (
    condition_means,
    pi_self_aggregate,
    pi_self_items_aggregate,
    process_generative,
    process_multiple_choice,
    process_pi_self_multiple_choice,
    summarise_choices,
)
from pinocchio_eval.scoring.selfanchored import load_item_weights, pi_self_from_means


@pytest.fixture
def doc(toy_plugin):
    from pinocchio_eval.battery import get_battery

    return make_doc(get_battery().items("toy-inner-weather")[0], "neutral")


def test_summary_is_a_distribution_over_the_scale():
    s = summarise_choices([math.log(0.1), math.log(0.2), math.log(0.3), math.log(0.1)],
                          [1, 2, 3, 4])
    assert sum(s.probabilities.values()) == pytest.approx(1.0)
    assert s.probabilities[3] == pytest.approx(3 / 7)
    assert s.expected == pytest.approx((0.1 + 0.4 + 0.9 + 0.4) / 0.7)
    assert s.argmax == 3
    assert s.mass == pytest.approx(0.7)


def test_summary_survives_very_negative_loglikelihoods():
    s = summarise_choices([-1000.0, -1001.0], [0, 1])
    assert np.isfinite(s.expected) and s.argmax == 0
    assert s.probabilities[0] == pytest.approx(1 / (1 + math.exp(-1)))


def test_summary_rejects_a_length_mismatch():
    with pytest.raises(ValueError, match="3 log-likelihoods for 2"):
        summarise_choices([0.0, 0.0, 0.0], [0, 1])


def test_generative_parsed_and_unparsed(doc):
    q = doc["questionnaire"]
    assert process_generative(doc, ["3"]) == {
        "rating_norm": pytest.approx(2 / 3), "rating_norm_stderr": (q, pytest.approx(2 / 3)),
        "parse_rate": 1.0, "parse_rate_stderr": (q, 1.0)}
    bad = process_generative(doc, ["I am a language model"])
    assert math.isnan(bad["rating_norm"]) and bad["parse_rate"] == 0.0
    assert process_generative(doc, ["Often"])["rating_norm"] == pytest.approx(2 / 3)


def test_multiple_choice_accepts_lm_eval_pairs(doc):
    out = process_multiple_choice(doc, [(-5.0, False), (-1.0, True), (-5.0, False),
                                        (-5.0, False)])
    assert out["argmax_norm"] == pytest.approx(1 / 3)
    assert 0 < out["rating_norm"] < 1 and 0 < out["choice_mass"] < 1


def _weighted_items(n: int) -> list[tuple[str, int]]:
    w = load_item_weights()
    return list(zip(w["questionnaire"][:n], w["item_index"][:n].astype(int), strict=True))


def test_pi_self_aggregate_calls_the_scoring_engine():
    items = _weighted_items(6)
    rng = np.random.default_rng(0)
    neutral = {k: float(rng.integers(1, 6)) for k in items}
    human = {k: float(rng.integers(1, 6)) for k in items}
    records = ([("neutral", q, i, v) for (q, i), v in neutral.items()]
               + [("human_simulation", q, i, v) for (q, i), v in human.items()]
               + [("llm_analog", items[0][0], items[0][1], 99.0)])
    expected, n = pi_self_from_means(neutral, human)
    assert pi_self_aggregate(records) == pytest.approx(expected)
    assert pi_self_items_aggregate(records) == n == 6


def test_pi_self_averages_repeats_and_skips_missing():
    (q, i), (q2, i2) = _weighted_items(2)
    records = [("neutral", q, i, 1.0), ("neutral", q, i, 3.0), ("human_simulation", q, i, 2.0),
               ("neutral", q2, i2, float("nan")), ("human_simulation", q2, i2, 4.0)]
    assert condition_means(records, "neutral") == {(q, i): 2.0}
    assert pi_self_aggregate(records) == 0.0
    assert pi_self_items_aggregate(records) == 1


def test_pi_self_is_nan_with_one_condition_only(caplog):
    (q, i), = _weighted_items(1)
    assert math.isnan(pi_self_aggregate([("neutral", q, i, 2.0)]))
    assert "pi_self is NaN" in caplog.text and "human_simulation" in caplog.text
    assert pi_self_items_aggregate([("neutral", q, i, 2.0)]) == 0


def test_pi_self_record_from_loglikelihoods(doc):
    rec = process_pi_self_multiple_choice(doc, [(-1.0, True)] * 4)["pi_self"]
    assert rec == ("neutral", "Toy Inner Weather Scale", 0, pytest.approx(2.5), "corrected")


def test_pi_self_uses_the_runs_text_mode():
    """A source-mode run shows BAI item 0 as "Fear of losing control", the text its shipped
    weight was estimated on, so Π_self counts it; the corrected text ("Numbness or tingling")
    does not get that weight. The mode rides in each document and record."""
    from pinocchio_eval.lmeval.docs import build_docs
    from pinocchio_eval.lmeval.utils import process_pi_self_generative

    def run(mode: str) -> list:
        docs = build_docs(["neutral", "human_simulation"], "BAI", text_mode=mode)
        assert {d["text_mode"] for d in docs} == {mode}
        return [process_pi_self_generative(d, ["1" if d["condition"] == "neutral" else "2"])
                ["pi_self"] for d in docs]

    source, corrected = run("source"), run("corrected")
    n_weighted = len(load_item_weights().query("questionnaire == 'BAI'"))
    assert pi_self_items_aggregate(source) == n_weighted
    assert pi_self_items_aggregate(corrected) == n_weighted - 1
    assert condition_means(source, "neutral")[("BAI", 0)] == 1.0


def test_pi_self_entry_points_default_to_corrected_texts_and_read_the_tables_texts():
    """Records carry no text: the default mode is "corrected", so BAI item 0 (its corrected
    text is not the one its weight was estimated on) is left out unless the run was
    "source". A response table's own ``item`` column decides instead of the mode."""
    import pandas as pd

    from pinocchio_eval.scoring.selfanchored import pi_self, pi_self_from_records
    from pinocchio_eval.scoring.weights import battery_text

    idx = sorted(int(i) for i in load_item_weights().query("questionnaire == 'BAI'").item_index)
    n_weighted = len(idx)
    recs = [(c, "BAI", i, v) for i in idx for c, v in (("neutral", 1), ("human_simulation", 2))]
    assert pi_self_from_records(recs)[1] == n_weighted - 1
    assert pi_self_from_records(recs, text_mode="corrected")[1] == n_weighted - 1
    assert pi_self_from_records(recs, text_mode="source")[1] == n_weighted
    rows = [{"model": "m", "condition": c, "questionnaire": q, "item_index": i,
             "item": battery_text("BAI", i, "source"), "response": v} for c, q, i, v in recs]
    table = pd.DataFrame(rows)
    assert pi_self(table)["n_items_self"].tolist() == [n_weighted]
    corrected = table.assign(item=[battery_text("BAI", i, "corrected") for i in table.item_index])
    assert pi_self(corrected)["n_items_self"].tolist() == [n_weighted - 1]


def test_clustered_stderr_matches_inspects_estimator():
    pytest.importorskip("inspect_ai")
    from inspect_ai.scorer import SampleScore, Score, stderr

    from pinocchio_eval.lmeval.utils import clustered_stderr

    rng = np.random.default_rng(4)
    clusters = rng.choice(["a", "b", "c", "d", "e"], size=60)
    values = rng.normal(size=60)
    ours = clustered_stderr(list(zip(clusters, values, strict=True)))
    scores = [SampleScore(score=Score(value=float(v)), sample_id=i,
                          sample_metadata={"questionnaire": str(c)})
              for i, (c, v) in enumerate(zip(clusters, values, strict=True))]
    assert ours == pytest.approx(stderr(cluster="questionnaire")(scores))
    assert clustered_stderr([("a", 1.0), ("a", float("nan")), ("a", 3.0)]) == 0.0
    assert math.isnan(clustered_stderr([("a", float("nan"))]))


def test_pi_self_interval_aggregates_are_the_engines_bootstrap():
    from pinocchio_eval.lmeval.utils import (
        PI_SELF_METRICS,
        pi_self_hi_aggregate,
        pi_self_lo_aggregate,
        pi_self_stderr_aggregate,
    )
    from pinocchio_eval.scoring.selfanchored import pi_self_estimate

    rng = np.random.default_rng(2)
    items = _weighted_items(200)
    records = [(c, q, i, float(rng.integers(1, 6))) for q, i in items
               for c in ("neutral", "human_simulation")]
    est = pi_self_estimate(records, draws=1000, seed=0)
    assert est.lo < est.value < est.hi
    assert pi_self_lo_aggregate(records) == est.lo and pi_self_hi_aggregate(records) == est.hi
    assert pi_self_stderr_aggregate(records) == pytest.approx((est.hi - est.lo) / 3.919928)
    # lm-eval aggregates in this order: our pi_self_stderr must come after pi_self
    assert PI_SELF_METRICS.index("pi_self_stderr") > PI_SELF_METRICS.index("pi_self")
