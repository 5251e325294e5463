"""build_leaderboard's options and joins, scored by a stand-in scorer (no engine, few rows)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from leaderboard_fixtures import write_lmeval_results
from pinocchio_eval.leaderboard.build import build_leaderboard
from pinocchio_eval.leaderboard.model import Leaderboard, MethodSpec
from pinocchio_eval.leaderboard.scores import METHODS, ScoreResult
from pinocchio_eval.responses import ResponseTableError, write_response_table


def _responses(models: list[str], harness: str | None = "inspect") -> pd.DataFrame:
    """One answer per model on SWLS item 0."""
    df = pd.DataFrame({"model": models, "condition": "neutral", "questionnaire": "SWLS",
                       "item_index": 0, "response": [float(i + 1) for i in range(len(models))]})
    if harness is not None:
        df["harness"] = harness
    return df


class Recorder:
    """A scorer that records its keyword arguments and gives each model Π self = 0.1 × rank."""

    def __init__(self, methods: list[MethodSpec] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.methods = [METHODS["self"]] if methods is None else methods
        self.extra = extra or {}

    def __call__(self, responses: pd.DataFrame, **kw: Any) -> ScoreResult:
        self.calls.append(kw)
        models = sorted(responses["model"].astype(str).unique())
        t = pd.DataFrame({"model": models, "pi_self": [0.1 * (i + 1) for i in range(len(models))],
                          "n_items_self": 1, **self.extra})
        return ScoreResult(table=t, methods=self.methods, notes=[])


# ---- what reaches the scorer, what the board records -----------------------------------------


def test_defaults_reach_the_scorer_and_the_provenance() -> None:
    rec = Recorder()
    board = build_leaderboard([], responses=_responses(["a", "b"]), scorer=rec)
    assert rec.calls == [{"norms": None, "bootstrap": 1000, "seed": 0}]
    assert board.title == "Pinocchio leaderboard"
    p = board.provenance
    assert (p["bootstrap"], p["seed"], p["compat"]) == (1000, 0, "project")
    assert "norms" not in p


def test_given_options_reach_the_scorer_and_the_provenance(tmp_path: Path) -> None:
    norms = tmp_path / "norms.json"
    norms.write_text("{}")    # never opened by the stand-in scorer; only hashed
    rec = Recorder()
    board = build_leaderboard([], title="Mine", responses=_responses(["a", "b"]), scorer=rec,
                              norms=norms, bootstrap=7, seed=11, compat="paper")
    assert rec.calls == [{"norms": norms, "bootstrap": 7, "seed": 11, "compat": "paper"}]
    assert board.title == "Mine"
    p = board.provenance
    assert (p["bootstrap"], p["seed"], p["compat"]) == (7, 11, "paper")
    assert p["norms"]["path"] == str(norms)


def test_a_scorer_with_no_methods_gives_an_unranked_board() -> None:
    rec = Recorder(methods=[])
    board = build_leaderboard([], responses=_responses(["a", "b"]), scorer=rec)
    assert board.methods == [] and board.primary is None
    assert "rank" not in board.table.columns
    assert sorted(board.table["model"]) == ["a", "b"]


def test_count_columns_follow_the_methods_shown() -> None:
    # self is shown: its pi_/n_items_/n_questionnaires_ columns stay; panel's all go
    rec = Recorder(extra={"n_questionnaires_self": 1, "pi_panel": float("nan"),
                          "pi_panel_lo": float("nan"), "n_items_panel": 0,
                          "n_questionnaires_panel": 0})
    board = build_leaderboard([], responses=_responses(["a", "b"]), scorer=rec)
    cols = set(board.table.columns)
    assert {"pi_self", "n_items_self", "n_questionnaires_self"} <= cols
    assert not cols & {"pi_panel", "pi_panel_lo", "n_items_panel", "n_questionnaires_panel"}


# ---- reading the inputs: unknown items and repeated runs -------------------------------------



def test_build_refuses_unknown_items_by_default(unknown_item_table: Path) -> None:
    path = unknown_item_table
    with pytest.raises(ResponseTableError, match=r"item_index \[7\]"):
        build_leaderboard([path], scorer=Recorder())


def test_build_drops_unknown_items_when_asked(unknown_item_table: Path) -> None:
    path = unknown_item_table
    board = build_leaderboard([path], scorer=Recorder(), drop_unknown_items=True)
    assert board.provenance["responses"] == 2      # items 0 and 1; item 7 dropped
    assert any("item_index [7]" in n for n in board.notes)


def _two_lmeval_runs(folder: Path) -> None:
    """One model's hellaswag and mmlu run twice: hellaswag acc 0.4, then a month later 0.6."""
    first = write_lmeval_results(folder, "my-model", hellaswag=0.4)
    doc = json.loads(first.read_text())
    doc["date"] += 86400 * 31
    doc["results"]["hellaswag"]["acc,none"] = 0.6
    (folder / "results_2026-12-27T10-00-00.000000.json").write_text(json.dumps(doc))


