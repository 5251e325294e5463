"""run_parts: how a run is labelled and dated, and samples that are no Pinocchio task."""

from __future__ import annotations

import json
from pathlib import Path

from pinocchio_eval.lmeval.reader import run_parts

# 1_700_000_000 s after the epoch is 2023-11-14 22:13:20 UTC
STARTED = "2023-11-14T22:13:20+00:00"
RESULTS = {"results": {"mmlu": {"acc,none": 0.5}}, "model_name": "m", "date": 1_700_000_000}


def test_unstamped_results_file_is_labelled_by_its_start_time(tmp_path: Path) -> None:
    f = tmp_path / "results.json"
    f.write_text(json.dumps(RESULTS))
    [part] = run_parts(f)
    assert (part.task, part.run, part.started) == ("mmlu", STARTED, STARTED)


def test_stamped_file_is_labelled_by_its_stamp_but_dated_by_its_start(tmp_path: Path) -> None:
    f = tmp_path / "results_2024-05-06T07-08-09.json"
    f.write_text(json.dumps(RESULTS))
    [part] = run_parts(f)
    assert (part.run, part.started) == ("2024-05-06T07-08-09", STARTED)


def test_samples_without_a_doc_are_skipped_not_read_as_rows(tmp_path: Path) -> None:
    f = tmp_path / "results_2024-05-06T07-08-09.json"
    f.write_text(json.dumps(RESULTS))
    (tmp_path / "samples_hellaswag_2024-05-06T07-08-09.jsonl").write_text(
        json.dumps({"doc_id": 0, "filtered_resps": ["1"]}) + "\n")
    parts = run_parts(f)
    assert [(p.task, p.responses is None) for p in parts] == [("mmlu", True)]
