"""pi_self_estimate (the harness metric behind Π_self) on runs small enough to check by hand:
a two-item worked value, a run with no item in both conditions, and a run the engine rejects."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.selfanchored import SelfEstimate, pi_self_estimate

SWLS = "The Satisfaction with Life Scale"


def _is_nan_float(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def test_two_item_run_gives_hand_computed_pi_self_and_no_interval_without_draws() -> None:
    # Frozen weights (scorers/pc1_item_weights.csv), SWLS items 1 and 2:
    #   item 1: r = 0.2139, var = 0.521; item 2: r = 0.3745, var = 0.367.
    # Π_self = Σ r_i (neutral_i − human_i) / sqrt(var_i) / Σ |r_i|
    recs = [("neutral", "SWLS", 1, 5), ("human_simulation", "SWLS", 1, 3),
            ("neutral", "SWLS", 2, 4), ("human_simulation", "SWLS", 2, 2)]
    items = [(0.2139, 0.521, 5 - 3), (0.3745, 0.367, 4 - 2)]
    num = 0.0
    den = 0.0
    for r, var, diff in items:
        num += r * diff / math.sqrt(var)
        den += abs(r)
    est = pi_self_estimate(recs, draws=0)
    assert est.value == pytest.approx(num / den, abs=1e-9)  # ≈ 3.1085
    assert est.n_items == 2
    assert _is_nan_float(est.lo) and _is_nan_float(est.hi)
    assert est.reason == ""


def test_run_without_an_item_in_both_conditions_has_nan_estimate_and_zero_items() -> None:
    # neutral answered item 1, human_simulation item 2: the engine scores the run (status
    # "self" is set) but no item is in both conditions, so nothing can be estimated.
    recs = [("neutral", "SWLS", 1, 5), ("human_simulation", "SWLS", 2, 3)]
    table = pd.DataFrame([("run", c, q, i, float(v)) for c, q, i, v in recs],
                         columns=["model", "condition", "questionnaire", "item_index",
                                  "response"])
    engine_status = score_table(table, methods=("self",), bootstrap=20, seed=0).status["self"]
    est = pi_self_estimate(recs, draws=20)
    assert isinstance(est, SelfEstimate)
    assert _is_nan_float(est.value)
    assert _is_nan_float(est.lo)
    assert _is_nan_float(est.hi)
    assert est.n_items == 0 and type(est.n_items) is int
    # the engine scored the run ("ok"), so the reason says what is missing instead
    assert engine_status == "ok"
    assert est.reason == "no weighted item has a rating in both conditions"


def test_run_the_engine_rejects_reports_the_self_method_error_only() -> None:
    # only neutral answers: score_table raises ScoringError; the estimate carries its message,
    # naming only the self method (the metric asks for Π_self alone, not panel or axis).
    est = pi_self_estimate([("neutral", "SWLS", 1, 5), ("neutral", "SWLS", 2, 3)], draws=20)
    assert _is_nan_float(est.value)
    assert _is_nan_float(est.lo)
    assert _is_nan_float(est.hi)
    assert est.n_items == 0
    assert "self: unavailable" in est.reason
    assert "panel" not in est.reason
    assert "axis" not in est.reason


def test_draws_given_as_text_zero_means_no_interval() -> None:
    # a harness may pass the draw count from its config as text; "0" is coerced to no
    # bootstrap draws, so the point estimate exists but lo and hi are NaN (not an error).
    recs = [("neutral", "SWLS", 1, 5), ("human_simulation", "SWLS", 1, 3)]
    est = pi_self_estimate(recs, draws="0")  # type: ignore[arg-type]
    # one item: r = 0.2139 cancels, Π_self = (5 − 3) / sqrt(0.521)
    assert est.value == pytest.approx(2 / math.sqrt(0.521), abs=1e-9)
    assert est.n_items == 1
    assert _is_nan_float(est.lo)
    assert _is_nan_float(est.hi)


def test_two_questionnaire_run_interval_spans_the_single_questionnaire_estimates() -> None:
    # One weighted item in each of two questionnaires. A questionnaire-bootstrap draw takes
    # both (Π_self as a whole), SWLS twice (Π_self = SWLS's term alone) or Rosenberg twice;
    # each single-questionnaire case has probability 1/4, far more than the 2.5 % tails, so
    # over 1000 draws the 95 % interval runs exactly from one one-questionnaire value to the other.
    #   SWLS item 1: r = 0.2139, var = 0.521, 5 − 3 = 2   → alone: +2 / √0.521 ≈ 2.771
    #   Rosenberg item 1: r = −0.5745, var = 0.598, 2 − 3 = −1 → alone: (−1)(−1) / √0.598 ≈ 1.293
    recs = [("neutral", "SWLS", 1, 5), ("human_simulation", "SWLS", 1, 3),
            ("neutral", "Rosenberg Self-Esteem Scale", 1, 2),
            ("human_simulation", "Rosenberg Self-Esteem Scale", 1, 3)]
    terms = [(0.2139, 0.521, 2.0), (-0.5745, 0.598, -1.0)]
    alone = [math.copysign(1.0, r) * d / math.sqrt(var) for r, var, d in terms]
    whole = (sum(r * d / math.sqrt(var) for r, var, d in terms)
             / sum(abs(r) for r, _, _ in terms))
    est = pi_self_estimate(recs, draws=1000, seed=3)
    assert est.n_items == 2
    assert est.value == pytest.approx(whole, abs=1e-9)  # ≈ 1.694
    assert est.lo == pytest.approx(min(alone), abs=1e-9)
    assert est.hi == pytest.approx(max(alone), abs=1e-9)
    assert est.lo < est.value < est.hi
