"""Another task's headline score from an Inspect log header: which metric, its stderr, or none."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import EvalLog, EvalMetric, EvalResults, EvalScore  # noqa: E402

from pinocchio_eval.inspect_task.reader import _benchmark  # noqa: E402


def _log(*scores: dict[str, float]) -> EvalLog:
    """A log header whose results hold one scorer per dict (metric name -> value), in order."""
    evals = [EvalScore(name=f"scorer{i}", scorer=f"scorer{i}",
                       metrics={k: EvalMetric(name=k, value=v) for k, v in metrics.items()})
             for i, metrics in enumerate(scores)]
    return EvalLog.model_construct(results=EvalResults(total_samples=4, completed_samples=4,
                                                       scores=evals))


def test_log_without_results_has_no_score() -> None:
    assert _benchmark(EvalLog.model_construct(results=None)) is None


def test_results_without_scorers_have_no_score() -> None:
    assert _benchmark(_log()) is None


def test_first_metric_and_its_stderr_are_the_score() -> None:
    got = _benchmark(_log({"accuracy": 0.75, "stderr": 0.25}, {"f1": 0.1, "stderr": 0.05}))
    assert got == {"metric": "accuracy", "value": 0.75, "stderr": 0.25}


def test_stderr_listed_first_is_never_the_headline_metric() -> None:
    got = _benchmark(_log({"stderr": 0.25, "accuracy": 0.75}))
    assert got == {"metric": "accuracy", "value": 0.75, "stderr": 0.25}


def test_a_scorer_with_only_a_stderr_has_no_score() -> None:
    assert _benchmark(_log({"stderr": 0.25})) is None


def test_metric_without_stderr_has_none_for_it() -> None:
    assert _benchmark(_log({"mean": 3.5})) == {"metric": "mean", "value": 3.5, "stderr": None}


def test_nan_stderr_stays_nan() -> None:
    got = _benchmark(_log({"accuracy": 0.5, "stderr": math.nan}))
    assert got is not None and got["value"] == 0.5 and math.isnan(got["stderr"])


def test_nan_metric_has_no_score() -> None:
    assert _benchmark(_log({"accuracy": math.nan, "stderr": 0.1})) is None
