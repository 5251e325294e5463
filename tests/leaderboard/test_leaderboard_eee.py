"""Every Eval Ever export: committed boards pass the package's own validator."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from leaderboard_fixtures import small_board
from pinocchio_eval.leaderboard.build import provenance
from pinocchio_eval.leaderboard.eee import EeeExporter, EeeValidationError
from pinocchio_eval.leaderboard.exporters import export, get_exporters
from pinocchio_eval.leaderboard.model import Leaderboard, MethodSpec
from pinocchio_eval.task_version import TASK_VERSION, battery_fingerprint

BOARDS = Path(__file__).resolve().parents[2] / "leaderboards"


def _committed(name: str) -> Leaderboard:
    """A board as committed in leaderboards/<name>/leaderboard.json."""
    doc = json.loads((BOARDS / name / "leaderboard.json").read_text())
    methods = [MethodSpec(m["key"], m["label"], m["note"]) for m in doc["methods"]]
    return Leaderboard(table=pd.DataFrame(doc["rows"]), title=doc["title"], methods=methods,
                       primary=doc["primary_method"], notes=doc["notes"],
                       provenance=doc["provenance"])


@pytest.mark.parametrize("name", ["gemma", "paper"])
def test_committed_board_passes_every_eval_ever_validation(name, tmp_path):
    validation = pytest.importorskip("every_eval_ever.validator.validation_core")
    board = _committed(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a validator warning would fail the test
        folder = EeeExporter().write(board, tmp_path)
    files = sorted(folder.rglob("*.json"))
    assert len(files) == len(board.table)  # one record per model, every model has a value
    for file in files:
        repo_path = file.relative_to(folder).as_posix()
        report = validation.validate_aggregate(file, repo_path=repo_path,
                                               run_semantic_checks=True)
        assert report.valid and not report.errors, report.errors
    ids = {r["evaluation_result_id"] for f in files
           for r in json.loads(f.read_text())["evaluation_results"]}
    assert {f"pinocchio.{m.column}" for m in board.methods} & ids


def test_interval_and_provenance_reach_the_record(tmp_path):
    board = _committed("gemma")
    board.provenance = {**board.provenance, "task_version": TASK_VERSION,
                        "battery_fingerprint": battery_fingerprint()}
    records = EeeExporter().records(board)
    top = next(r for _, r in records if r["model_info"]["name"].endswith("(log-likelihood)"))
    pi = next(r for r in top["evaluation_results"]
              if r["evaluation_result_id"] == "pinocchio.pi_self")
    row = board.table.set_index("model").loc[top["model_info"]["name"]]
    ci = pi["score_details"]["uncertainty"]["confidence_interval"]
    assert pi["score_details"]["score"] == pytest.approx(row["pi_self"])
    assert (ci["lower"], ci["upper"]) == pytest.approx((row["pi_self_lo"], row["pi_self_hi"]))
    assert pi["score_details"]["uncertainty"]["num_bootstrap_samples"] == 1000
    details = top["source_metadata"]["additional_details"]
    assert details["battery_fingerprint"] == battery_fingerprint()
    assert details["task_version"] == TASK_VERSION
    # same board, same file names: the record ids are derived, not random
    assert [p for p, _ in records] == [p for p, _ in EeeExporter().records(board)]


def test_nan_values_are_left_out_not_filled():
    board = small_board(3)
    board.table.loc[0, "pi_self"] = float("nan")
    records = EeeExporter().records(board)
    first = next(r for _, r in records if r["model_info"]["name"] == board.ordered()
                 .loc[0, "model"])
    ids = {r["evaluation_result_id"] for r in first["evaluation_results"]}
    assert "pinocchio.pi_self" not in ids and "pinocchio.pi_panel" in ids
    for _, rec in records:
        for res in rec["evaluation_results"]:
            assert math.isfinite(res["score_details"]["score"])
        assert all(not r["evaluation_result_id"].startswith("pinocchio.mmlu")
                   for r in rec["evaluation_results"])


def test_invalid_record_stops_the_export_and_leaves_nothing(tmp_path):
    pytest.importorskip("every_eval_ever")
    with pytest.raises(EeeValidationError, match="evaluator_relationship"):
        EeeExporter(relationship="cousin").write(small_board(), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_registered_through_the_exporter_hook(tmp_path):
    assert "eee" in get_exporters()
    written = export(small_board(), tmp_path, ["eee"])
    assert written["eee"] == tmp_path / "eee"
    assert len(list(written["eee"].rglob("*.json"))) == 5


def test_board_provenance_records_the_battery():
    prov = provenance(["runs/x"])
    assert prov["task_version"] == TASK_VERSION
    assert prov["battery_fingerprint"] == battery_fingerprint()
