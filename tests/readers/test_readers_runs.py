"""Runs, not files: a failed run and its rerun, lm-eval's piling results, duplicates."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import read_eval_log, write_eval_log  # noqa: E402

from _inspect_mock import condition_of, run  # noqa: E402
from leaderboard_fixtures import write_lmeval_results  # noqa: E402
from lmeval_fixtures import DATE, write_rerun, write_run  # noqa: E402
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.leaderboard.build import build_leaderboard  # noqa: E402
from pinocchio_eval.lmeval.docs import make_doc  # noqa: E402
from pinocchio_eval.readers import load_inputs, read_inputs  # noqa: E402
from pinocchio_eval.readers.runs import drop_duplicate_rows  # noqa: E402
from pinocchio_eval.responses import write_response_table  # noqa: E402


def _task():
    return pinocchio(conditions="neutral,human_simulation", questionnaires="swls")


def _good(prompt: str) -> str:
    return "3" if condition_of(prompt) == "neutral" else "4"


@pytest.fixture(scope="module")
def rerun_folder(tmp_path_factory):
    """One log folder: a run that failed halfway (with unparseable answers), then a rerun."""
    root = tmp_path_factory.mktemp("rerun")
    calls = {"n": 0}

    def failing(prompt: str) -> str:
        calls["n"] += 1
        if calls["n"] > 4:
            raise RuntimeError("the server went away")
        return "no idea"

    failed = run(_task(), failing, root)
    good = run(_task(), _good, root)
    assert failed.status == "error" and good.status == "success"
    return root, failed, good


def test_rerun_board_has_the_good_runs_parse_rate(rerun_folder):
    root, failed, good = rerun_folder
    board = build_leaderboard([root], bootstrap=0)
    row = board.table.set_index("model").loc["mockllm/model"]
    assert row["parse_rate"] == 1.0 and row["items_answered"] == 5
    skipped = [n for n in board.notes if n.startswith("skipped")]
    assert len(skipped) == 1
    assert failed.location.removeprefix("file://") in skipped[0]
    assert "incomplete run (error)" in skipped[0]
    assert good.location.removeprefix("file://") in skipped[0]


def test_all_runs_keeps_both_runs_apart(rerun_folder):
    root, failed, good = rerun_folder
    got = read_inputs([root], all_runs=True)
    models = sorted(got.responses["model"].unique())
    assert len(models) == 2 and all(m.startswith("mockllm/model [run ") for m in models)
    assert got.responses["run"].nunique() == 2
    per_run = got.responses.groupby("run")["status"].apply(lambda s: (s == "ok").mean())
    assert sorted(per_run) == [0.0, 1.0]  # the failed run answered nothing usable
    assert any("2 runs" in n and "--all-runs" in n for n in got.notes)


def test_only_run_incomplete_is_used_with_a_note(rerun_folder, tmp_path):
    _, failed, _ = rerun_folder
    shutil.copy(failed.location.removeprefix("file://"), tmp_path)
    got = read_inputs([tmp_path])
    assert len(got.responses) > 0
    assert any(n.startswith("no complete run") and "status error" in n for n in got.notes)


def test_different_task_arguments_are_different_tasks(tmp_path):
    run(pinocchio(conditions="neutral", questionnaires="swls"), _good, tmp_path)
    run(pinocchio(conditions="neutral", questionnaires="ros-r"), _good, tmp_path)
    df = load_inputs([tmp_path])
    assert df["questionnaire"].nunique() == 2  # neither run replaces the other


def test_folder_and_a_file_inside_it_are_read_once(rerun_folder):
    root, _, good = rerun_folder
    once = load_inputs([root])
    twice = load_inputs([root, good.location.removeprefix("file://")])
    assert len(once) == len(twice) == 10


def test_identical_rows_are_dropped_with_a_count(tmp_path):
    table = pd.DataFrame({"model": "m", "condition": "neutral", "questionnaire": "SWLS",
                          "item_index": [0, 1, 2, 3, 4], "response": [3, 4, 5, 2, 1]})
    write_response_table(pd.concat([table, table.iloc[:2]]), tmp_path / "dup.csv")
    got = read_inputs([tmp_path / "dup.csv"])
    assert len(got.responses) == 5
    assert any(n.startswith("dropped 2 row(s) identical") for n in got.notes)


def test_statuses_pass_through_unchanged(rerun_folder, tmp_path):
    """A status this package does not know (another scorer's) is kept, not an error."""
    _, _, good = rerun_folder
    log = read_eval_log(good.location)
    for sample in log.samples:
        for score in sample.scores.values():
            score.metadata = {**(score.metadata or {}), "status": "probability"}
    write_eval_log(log, str(tmp_path / "prob.eval"))
    df = load_inputs([tmp_path / "prob.eval"])
    assert set(df["status"]) == {"probability"} and df["response"].notna().all()


# ------------------------------------------------------------------- lm-eval


def _docs():
    from pinocchio_eval.battery import get_battery

    items = get_battery().items("toy-inner-weather")
    return [make_doc(items[0], "neutral"), make_doc(items[1], "neutral")]


def test_lmeval_newest_results_file_per_model_and_task(toy_plugin, tmp_path):
    docs = _docs()
    older = write_run(tmp_path, "org/model-a", {
        "pinocchio_neutral": ("generate_until", [(docs[0], ["1"]), (docs[1], ["1"])])})
    # a later run of the same task into the same folder, as lm-eval does
    write_rerun(older)
    got = read_inputs([tmp_path])
    assert len(got.responses) == 2 and set(got.responses["response"]) == {4.0}
    assert any(f"results_{DATE}.json" in n and "older run" in n for n in got.notes)


def test_inspect_logs_beside_another_tasks_lmeval_results(rerun_folder, tmp_path):
    """A folder may hold both: the lm-eval file adds columns, not an error."""
    root, _, _ = rerun_folder
    mixed = tmp_path / "mixed"
    shutil.copytree(root, mixed / "inspect")
    write_lmeval_results(mixed / "lm" / "mockllm__model", "mockllm/model", hellaswag=0.42)
    got = read_inputs([mixed])
    assert set(got.responses["harness"]) == {"inspect"}
    assert {b.column: b.value for b in got.benchmarks}["hellaswag:acc"] == 0.42
    board = build_leaderboard([mixed], bootstrap=0)
    row = board.table.set_index("model").loc["mockllm/model"]
    assert row["hellaswag:acc"] == 0.42 and row["parse_rate"] == 1.0


def test_score_output_carries_the_skipped_runs(rerun_folder):
    from click.testing import CliRunner

    from pinocchio_eval.cli import cli

    root, failed, _ = rerun_folder
    res = CliRunner().invoke(cli, ["score", str(root), "--format", "json", "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    skipped = [n for n in doc["notes"] if n.startswith("skipped")]
    assert len(skipped) == 1 and failed.location.removeprefix("file://") in skipped[0]
    assert doc["scores"][0]["parse_rate"] == 1.0


# ------------------------------------------------------------ the note on identical rows
def test_dropping_identical_rows_says_how_many_and_why() -> None:
    # rows 0 and 2 are the same answer, row 3 repeats row 1: two dropped, 0 and 1 kept
    df = pd.DataFrame({"model": ["m", "m", "m", "m"], "item_index": [0, 1, 0, 1],
                       "response": [3.0, 4.0, 3.0, 4.0]})
    got, notes = drop_duplicate_rows(df)
    assert got.index.tolist() == [0, 1]
    assert notes == ["dropped 2 row(s) identical to an earlier row (same model, item, answer "
                     "and source); each answer is counted once"]