def _hellaswag_by_model(board: Leaderboard) -> dict[str, float]:
    t = board.table.dropna(subset=["hellaswag:acc"])
    return dict(zip(t["model"], t["hellaswag:acc"], strict=True))


def test_all_runs_keeps_each_benchmark_run_when_reading_everything(tmp_path: Path) -> None:
    table = tmp_path / "r.csv"
    write_response_table(_responses(["my-model"]), table)
    _two_lmeval_runs(tmp_path / "lm" / "my-model")
    latest = build_leaderboard([table, tmp_path / "lm"], scorer=Recorder())
    assert _hellaswag_by_model(latest) == {"my-model": 0.6}
    every = build_leaderboard([table, tmp_path / "lm"], scorer=Recorder(), all_runs=True)
    assert _hellaswag_by_model(every) == {
        "my-model [run 2026-11-26T10-00-00.000000]": 0.4,
        "my-model [run 2026-12-27T10-00-00.000000]": 0.6}
    assert any("kept separately (--all-runs)" in n for n in every.notes)


def test_all_runs_applies_to_benchmark_inputs_beside_given_responses(tmp_path: Path) -> None:
    _two_lmeval_runs(tmp_path / "lm" / "my-model")
    given = _responses(["my-model"])
    latest = build_leaderboard([tmp_path / "lm"], responses=given, scorer=Recorder())
    assert _hellaswag_by_model(latest) == {"my-model": 0.6}
    every = build_leaderboard([tmp_path / "lm"], responses=given, scorer=Recorder(),
                              all_runs=True)
    assert _hellaswag_by_model(every) == {
        "my-model [run 2026-11-26T10-00-00.000000]": 0.4,
        "my-model [run 2026-12-27T10-00-00.000000]": 0.6}


# ---- benchmark columns and the harness column ------------------------------------------------


def test_harness_comes_from_responses_then_from_benchmarks(tmp_path: Path) -> None:
    # a and b answered Pinocchio through Inspect; lm-eval also ran a (hellaswag) and z,
    # which has no Pinocchio answers: z's harness can only come from its benchmark
    write_lmeval_results(tmp_path / "lm" / "a", "a", hellaswag=0.3)
    write_lmeval_results(tmp_path / "lm" / "z", "z", hellaswag=0.7)
    board = build_leaderboard([tmp_path / "lm"], responses=_responses(["a", "b"]),
                              scorer=Recorder())
    t = board.table.set_index("model")
    assert t["harness"].to_dict() == {"a": "inspect", "b": "inspect", "z": "lm-eval"}
    assert t["hellaswag:acc"].to_dict() == pytest.approx({"a": 0.3, "b": float("nan"),
                                                          "z": 0.7}, nan_ok=True)
    assert "hellaswag:acc" in board.benchmarks and "mmlu:acc" in board.benchmarks


def test_harness_column_is_made_from_benchmarks_when_responses_lack_it(tmp_path: Path) -> None:
    write_lmeval_results(tmp_path / "lm" / "a", "a", hellaswag=0.3)
    board = build_leaderboard([tmp_path / "lm"], responses=_responses(["a", "b"], harness=None),
                              scorer=Recorder())
    t = board.table.set_index("model")
    assert t.loc["a", "harness"] == "lm-eval"
    assert pd.isna(t.loc["b", "harness"])
    assert [c for c in t.columns if "harness" in c.lower()] == ["harness"]


def test_a_scorer_column_named_like_a_benchmark_never_multiplies_rows(tmp_path: Path) -> None:
    # the benchmark join is by model alone: a scorer reporting its own 'hellaswag:acc'
    # (0.9 for a) beside the file's 0.3 still leaves one row per model
    write_lmeval_results(tmp_path / "lm" / "a", "a", hellaswag=0.3)
    rec = Recorder(extra={"hellaswag:acc": [0.9, 0.8]})
    board = build_leaderboard([tmp_path / "lm"], responses=_responses(["a", "b"]), scorer=rec)
    assert sorted(board.table["model"]) == ["a", "b"]
    assert board.table.set_index("model")["pi_self"].to_dict() == pytest.approx(
        {"a": 0.1, "b": 0.2})
