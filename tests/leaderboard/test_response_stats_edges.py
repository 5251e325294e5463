"""response_stats on messy tables: missing statuses, text answers, several harnesses, time zones."""

from __future__ import annotations

import pandas as pd
import pytest

from pinocchio_eval.leaderboard.build import response_stats


def _table(n: int, **cols: list[object]) -> pd.DataFrame:
    base: dict[str, list[object]] = {
        "model": ["m"] * n, "condition": ["neutral"] * n, "questionnaire": ["A"] * n,
        "item_index": list(range(n)), "response": [1] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_missing_status_falls_back_to_numeric_answer_and_is_not_a_refusal() -> None:
    # statuses ok, refusal, bad, then two rows without a status
    df = _table(5, response=[3, None, "abc", 2, 5], status=["ok", "refusal", "bad", None, None])
    s = response_stats(df).set_index("model")
    # parsed: row 0 (ok) and rows 3, 4 (NA status, numeric answer) → 3 of 5
    assert s.loc["m", "parse_rate"] == pytest.approx(0.6)
    # refusals: only row 1; the NA statuses count as not refused → 1 of 5
    assert s.loc["m", "refusal_rate"] == pytest.approx(0.2)
    # numeric answers on items 0, 3 and 4 → 3 items answered
    assert s.loc["m", "items_answered"] == 3


def test_text_answers_count_as_unparsed_without_a_status_column() -> None:
    df = _table(4, response=[1, "seven", "n/a", 4])
    s = response_stats(df).set_index("model")
    assert s.loc["m", "parse_rate"] == pytest.approx(0.5)  # 2 numeric of 4
    assert s.loc["m", "items_answered"] == 2


def test_models_come_out_in_sorted_order() -> None:
    df = pd.DataFrame({
        "model": ["zeta", "alpha", "mid", "alpha"], "condition": ["neutral"] * 4,
        "questionnaire": ["A"] * 4, "item_index": [0, 0, 0, 1], "response": [1, 2, 3, 4],
    })
    assert list(response_stats(df)["model"]) == ["alpha", "mid", "zeta"]


def test_several_harnesses_are_listed_comma_separated() -> None:
    df = _table(3, harness=["lm-eval", "inspect", None])
    assert response_stats(df).loc[0, "harness"] == "inspect,lm-eval"


def test_run_date_is_the_latest_start_in_utc() -> None:
    # 23:30 at -05:00 is 04:30 UTC on the 2nd; 01:00 UTC on the 2nd is earlier. Latest in UTC
    # is 2024-01-02 (a local-time comparison would give the date 2024-01-01).
    df = _table(2, run_started=["2024-01-01T23:30:00-05:00", "2024-01-02T01:00:00+00:00"])
    assert response_stats(df).loc[0, "run_date"] == "2024-01-02"


def test_unreadable_run_start_is_skipped() -> None:
    df = _table(2, run_started=["not a date", "2024-05-06T07:00:00Z"])
    assert response_stats(df).loc[0, "run_date"] == "2024-05-06"


def test_no_readable_run_start_gives_no_date() -> None:
    df = _table(2, run_started=["not a date", "also not"])
    assert response_stats(df).loc[0, "run_date"] is None


def test_an_item_is_its_questionnaire_and_index_together() -> None:
    # item 0 of A and item 0 of B are two items; item 0 of A answered in both conditions
    # is one item: 3 numeric rows, 2 distinct (questionnaire, item_index) pairs
    df = _table(3, questionnaire=["A", "B", "A"], item_index=[0, 0, 0],
                condition=["neutral", "neutral", "self"])
    assert response_stats(df).set_index("model").loc["m", "items_answered"] == 2
