"""lm-eval output folders (several models) → the canonical response table."""

from __future__ import annotations

import json
import math

import pytest

from lmeval_fixtures import DATE, ll, write_run
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


def test_metrics_reader_long_format_worked_by_hand(tmp_path):
    """One results file written out here; the expected rows are listed by hand: foreign tasks,
    un-filtered keys and stderr keys are skipped, a group listed under "results" too is kept
    once, as a group, and each metric carries the stderr of its own filter."""
    import pandas as pd

    doc = {"model_name": "org/m1",
           "results": {
               "hellaswag": {"acc,none": 0.9},
               "pinocchio": {"pi_self,none": 0.5},                       # the group, again
               "pinocchio_a": {"alias": "a", "pi_self_stderr,none": 0.1,
                               "pi_self,none": 0.25, "rating,flex,x": 3.0},
               "pinocchio_b": {"pi_self,none": -0.5}},
           "groups": {"pinocchio": {"alias": "all", "pi_self,none": 0.5,
                                    "pi_self_stderr,none": 0.2}}}
    d = tmp_path / "org__m1"
    d.mkdir()
    f = d / "results_2026-01-01T00-00-00.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    got = read_lm_eval_metrics(tmp_path)
    nan = float("nan")
    want = pd.DataFrame([
        ("org/m1", "pinocchio_a", "task", "pi_self", 0.25, 0.1),
        ("org/m1", "pinocchio_a", "task", "rating", 3.0, nan),
        ("org/m1", "pinocchio_b", "task", "pi_self", -0.5, nan),
        ("org/m1", "pinocchio", "group", "pi_self", 0.5, 0.2)],
        columns=["model", "task", "level", "metric", "value", "stderr"])
    want["results_file"] = str(f.resolve())
    pd.testing.assert_frame_equal(got, want)
    assert read_lm_eval_metrics(f, model="mine")["model"].unique().tolist() == ["mine"]
    renamed = read_lm_eval_metrics([f], model={"org/m1": "short"})
    assert renamed["model"].unique().tolist() == ["short"]


def test_read_lm_eval_messages_order_and_newest_run(outputs, tmp_path_factory):
    """Each refusal names its reason exactly; rows come file by file, in path order
    (model-b's folder sorts before org__model-a's), not interleaved."""
    with pytest.raises(ValueError, match=r"^variant must be one of \('generative', "
                                         r"'loglikelihood'\), got 'bogus'$"):
        read_lm_eval(outputs, variant="bogus")
    empty = tmp_path_factory.mktemp("empty")
    with pytest.raises(LmEvalLogError) as err:
        read_lm_eval(empty)
    assert str(err.value) == (f"no lm-eval results_*.json found in {empty}; run lm_eval "
                              "with --output_path DIR --log_samples")
    bare = tmp_path_factory.mktemp("bare")
    (bare / f"results_{DATE}.json").write_text(json.dumps({"results": {}}))
    with pytest.raises(LmEvalLogError) as err:
        read_lm_eval(bare)
    assert str(err.value) == (f"{bare}: no pinocchio samples found; was lm_eval run with "
                              "--log_samples and a pinocchio task?")
    table = read_lm_eval(outputs)
    models = table["model"].tolist()
    k = models.count("model-b")
    assert models == ["model-b"] * k + ["org/model-a"] * (len(models) - k) and 0 < k < len(models)
    assert table.index.tolist() == list(range(len(table)))


def test_read_lm_eval_table_has_no_stray_index_column_and_reads_a_results_file(outputs):
    table = read_lm_eval(outputs)
    assert "index" not in table.columns and "level_0" not in table.columns
    one = sorted(outputs.rglob("results_*.json"))[0]
    assert set(read_lm_eval(one)["model"]) == {"model-b"}   # a results file given directly
    renamed = outputs / "renamed.json"                      # named by hand, given directly
    renamed.write_bytes(one.read_bytes())
    assert set(read_lm_eval_metrics(renamed)["model"]) == {"model-b"}


def test_metrics_reader_names_an_unnamed_run_after_its_folder(tmp_path):
    d = tmp_path / "org__nameless"
    d.mkdir()
    (d / f"results_{DATE}.json").write_text(json.dumps(
        {"results": {"pinocchio_a": {"pi_self,none": 0.25}}}), encoding="utf-8")
    got = read_lm_eval_metrics(tmp_path)
    assert got["model"].tolist() == ["org__nameless"]   # lm-eval's folder, as named


def test_read_lm_eval_keeps_the_newest_results_file_unless_all_runs(outputs):
    run = outputs / "model-b"
    for f in list(run.glob(f"*{DATE}*")):
        older = f.name.replace(DATE, "2025-06-01T00-00-00.000001")
        (run / older).write_bytes(f.read_bytes())
    newest = read_lm_eval(outputs)
    both = read_lm_eval(outputs, all_runs=True)
    b = newest[newest["model"] == "model-b"]
    assert len(b) > 0 and len(both) == len(newest) + len(b)
    assert any(m.startswith("model-b [run ") for m in both["model"])


