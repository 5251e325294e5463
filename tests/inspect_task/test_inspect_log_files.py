"""Which files the Inspect reader claims: lm-eval's results and samples files are never logs."""

from __future__ import annotations

from pathlib import Path

from pinocchio_eval.inspect_task.reader import log_files

#: Opens like an Inspect JSON log, so only the file name can tell lm-eval's files apart.
LOG_LIKE = '{"version": 2, "status": "success"}'


def test_lm_eval_files_named_directly_are_not_inspect_logs(tmp_path: Path) -> None:
    names = ["results_2026-01-01T00-00-00.json", "results.json", "samples_task_x.json",
             "log.json"]
    for name in names:
        (tmp_path / name).write_text(LOG_LIKE, encoding="utf-8")
    got = {name: log_files(tmp_path / name) for name in names}
    assert got == {"results_2026-01-01T00-00-00.json": [], "results.json": [],
                   "samples_task_x.json": [], "log.json": [tmp_path / "log.json"]}


def test_lm_eval_files_in_a_folder_are_skipped_even_when_they_look_like_logs(
        tmp_path: Path) -> None:
    for name in ("results_2026-01-01T00-00-00.json", "samples_task_x.json", "log.json",
                 "my_results.json"):
        (tmp_path / name).write_text(LOG_LIKE, encoding="utf-8")
    # only the prefix counts: "my_results.json" is not an lm-eval file
    assert log_files(tmp_path) == [tmp_path / "log.json", tmp_path / "my_results.json"]
