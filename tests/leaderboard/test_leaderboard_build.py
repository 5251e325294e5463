"""Build and merge from files: Π beside other tasks' scores, unmatched rows reported."""

from __future__ import annotations

import json

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from leaderboard_fixtures import small_panel, write_inspect_log, write_lmeval_results
from pinocchio_eval.commands.leaderboard import register
from pinocchio_eval.leaderboard.merge import match_ids, merge_into
from pinocchio_eval.readers import read_inputs


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return small_panel()


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def root() -> None:
        pass

    register(root)
    return root


def test_inspect_benchmark_first_metric_of_first_scorer(tmp_path):
    write_inspect_log(tmp_path / "mmlu.eval", "openai/gpt-4o", value=0.71)
    write_inspect_log(tmp_path / "pin.eval", "openai/gpt-4o", task="pinocchio_eval/pinocchio")
    (tmp_path / "notes.json").write_text('{"not": "a log"}')
    found = read_inputs([tmp_path]).benchmarks
    assert [(b.model, b.column, b.value, b.stderr) for b in found] == [
        ("openai/gpt-4o", "mmlu_0_shot:accuracy", 0.71, 0.05)]


def test_lmeval_benchmarks_use_groups_and_skip_pinocchio(tmp_path):
    write_lmeval_results(tmp_path / "m", "my-model", hellaswag=0.4)
    found = read_inputs([tmp_path]).benchmarks
    cols = {b.column: b.value for b in found}
    assert cols == {"hellaswag:acc": 0.4, "hellaswag:acc_norm": pytest.approx(0.5),
                    "mmlu:acc": 0.55}
    assert {b.column: b.stderr for b in found}["mmlu:acc"] == 0.01


def test_build_puts_pi_beside_other_benchmarks(tmp_path, panel, cli):
    runs = tmp_path / "runs"
    runs.mkdir()
    panel.to_csv(runs / "responses.csv", index=False)
    write_inspect_log(runs / "mmlu.eval", "model-000", value=0.61)
    write_inspect_log(runs / "mmlu2.eval", "Model_001", value=0.52)  # spelt differently
    write_lmeval_results(runs / "lm" / "model-002", "model-002", hellaswag=0.33)
    out = tmp_path / "board"
    res = CliRunner().invoke(cli, ["leaderboard", "build", str(runs / "responses.csv"),
                                   str(runs / "mmlu.eval"), str(runs / "mmlu2.eval"),
                                   str(runs / "lm"), "--out", str(out), "--bootstrap", "30",
                                   "--title", "Test panel"])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out / "leaderboard.csv").set_index("model")
    assert len(t) == 6  # no extra rows: every benchmark found its model
    for col in ("pi_panel", "pi_panel_lo", "pi_panel_hi", "pi_axis", "pi_self", "rank",
                "items_answered", "parse_rate", "refusal_rate", "conditions", "harness",
                "run_date"):
        assert col in t.columns, col
    assert (t["pi_panel_lo"] <= t["pi_panel"]).all() and (t["pi_panel"] <= t["pi_panel_hi"]).all()
    assert t.loc["model-000", "mmlu_0_shot:accuracy"] == pytest.approx(0.61)
    assert t.loc["model-001", "mmlu_0_shot:accuracy"] == pytest.approx(0.52)
    assert t.loc["model-002", "hellaswag:acc"] == pytest.approx(0.33)
    assert t.loc["model-000", "parse_rate"] == 1.0
    doc = json.loads((out / "leaderboard.json").read_text())
    assert doc["title"] == "Test panel" and doc["provenance"]["bootstrap"] == 30
    assert {"csv", "json", "md", "html", "png"} == {p.suffix[1:] for p in out.iterdir()
                                                     if p.is_file()}
    assert [p.name for p in out.iterdir() if p.is_dir()] == ["eee"]  # Every Eval Ever records


def test_unmatched_benchmark_becomes_its_own_row(tmp_path, panel):
    from pinocchio_eval.leaderboard.build import build_leaderboard

    write_inspect_log(tmp_path / "mmlu.eval", "other/stranger", value=0.5)
    board = build_leaderboard([tmp_path / "mmlu.eval"], responses=panel, bootstrap=0)
    t = board.table.set_index("model")
    assert t.loc["other/stranger", "mmlu_0_shot:accuracy"] == 0.5
    assert pd.isna(t.loc["other/stranger", "pi_panel"])
    assert any("other/stranger" in n for n in board.notes)


def test_match_ids_stages():
    models = ["meta-llama/llama-3.1-70b-instruct", "openai/gpt-4o", "openai/gpt-4o-mini"]
    matched, unmatched = match_ids(
        ["openai/gpt-4o", "OpenAI/GPT-4o-Mini", "Llama-3.1-70B-Instruct", "gpt-5"], models)
    assert matched["openai/gpt-4o"] == ("openai/gpt-4o", "exact")
    assert matched["OpenAI/GPT-4o-Mini"][0] == "openai/gpt-4o-mini"
    assert matched["Llama-3.1-70B-Instruct"][0] == "meta-llama/llama-3.1-70b-instruct"
    assert "gpt-5" in unmatched and unmatched["gpt-5"]


def test_merge_keeps_every_row_and_reports(tmp_path, panel, cli):
    panel.to_csv(tmp_path / "responses.csv", index=False)
    table = pd.DataFrame({"Model": ["MODEL-000", "model-003", "model-0O7", "gpt-4o"],
                          "MMLU": [0.6, 0.5, 0.4, 0.88]})
    table.to_csv(tmp_path / "board.csv", index=False)
    out = tmp_path / "merged.csv"
    res = CliRunner().invoke(cli, ["leaderboard", "merge", str(tmp_path / "board.csv"),
                                   str(tmp_path / "responses.csv"), "--on", "Model",
                                   "--out", str(out), "--bootstrap", "20"])
    assert res.exit_code == 0, res.output
    merged = pd.read_csv(out)
    assert list(merged["Model"]) == list(table["Model"]) and list(merged["MMLU"]) == [
        0.6, 0.5, 0.4, 0.88]
    assert merged["pi_panel"].notna().tolist() == [True, True, False, False]
    assert {"pi_panel_lo", "pi_panel_hi", "pinocchio_rank"} <= set(merged.columns)
    assert "2 row(s) matched no scored model" in res.output
    assert "'model-0O7': closest: model-00" in res.output  # suggests the real ids


def test_merge_needs_the_column(panel):
    from pinocchio_eval.leaderboard.build import build_leaderboard

    board = build_leaderboard([], responses=panel, bootstrap=0)
    with pytest.raises(KeyError, match="not in the table"):
        merge_into(pd.DataFrame({"name": ["a"]}), board, "model_id")
