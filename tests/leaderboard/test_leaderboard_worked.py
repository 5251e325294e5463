"""Leaderboard numbers worked by hand: ranks, merge matching, per-model rates, benchmarks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pinocchio_eval.leaderboard.benchmarks import BenchmarkScore
from pinocchio_eval.leaderboard.build import (
    _with_stats,
    assign_benchmark_models,
    benchmark_columns,
    build_leaderboard,
    response_stats,
)
from pinocchio_eval.leaderboard.merge import match_ids, merge_into, normalise_id, pi_columns
from pinocchio_eval.leaderboard.model import (
    Leaderboard,
    MethodSpec,
    finish_table,
    format_cell,
    json_safe,
    rank_by,
)
from pinocchio_eval.leaderboard.scores import METHODS, ScoreResult
from pinocchio_eval.responses import ResponseTableError, validate_response_table


def test_rank_highest_first_ties_share_the_best_rank_missing_unranked():
    t = pd.DataFrame({"model": list("abcdef"), "pi_panel": [0.2, 0.9, 0.2, np.nan, -1.0, 0.5]})
    # sorted: b 0.9 → 1, f 0.5 → 2, a and c 0.2 → 3 and 3, e −1.0 → 5, d missing → none
    assert rank_by(t, "pi_panel").tolist() == [3, 1, 3, pd.NA, 5, 2]
    out = finish_table(t, METHODS["panel"])
    assert out["rank"].tolist() == [3, 1, 3, pd.NA, 5, 2]
    assert (out["provider"] == "unknown").all()
    # an existing rank column is the caller's and stays
    kept = finish_table(t.assign(rank=[6, 5, 4, 3, 2, 1]), METHODS["panel"])
    assert kept["rank"].tolist() == [6, 5, 4, 3, 2, 1]
    board = Leaderboard(table=out, methods=[METHODS["panel"]])
    assert board.ordered()["model"].tolist() == ["b", "f", "a", "c", "e", "d"]
    assert board.primary == "panel"


def test_match_ids_every_stage_and_ambiguity():
    models = ["openai/gpt-4o", "acme/gpt-4o", "meta-llama/Llama-3.1-8B", "qwen/qwen3-32b"]
    matched, unmatched = match_ids(
        ["openai/gpt-4o", "OpenAI/GPT_4o", "llama-3.1-8b", "gpt-4o", "Qwen3 32B", "zzz"], models)
    assert matched["openai/gpt-4o"] == ("openai/gpt-4o", "exact")
    assert matched["OpenAI/GPT_4o"] == ("openai/gpt-4o", "normalised id")
    assert matched["llama-3.1-8b"] == ("meta-llama/Llama-3.1-8B", "name after '/'")
    assert matched["Qwen3 32B"] == ("qwen/qwen3-32b", "name after '/'")
    # "gpt-4o" fits two models after the '/': never guessed
    assert "gpt-4o" not in matched and "gpt-4o" in unmatched
    assert "zzz" in unmatched and unmatched["zzz"] == []
    assert normalise_id("Meta-Llama/LLaMA 3.1_8b") == "metallamallama318b"


def _board() -> Leaderboard:
    t = pd.DataFrame({"model": ["org/a", "org/b", "org/c"], "pi_panel": [0.5, -0.2, 0.1],
                      "pi_panel_lo": [0.3, -0.4, -0.1], "pi_panel_hi": [0.7, 0.0, 0.3],
                      "pi_self": [0.2, np.nan, -0.3], "parse_rate": [1.0, 0.9, 0.5],
                      "refusal_rate": [0.0, 0.1, 0.25], "items_answered": [10, 9, 5]})
    return Leaderboard(table=finish_table(t, METHODS["panel"]),
                       methods=[METHODS["panel"], METHODS["self"]])


def test_merge_appends_pi_by_row_and_renames_clashes():
    board = _board()
    assert pi_columns(board) == ["pi_panel", "pi_panel_lo", "pi_panel_hi", "pi_self", "rank",
                                 "parse_rate", "refusal_rate"]
    table = pd.DataFrame({"name": ["C", "nobody", "org/a", None, "B"],
                          "parse_rate": ["x", "y", "z", "w", "v"], "mmlu": [1, 2, 3, 4, 5]})
    out, report = merge_into(table, board, "name")
    assert out["name"].tolist()[:3] == ["C", "nobody", "org/a"]
    assert out["mmlu"].tolist() == [1, 2, 3, 4, 5]
    assert out["parse_rate"].tolist() == ["x", "y", "z", "w", "v"]   # the table's own column
    assert out["pinocchio_parse_rate"].tolist()[::2] == [0.5, 1.0, 0.9]
    assert out["pinocchio_rank"].tolist()[::2] == [2, 1, 3]
    assert out["pi_panel"].tolist()[::2] == [0.1, 0.5, -0.2]
    assert out["pi_panel_hi"].tolist()[::2] == [0.3, 0.7, 0.0]
    assert out.loc[[1, 3], "pi_panel"].isna().all()
    assert math.isnan(out.loc[4, "pi_self"])
    assert report.matched == {"C": ("org/c", "name after '/'"), "org/a": ("org/a", "exact"),
                              "B": ("org/b", "name after '/'")}
    assert list(report.unmatched_rows) == ["nobody"]
    assert report.unused_models == []
    lines = report.lines()
    assert lines[:3] == ["matched 3 row(s)", "  'B' -> 'org/b' (name after '/')",
                         "  'C' -> 'org/c' (name after '/')"]
    assert any("1 row(s) matched no scored model" in s for s in lines)
    _, rep = merge_into(pd.DataFrame({"name": ["org/a"]}), board, "name")
    assert rep.unused_models == ["org/b", "org/c"]
    assert rep.lines()[-1] == "scored model(s) not in the table: org/b, org/c"


def test_response_stats_by_hand():
    df = pd.DataFrame({
        "model": ["x"] * 5 + ["y"] * 3,
        "condition": ["neutral", "neutral", "neutral", "human_simulation", "human_simulation",
                      "neutral", "neutral", "neutral"],
        "questionnaire": ["A"] * 8,
        "item_index": [0, 1, 1, 0, 2, 0, 1, 2],
        "response": [3, None, 4, 2, None, 1, 2, 3],
        "status": ["ok", "refusal", "ok", "ok", "unparseable", "ok", "ok", "ok"],
        "harness": ["inspect"] * 8,
        "run_started": ["2026-01-02T10:00:00Z"] * 4 + ["2026-03-04T10:00:00Z"]
        + ["2026-02-01T00:00:00Z"] * 3,
    })
    s = response_stats(df).set_index("model")
    # x: answered items A0, A1 (A2 never got a number) → 2; 3 of 5 ok; 1 of 5 refusals
    assert s.loc["x", "items_answered"] == 2 and s.loc["y", "items_answered"] == 3
    assert s.loc["x", "parse_rate"] == pytest.approx(0.6) and s.loc["y", "parse_rate"] == 1.0
    assert s.loc["x", "refusal_rate"] == pytest.approx(0.2) and s.loc["y", "refusal_rate"] == 0
    assert s.loc["x", "conditions"] == "human_simulation,neutral"
    assert s.loc["x", "run_date"] == "2026-03-04" and s.loc["y", "harness"] == "inspect"
    # without a status column: numeric answers count as parsed, refusals are unknown
    s2 = response_stats(df.drop(columns=["status"])).set_index("model")
    assert s2.loc["x", "parse_rate"] == pytest.approx(0.6)
    assert np.isnan(s2.loc["x", "refusal_rate"])


def test_engine_counts_win_over_the_response_table():
    scores = pd.DataFrame({"model": ["x"], "pi_self": [0.1], "n_rows": [8], "n_refusal": [2],
                           "n_valid": [5], "parse_rate": [0.625]})
    stats = pd.DataFrame({"model": ["x", "z"], "parse_rate": [0.9, 0.5],
                          "items_answered": [4, 1]})
    t = _with_stats(scores, stats).set_index("model")
    assert t.loc["x", "refusal_rate"] == 0.25 and t.loc["x", "parse_rate"] == 0.625
    assert t.loc["x", "items_answered"] == 4 and "n_rows" not in t.columns
    assert "z" in t.index and np.isnan(t.loc["z", "pi_self"])


def test_benchmarks_keep_the_latest_run_and_find_their_model(tmp_path):
    s = [BenchmarkScore("org/m", "inspect", "mmlu", "accuracy", 0.5, "a.eval", "2026-01-01"),
         BenchmarkScore("org/m", "inspect", "mmlu", "accuracy", 0.7, "b.eval", "2026-02-01"),
         BenchmarkScore("org/m", "inspect", "mmlu", "accuracy", 0.6, "c.eval", None),
         BenchmarkScore("ORG/M", "inspect", "gsm8k", "accuracy", 0.3, "d.eval", None),
         BenchmarkScore("nobody", "inspect", "gsm8k", "accuracy", 0.1, "e.eval", None)]
    responses = pd.DataFrame({"model": ["org/m", "other/q"]})
    assigned, notes = assign_benchmark_models(s, responses)
    assert [b.model for b in assigned] == ["org/m", "org/m", "org/m", "org/m", "nobody"]
    assert len(notes) == 1 and "nobody" in notes[0]
    wide = benchmark_columns(assigned).set_index("model")
    assert wide.loc["org/m", "mmlu:accuracy"] == 0.7
    assert wide.loc["org/m", "gsm8k:accuracy"] == 0.3
    assert benchmark_columns([]).columns.tolist() == ["model"]


def test_build_with_a_given_scorer_keeps_only_methods_with_numbers():
    responses = pd.DataFrame({"model": ["a", "b", "c"], "condition": "neutral",
                              "questionnaire": "A", "item_index": 0, "response": [1, 2, 3]})

    def scorer(resp, norms=None, bootstrap=0, seed=0):
        t = pd.DataFrame({"model": ["a", "b", "c"], "pi_self": [0.3, 0.1, 0.2],
                          "pi_panel": np.nan, "n_items_self": 1, "n_items_panel": 0})
        return ScoreResult(table=t, methods=[METHODS["self"]], notes=["scored"])

    board = build_leaderboard([], responses=responses, scorer=scorer, bootstrap=0)
    t = board.table.set_index("model")
    assert "pi_panel" not in t.columns and "n_items_panel" not in t.columns
    assert t["rank"].to_dict() == {"a": 1, "b": 3, "c": 2}
    assert board.notes[0] == "scored" and board.provenance["models"] == 3
    assert board.provenance["responses"] == 3 and board.primary == "self"


def test_leaderboard_method_looks_a_method_up_by_key():
    responses = pd.DataFrame({"model": ["a", "b"], "condition": "neutral",
                              "questionnaire": "A", "item_index": 0, "response": [1, 2]})

    def scorer(resp, norms=None, bootstrap=0, seed=0):
        t = pd.DataFrame({"model": ["a", "b"], "pi_self": [0.3, 0.1], "pi_panel": [0.2, 0.1],
                          "n_items_self": 1, "n_items_panel": 1})
        return ScoreResult(table=t, methods=[METHODS["panel"], METHODS["self"]], notes=[])

    board = build_leaderboard([], responses=responses, scorer=scorer, bootstrap=0)
    assert board.method("self") is METHODS["self"]
    assert board.method("panel") is METHODS["panel"]
    with pytest.raises(StopIteration):
        board.method("axis")


def test_build_records_the_norms_files_digest(tmp_path):
    import hashlib

    responses = pd.DataFrame({"model": ["a", "b"], "condition": "neutral",
                              "questionnaire": "A", "item_index": 0, "response": [1, 2]})
    norms = tmp_path / "norms.json"
    norms.write_bytes(b'{"format": "stand-in: the given scorer never opens it"}\n')

    def scorer(resp, norms=None, bootstrap=0, seed=0):
        t = pd.DataFrame({"model": ["a", "b"], "pi_self": [0.3, 0.1], "n_items_self": 1})
        return ScoreResult(table=t, methods=[METHODS["self"]], notes=[])

    board = build_leaderboard([], responses=responses, scorer=scorer, bootstrap=0, norms=norms)
    assert board.provenance["norms"] == {
        "path": str(norms), "sha256": hashlib.sha256(norms.read_bytes()).hexdigest()}


def test_cells_as_people_and_json_read_them():
    assert format_cell(0.12345, "pi_panel") == "+0.123"
    assert format_cell(-0.0004, "pi_self") == "+0.000"   # no "-0.000"
    assert format_cell(0.256, "parse_rate") == "25.6%"
    assert format_cell(np.nan, "pi_panel") == "" and format_cell(pd.NA, "x") == ""
    assert format_cell(1234.5678, "mmlu") == "1235" and format_cell("abc", "model") == "abc"
    assert json_safe(np.int64(3)) == 3 and type(json_safe(np.int64(3))) is int
    assert json_safe(float("inf")) is None
    spec = MethodSpec("self", "Π self")
    board = Leaderboard(table=pd.DataFrame({"model": ["a"], "pi_self": [0.1]}), methods=[spec])
    assert [board.column_label(c) for c in ("pi_self", "pi_self_lo", "pi_self_hi",
                                            "parse_rate", "mmlu:acc")] == [
        "Π self", "Π self 95% lo", "Π self 95% hi", "parse rate", "mmlu:acc"]


def test_response_table_validation_names_the_row():
    base = {"model": ["a", "b"], "condition": ["neutral"] * 2, "questionnaire": ["A"] * 2,
            "item_index": [0, 1], "response": ["3", "Answer: 2"]}
    out = validate_response_table(pd.DataFrame(base))
    assert out["response"].tolist()[0] == 3.0 and np.isnan(out["response"][1])
    assert out["response_raw"].tolist() == ["3", "Answer: 2"]
    with pytest.raises(ResponseTableError, match=r"row \d has item_index \S*1\.5"):
        validate_response_table(pd.DataFrame({**base, "item_index": [0, 1.5]}))
    with pytest.raises(ResponseTableError, match=r"row \d has item_index \S*-1\b"):
        validate_response_table(pd.DataFrame({**base, "item_index": [-1, 0]}))
    with pytest.raises(ResponseTableError, match=r"row \d has no 'model'"):
        validate_response_table(pd.DataFrame({**base, "model": ["a", None]}))
    with pytest.raises(ResponseTableError, match=r"missing column\(s\) \['response'\]"):
        validate_response_table(pd.DataFrame(base).drop(columns=["response"]))
    with pytest.raises(ResponseTableError, match="no rows"):
        validate_response_table(pd.DataFrame(base).iloc[:0])
    nums = validate_response_table(pd.DataFrame({**base, "response": [3, 2]}))
    assert nums["response"].dtype == float and nums["response_raw"].isna().all()