def test_read_lm_eval_rows_carry_item_text_run_stamp_and_argmax_raw(outputs):
    items = _items()
    df = read_lm_eval(outputs)
    texts = {it.item_index: it.text for it in items[:2]}
    for _, row in df.iterrows():
        assert row["item"] == texts[int(row["item_index"])]
    assert df["run"].tolist() == [DATE] * len(df)      # the file's date stamp, not the ISO date
    mc = df[(df["variant"] == "loglikelihood") & (df["condition"] == "neutral")]
    # probabilities 0.1, 0.2, 0.6, 0.1 over the scale's values: the argmax is the third value
    values = make_doc(items[0], "neutral")["scale_values"]
    assert mc["response_raw"].tolist() == [str(values[2])]


def test_read_lm_eval_keeps_each_task_s_rows_together_in_file_order(outputs):
    df = read_lm_eval(outputs)
    assert len(df) == 5
    for (_model, _task), group in df.groupby(["model", "task"]):
        pos = [df.index.get_loc(i) for i in group.index]
        assert pos == list(range(pos[0], pos[0] + len(pos)))   # contiguous
    # files in path order (model-b/ before org__model-a/), each run's tasks in file-name order
    assert list(zip(df["model"], df["task"], strict=True)) == [
        ("model-b", "pinocchio_neutral"), ("org/model-a", "pinocchio_mc_neutral"),
        ("org/model-a", "pinocchio_mc_pi_self"), ("org/model-a", "pinocchio_neutral"),
        ("org/model-a", "pinocchio_neutral")]
    gen_a = df[(df["model"] == "org/model-a") & (df["task"] == "pinocchio_neutral")]
    assert gen_a["item_index"].tolist() == [_items()[0].item_index, _items()[1].item_index]


def test_output_type_is_inferred_without_configs_and_config_wins(toy_plugin, tmp_path):
    items = _items()
    n0 = make_doc(items[0], "neutral")
    run = write_run(tmp_path / "a", "m", {
        "pinocchio_neutral": ("generate_until", [(n0, ["3"])]),
        "pinocchio_mc_neutral": ("multiple_choice", [(n0, ll(0.1, 0.2, 0.6, 0.1))]),
    })
    res = run / f"results_{DATE}.json"
    data = json.loads(res.read_text())
    del data["configs"]                               # inferred from the logged responses
    res.write_text(json.dumps(data))
    got = read_lm_eval(run).set_index("task")
    assert got.loc["pinocchio_neutral", "variant"] == "generative"
    assert got.loc["pinocchio_neutral", "response"] == 3.0
    assert got.loc["pinocchio_mc_neutral", "variant"] == "loglikelihood"
    # generate_until in the config, responses logged as lists (repeats): still generative
    run2 = write_run(tmp_path / "b", "m", {
        "pinocchio_neutral": ("generate_until", [(n0, [["Often"]])])})
    row = read_lm_eval(run2).iloc[0]
    assert (row["variant"], row["response_raw"], row["response"]) == ("generative", "Often", 3.0)


@pytest.mark.parametrize("content", [{"foo": 1}, {"results": [1]}])
def test_results_file_without_a_results_table_is_refused(tmp_path, content):
    d = tmp_path / "m"
    d.mkdir()
    (d / f"results_{DATE}.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(LmEvalLogError, match="not an lm-eval results file"):
        read_lm_eval(tmp_path)


def test_bad_logged_item_index_names_the_given_path(toy_plugin, tmp_path):
    from pinocchio_eval.responses import ResponseTableError

    n0 = dict(make_doc(_items()[0], "neutral"), item_index=-1)
    run = write_run(tmp_path, "m", {"pinocchio_neutral": ("generate_until", [(n0, ["3"])])})
    with pytest.raises(ResponseTableError) as info:
        read_lm_eval(run)
    assert str(info.value).startswith(f"{run}: row 1 has item_index -1;")


def test_all_runs_labels_each_run_by_its_file_stamp(outputs):
    old = "2025-06-01T00-00-00.000001"
    run = outputs / "model-b"
    for f in list(run.glob(f"*{DATE}*")):
        (run / f.name.replace(DATE, old)).write_bytes(f.read_bytes())
    both = read_lm_eval(outputs, all_runs=True)
    b = {m for m in both["model"] if m.startswith("model-b")}
    assert b == {f"model-b [run {DATE}]", f"model-b [run {old}]"}


def test_dispatcher_note_names_the_skipped_older_lm_eval_run(outputs):
    from pinocchio_eval.readers import read_inputs

    old = "2025-06-01T00-00-00.000001"
    run = outputs / "model-b"
    for f in list(run.glob(f"*{DATE}*")):
        (run / f.name.replace(DATE, old)).write_bytes(f.read_bytes())
    older = (run / f"results_{old}.json").resolve()
    newer = (run / f"results_{DATE}.json").resolve()
    got = read_inputs([outputs])
    assert (f"skipped {older}: an older run of lm-eval task 'pinocchio_neutral' for "
            f"'model-b'; the latest complete run is {newer} (--all-runs keeps every run)"
            ) in got.notes


def test_model_from_string_model_args_and_utc_start(outputs, tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    (d / f"results_{DATE}.json").write_text(json.dumps(
        {"results": {"pinocchio_a": {"pi_self,none": 0.25}},
         "config": {"model_args": "dtype=auto,pretrained=org/x,trust_remote_code=True"}}),
        encoding="utf-8")
    assert read_lm_eval_metrics(d)["model"].tolist() == ["org/x"]
    # 1767225600 s after the epoch is 2026-01-01 00:00 UTC, written with its offset
    assert set(read_lm_eval(outputs)["run_started"]) == {"2026-01-01T00:00:00+00:00"}
