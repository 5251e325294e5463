"""The leaderboard's input loader: its run and unknown-item options, and its empty-input error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaderboard_fixtures import write_lmeval_results
from lmeval_fixtures import write_rerun, write_run
from pinocchio_eval.leaderboard.build import load_responses
from pinocchio_eval.responses import ResponseTableError


def test_unknown_items_are_refused_by_default(unknown_item_table: Path) -> None:
    path = unknown_item_table
    with pytest.raises(ResponseTableError, match=r"item_index \[7\].*--drop-unknown-items"):
        load_responses([path])


def test_unknown_items_are_dropped_with_a_note_when_asked(unknown_item_table: Path) -> None:
    path = unknown_item_table
    got = load_responses([path], drop_unknown_items=True)
    assert sorted(got.responses["item_index"].tolist()) == [0, 1]
    assert any("dropped 1 row(s) of 'SWLS' have item_index [7]" in n for n in got.notes)


def _two_lmeval_runs(root: Path) -> None:
    """One model's task run twice into one folder: answers 1 and 1, then 4 and 4."""
    from pinocchio_eval.battery import get_battery
    from pinocchio_eval.lmeval.docs import make_doc

    items = get_battery().items("toy-inner-weather")
    docs = [make_doc(items[0], "neutral"), make_doc(items[1], "neutral")]
    older = write_run(root, "org/model-a", {
        "pinocchio_neutral": ("generate_until", [(docs[0], ["1"]), (docs[1], ["1"])])})
    write_rerun(older)


def test_latest_run_only_by_default(toy_plugin: None, tmp_path: Path) -> None:
    _two_lmeval_runs(tmp_path)
    got = load_responses([tmp_path])
    # the later run's two answers (both 4), under the plain model id
    assert got.responses["response"].tolist() == [4.0, 4.0]
    assert set(got.responses["model"]) == {"org/model-a"}


def test_all_runs_keeps_each_run_as_its_own_model(toy_plugin: None, tmp_path: Path) -> None:
    _two_lmeval_runs(tmp_path)
    got = load_responses([tmp_path], all_runs=True)
    # 2 runs × 2 items; each run labelled apart
    assert len(got.responses) == 4
    models = sorted(got.responses["model"].unique())
    assert len(models) == 2 and all(m.startswith("org/model-a [run ") for m in models)
    by_model = got.responses.groupby("model")["response"].apply(sorted).tolist()
    assert sorted(by_model) == [[1.0, 1.0], [4.0, 4.0]]


def test_input_with_only_other_benchmarks_names_the_paths(tmp_path: Path) -> None:
    folder = tmp_path / "lm" / "some-model"
    write_lmeval_results(folder, "some-model", hellaswag=0.5)
    expected = f"no Pinocchio responses found in ['{folder}']"
    with pytest.raises(ResponseTableError, match=f"^{re.escape(expected)}$"):
        load_responses([folder])
