"""Inspect logs → response table: formats, folders, several models, unrelated and bad logs."""

from __future__ import annotations

import shutil
import time

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import Task  # noqa: E402
from inspect_ai.dataset import Sample  # noqa: E402
from inspect_ai.log import read_eval_log, write_eval_log  # noqa: E402
from inspect_ai.scorer import match  # noqa: E402

from _inspect_mock import condition_of, run  # noqa: E402
from pinocchio_eval.inspect_task.reader import (  # noqa: E402
    InspectLogError,
    read_inspect_logs,
)
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.responses import CORE_COLUMNS  # noqa: E402


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    root = tmp_path_factory.mktemp("logs")
    answer = {"neutral": "2", "human_simulation": "I would rather not say"}
    first = run(pinocchio(conditions="neutral,human_simulation", questionnaires="swls",
                          repeats=2), lambda p: answer[condition_of(p)], root / "a")
    other = run(Task(dataset=[Sample(input="Say hi", target="hi")], scorer=match()),
                lambda p: "hi", root / "a")
    return root, first, other


def test_reads_every_epoch_with_statuses(logs):
    root, first, _ = logs
    df = read_inspect_logs(root / "a")  # the other task's log is not a source of rows
    assert len(df) == 2 * 5 * 2  # conditions × items × epochs
    assert set(CORE_COLUMNS) <= set(df.columns)
    assert set(df["epoch"]) == {1, 2}
    assert (df.loc[df.condition == "neutral", "response"] == 2).all()
    human = df[df.condition == "human_simulation"]
    assert human["response"].isna().all() and set(human["status"]) == {"refusal"}
    assert (df["model"] == "mockllm/model").all() and (df["harness"] == "inspect").all()


def test_json_logs_single_files_and_several_models(logs, tmp_path):
    root, first, _ = logs
    log = read_eval_log(first.location)
    log.eval.model = "other/model"
    write_eval_log(log, str(tmp_path / "other.json"), format="json")
    df = read_inspect_logs([first.location, tmp_path / "other.json"])
    assert set(df["model"]) == {"mockllm/model", "other/model"}
    assert len(df) == 2 * 20
    assert df.index.tolist() == list(range(40))   # one table, renumbered, not two stacked


def test_json_log_sniffing_reads_the_opening_only(tmp_path):
    from pinocchio_eval.inspect_task.reader import _looks_like_json_log

    cases = {"plain": b'{"version": 2, "status": "success"}',
             "spaced": b'  \n {\n  "version": 2}',
             "other": b'{"results": {}, "version": 2}',
             "not_json": b'version: 2',
             # the sniff reads 256 bytes: here the key ends one byte past them
             "late": b" " * 247 + b'{"version": 2}'}
    for name, body in cases.items():
        (tmp_path / f"{name}.json").write_bytes(body)
    got = {n: _looks_like_json_log(tmp_path / f"{n}.json") for n in cases}
    assert got == {"plain": True, "spaced": True, "other": False, "not_json": False,
                   "late": False}
    assert _looks_like_json_log(tmp_path / "missing.json") is False


def test_corrupt_and_truncated_logs_name_the_file(logs, tmp_path):
    _, first, _ = logs
    truncated = tmp_path / "truncated.eval"
    data = open(first.location, "rb").read()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InspectLogError, match="truncated.eval"):
        read_inspect_logs(truncated)
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 2, "status": "success", "eval": {')
    with pytest.raises(InspectLogError, match="broken.json"):
        read_inspect_logs(broken)
    with pytest.raises(InspectLogError, match="no such file"):
        read_inspect_logs(tmp_path / "missing.eval")


def test_folder_with_only_unrelated_logs_is_an_error(logs, tmp_path):
    _, _, other = logs
    shutil.copy(other.location, tmp_path)
    with pytest.raises(InspectLogError, match="no pinocchio"):
        read_inspect_logs(tmp_path)


def test_unrelated_logs_message_names_the_inputs(logs, tmp_path):
    _, _, other = logs
    shutil.copy(other.location, tmp_path)
    with pytest.raises(InspectLogError) as err:
        read_inspect_logs(tmp_path)
    assert str(err.value) == f"no pinocchio samples found in {[str(tmp_path)]}"


def test_a_second_run_replaces_the_first_unless_all_runs(logs, tmp_path):
    _, first, _ = logs
    answer = {"neutral": "4", "human_simulation": "I would rather not say"}
    # Inspect stamps a run's start to the second; two runs in the same second tie, and the
    # tie goes to the file name (random), so make "later" start in a later second
    time.sleep(1.05)
    later = run(pinocchio(conditions="neutral,human_simulation", questionnaires="swls",
                          repeats=2), lambda p: answer[condition_of(p)], tmp_path / "b")
    shutil.copy(first.location, tmp_path / "b")
    newest = read_inspect_logs(tmp_path / "b")
    assert len(newest) == 20 and (newest.loc[newest.condition == "neutral", "response"] == 4).all()
    both = read_inspect_logs(tmp_path / "b", all_runs=True)
    assert len(both) == 40 and both["model"].nunique() == 2
    assert later.location != first.location
