"""The build pipeline's helpers on hand-made inputs: engine counts, id matching, provenance."""

from __future__ import annotations

import math
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from pinocchio_eval import __version__
from pinocchio_eval.leaderboard.benchmarks import BenchmarkScore
from pinocchio_eval.leaderboard.build import _with_stats, assign_benchmark_models, provenance
from pinocchio_eval.task_version import version_info

# ---- _with_stats: the engine's counts against the response table's stats --------------------


def test_engine_refusal_rate_is_kept_over_its_own_counts() -> None:
    # the engine reports a rate of 0.5 and counts that would give 1/4 = 0.25: its rate stands
    scores = pd.DataFrame({"model": ["x"], "refusal_rate": [0.5], "n_refusal": [1],
                           "n_rows": [4]})
    stats = pd.DataFrame({"model": ["x"], "items_answered": [3]})
    t = _with_stats(scores, stats).set_index("model")
    assert t.loc["x", "refusal_rate"] == 0.5
    assert "n_refusal" not in t.columns and "n_rows" not in t.columns


def test_refusal_rate_from_counts_with_a_single_row() -> None:
    # one row, refused: 1 / 1 = 1.0; no refusals in one row: 0 / 1 = 0.0
    scores = pd.DataFrame({"model": ["x", "y"], "n_refusal": [1, 0], "n_rows": [1, 1]})
    stats = pd.DataFrame({"model": ["x", "y"], "items_answered": [0, 1]})
    t = _with_stats(scores, stats).set_index("model")
    assert t["refusal_rate"].to_dict() == {"x": 1.0, "y": 0.0}


def test_no_rows_leaves_the_refusal_rate_undefined_never_infinite() -> None:
    # the n_rows > 0 guard: with no rows there is no rate, whatever the refusal count says
    # (2 / 0 would be inf); a model with rows beside it gets 3 / 6 = 0.5
    scores = pd.DataFrame({"model": ["x", "y"], "n_refusal": [2, 3], "n_rows": [0, 6]})
    stats = pd.DataFrame({"model": ["x", "y"], "items_answered": [0, 6]})
    t = _with_stats(scores, stats).set_index("model")
    assert math.isnan(t.loc["x", "refusal_rate"])
    assert t.loc["y", "refusal_rate"] == 0.5


def test_scores_indexed_by_model_join_their_stats_on_the_model() -> None:
    # a scorer may hand back its table indexed by model: the counts still give a rate
    # (3 / 12 = 0.25) and the stats still join by model, one row per model
    scores = pd.DataFrame({"n_refusal": [3, 0], "n_rows": [12, 5]},
                          index=pd.Index(["x", "y"], name="model"))
    stats = pd.DataFrame({"model": ["x", "y"], "parse_rate": [0.75, 1.0]})
    t = _with_stats(scores, stats)
    assert sorted(t["model"]) == ["x", "y"]
    t = t.set_index("model")
    assert t["refusal_rate"].to_dict() == {"x": 0.25, "y": 0.0}
    assert t["parse_rate"].to_dict() == {"x": 0.75, "y": 1.0}


# ---- assign_benchmark_models: one model id per other-task score ------------------------------


def _score(model: str, task: str = "mmlu") -> BenchmarkScore:
    return BenchmarkScore(model, "lm-eval", task, "acc", 0.5, f"{task}.json")


def test_benchmark_ids_find_their_pinocchio_model_by_each_route() -> None:
    responses = pd.DataFrame({"model": ["org/model-a", "acme/gpt-4o", "org/gpt-4o",
                                        "meta-llama__llama-3.1-8b"]})
    scores = [
        # exact id, though after normalising it would fit both gpt-4o models
        _score("org/gpt-4o", "t1"),
        # whole id normalised: "org-model-a" → "orgmodela" = "org/model-a" normalised
        _score("org-model-a", "t2"),
        # the name after '/' of the Pinocchio id: "Model-A" → "modela"
        _score("Model-A", "t3"),
        # only the score's name after '/' fits ("othermodela" is nobody's whole id)
        _score("other/model-a", "t4"),
        # only the whole id fits: lm-eval's "org__name" folder spelling against "org/name"
        _score("meta-llama/Llama-3.1-8B", "t5"),
    ]
    assigned, notes = assign_benchmark_models(scores, responses)
    assert {b.task: b.model for b in assigned} == {
        "t1": "org/gpt-4o", "t2": "org/model-a", "t3": "org/model-a", "t4": "org/model-a",
        "t5": "meta-llama__llama-3.1-8b"}
    assert notes == []
    # the rest of each score is untouched
    assert [(b.harness, b.metric, b.value, b.source) for b in assigned] == [
        ("lm-eval", "acc", 0.5, f"t{i}.json") for i in range(1, 6)]


def test_normalised_id_fitting_two_models_stays_unmatched() -> None:
    responses = pd.DataFrame({"model": ["acme/gpt-4o", "org/gpt-4o"]})
    assigned, notes = assign_benchmark_models([_score("GPT-4o")], responses)
    assert assigned[0].model == "GPT-4o"
    assert len(notes) == 1 and "mmlu:acc for 'GPT-4o' (mmlu.json) matched no" in notes[0]


# ---- provenance ------------------------------------------------------------------------------


def test_provenance_names_generator_command_inputs_and_battery(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/bin/pinocchio-eval", "leaderboard", "build",
                                      "runs/", "--bootstrap", "30"])
    before = datetime.now(timezone.utc).replace(microsecond=0)
    got = provenance([Path("runs") / "a.eval", "b.csv"], bootstrap=30, seed=4)
    after = datetime.now(timezone.utc)
    assert got["generator"] == "pinocchio-eval " + __version__
    # the program's own path is replaced by its name; every argument after it is kept
    assert got["command"] == "pinocchio-eval leaderboard build runs/ --bootstrap 30"
    assert got["inputs"] == [str(Path("runs") / "a.eval"), "b.csv"]
    assert got["bootstrap"] == 30 and got["seed"] == 4
    for key, value in version_info().items():
        assert got[key] == value
    # UTC to the second: "YYYY-MM-DDTHH:MM:SS+00:00", no fraction
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", got["created"])
    created = datetime.fromisoformat(got["created"])
    assert before <= created <= after + timedelta(seconds=1)


def test_provenance_without_a_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [])   # embedded interpreters may leave argv empty
    got = provenance([])
    assert got["command"] is None and got["inputs"] == []
