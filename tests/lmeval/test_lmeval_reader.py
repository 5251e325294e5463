"""lm-eval output folders (several models) → the canonical response table."""

from __future__ import annotations

import json
import math

import pytest

from lmeval_fixtures import ll, write_run
from pinocchio_eval.lmeval.docs import make_doc
from pinocchio_eval.lmeval.reader import LmEvalLogError, read_lm_eval, read_lm_eval_metrics
from pinocchio_eval.responses import validate_response_table


def _items():
    from pinocchio_eval.battery import get_battery

    return get_battery().items("toy-inner-weather")


@pytest.fixture
def outputs(toy_plugin, tmp_path):
    items = _items()
    n0, h0 = make_doc(items[0], "neutral"), make_doc(items[0], "human_simulation")
    n1 = make_doc(items[1], "neutral")
    write_run(tmp_path, "org/model-a", {
        "pinocchio_neutral": ("generate_until", [(n0, ["3"]), (n1, ["no idea"])]),
        "pinocchio_mc_neutral": ("multiple_choice", [(n0, ll(0.1, 0.2, 0.6, 0.1))]),
        "pinocchio_mc_pi_self": ("multiple_choice", [(n0, ll(0.7, 0.1, 0.1, 0.1)),
                                                     (h0, ll(0.25, 0.25, 0.25, 0.25))]),
        "hellaswag": ("multiple_choice", [({"query": "x"}, ll(0.5, 0.5))]),
    })
    write_run(tmp_path, "model-b", {
        "pinocchio_neutral": ("generate_until", [(n0, ["Often"])]),
    })
    return tmp_path


def test_reads_several_models_into_a_valid_table(outputs):
    df = read_lm_eval(outputs)
    validate_response_table(df)
    assert set(df["model"]) == {"org/model-a", "model-b"}
    assert (df["harness"] == "lm-eval").all()
    b = df[df["model"] == "model-b"].iloc[0]
    assert (b["response"], b["status"], b["response_raw"]) == (3.0, "ok", "Often")
    assert "hellaswag" not in set(df["task"])


def test_generative_failures_stay_as_missing_responses(outputs):
    gen = read_lm_eval(outputs, variant="generative")
    bad = gen[(gen["model"] == "org/model-a") & (gen["item_index"] == 1)].iloc[0]
    assert math.isnan(bad["response"]) and bad["status"] == "unparseable"
    assert gen["expected_rating"].isna().all()


def test_loglikelihood_rows_keep_the_distribution(outputs):
    mc = read_lm_eval(outputs, variant="loglikelihood")
    row = mc[(mc["condition"] == "neutral")].iloc[0]
    probs = json.loads(row["probabilities"])
    assert sum(probs.values()) == pytest.approx(1.0)
    assert row["argmax_rating"] == 3.0
    assert row["expected_rating"] == row["response"] == pytest.approx(0.1 + 0.4 + 1.8 + 0.4)


def test_pi_self_task_duplicates_are_dropped(outputs):
    mc = read_lm_eval(outputs, variant="loglikelihood")
    # neutral item 0 came from pinocchio_mc_neutral and again from the Π_self subtask
    assert len(mc) == 2
    assert set(zip(mc["condition"], mc["task"], strict=True)) == {
        ("neutral", "pinocchio_mc_neutral"), ("human_simulation", "pinocchio_mc_pi_self")}


def test_model_can_be_renamed(outputs):
    df = read_lm_eval(outputs, model={"model-b": "B"})
    assert set(df["model"]) == {"org/model-a", "B"}


def test_metrics_reader_lists_group_pi_self(outputs):
    m = read_lm_eval_metrics(outputs)
    row = m[(m["task"] == "pinocchio_mc") & (m["metric"] == "pi_self")]
    assert row["level"].tolist() == ["group", "group"]  # one per model, not repeated as a task
    assert (row["value"] == 0.5).all()


def test_empty_or_foreign_folders_fail_clearly(tmp_path):
    with pytest.raises(LmEvalLogError, match="no lm-eval results"):
        read_lm_eval(tmp_path)
    with pytest.raises(LmEvalLogError, match="no such file"):
        read_lm_eval(tmp_path / "missing")
