"""benchmark_scores on a hand-made results table: groups, Pinocchio tasks, stderr, run date."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinocchio_eval.lmeval.reader import benchmark_scores, is_pinocchio_task

# 1_700_000_000 s after the epoch is 2023-11-14 22:13:20 UTC
RESULTS = {
    "date": 1_700_000_000,
    "results": {
        "mmlu": {"alias": "mmlu", "acc,none": 0.6, "acc_stderr,none": 0.01},
        "mmlu_law": {"acc,none": 0.4},
        "hellaswag_sub": {"acc,none": 0.9},
        "pinocchio_neutral": {"acc,none": 1.0},
        "gsm8k": {"alias": 7, "exact_match,flex,extract": 0.3,
                  "exact_match_stderr,flex,extract": 0.02},
    },
    # mmlu is reported itself, so its subtask is not; a Pinocchio group hides its subtasks too
    "group_subtasks": {"mmlu": ["mmlu_law"], "pinocchio": ["hellaswag_sub"]},
}


def test_only_other_tasks_and_not_group_subtasks_are_scored() -> None:
    out = benchmark_scores(RESULTS, Path("r.json"), "m")
    assert sorted(out) == ["gsm8k", "mmlu"]


def test_scores_carry_value_stderr_and_the_run_date() -> None:
    out = benchmark_scores(RESULTS, Path("r.json"), "m")
    [mmlu] = out["mmlu"]
    assert (mmlu.metric, mmlu.value, mmlu.stderr) == ("acc", 0.6, 0.01)
    assert mmlu.run_date == "2023-11-14T22:13:20+00:00"


def test_filter_with_a_comma_keeps_its_stderr_and_a_numeric_alias_is_no_score() -> None:
    # "exact_match,flex,extract": metric exact_match, filter "flex,extract"
    [gsm] = benchmark_scores(RESULTS, Path("r.json"), "m")["gsm8k"]
    assert (gsm.metric, gsm.value, gsm.stderr) == ("exact_match(flex,extract)", 0.3, 0.02)


@pytest.mark.parametrize(("name", "expected"), [("pinocchio", True), ("Pinocchio_PI_Self", True),
                                                ("mmlu", False)])
def test_pinocchio_tasks_are_recognised_in_any_case(name: str, expected: bool) -> None:
    assert is_pinocchio_task(name) is expected
