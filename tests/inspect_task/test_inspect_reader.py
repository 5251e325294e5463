"""Inspect logs → response table: formats, folders, several models, unrelated and bad logs;
one log → one RunPart with every field, the rows' run columns, the score and the run label."""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import Task  # noqa: E402
from inspect_ai.dataset import Sample  # noqa: E402
from inspect_ai.log import EvalError, EvalSample, read_eval_log, write_eval_log  # noqa: E402
from inspect_ai.model import ModelOutput  # noqa: E402
from inspect_ai.scorer import Score, match  # noqa: E402

from _inspect_mock import condition_of, run  # noqa: E402
from pinocchio_eval.inspect_task.reader import (  # noqa: E402
    InspectLogError,
    _part,
    _row,
    read_inspect_logs,
    read_parts,
)
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.readers.runs import BenchmarkScore, RunPart  # noqa: E402
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


# --- one log → one RunPart: every field -------------------------------------------------

#: A start time with microseconds, so "to the second" (19 characters) is visible in the label.
CREATED = "2026-03-04T05:06:07.891234+00:00"
#: Inspect names a log "<time>_<task>_<22-character id>"; the label keeps the id's first 8.
LOG_ID = "AbCdEfGhIjKlMnOpQrStUv"
#: CREATED[:19] = "2026-03-04T05:06:07", then a space, then LOG_ID[:8] = "AbCdEfGh".
LABEL = "2026-03-04T05:06:07 AbCdEfGh"
#: What the pinocchio task records as its arguments (``task_args``), keys sorted.
PINOCCHIO_ARGS = {"conditions": "neutral", "logprobs": False, "max_tokens": 256,
                  "questionnaires": "swls", "reading": "text", "repeats": 1, "shuffle": None,
                  "text": "corrected", "top_logprobs": 20}


def _rewrite(location: str, dest: Path, status: str = "success") -> Path:
    """The log at ``location`` saved as ``dest`` with a known start time and status."""
    log = read_eval_log(location)
    log.eval.created = CREATED
    log.status = status  # type: ignore[assignment]
    write_eval_log(log, str(dest))
    return dest


@pytest.fixture(scope="module")
def part_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("part_fields")
    ours = run(pinocchio(conditions="neutral", questionnaires="swls", repeats=1),
               lambda p: "3", root / "raw")
    # 3 of 4 answers match: accuracy 3/4 = 0.75; scores (1, 1, 1, 0) have sample variance
    # (3 * 0.25**2 + 0.75**2) / 3 = 0.25, so stderr = sqrt(0.25 / 4) = 0.25
    greet = run(Task(dataset=[Sample(input=f"Say {w}", target="hi")
                              for w in ("hi", "hello", "hey", "bye")],
                     scorer=match(), name="greet"),
                lambda p: "bye" if "bye" in p else "hi", root / "raw")
    # named like the package's task, so it counts as a pinocchio log, but no sample carries
    # the metadata a response row needs
    probe = run(Task(dataset=[Sample(input="Say hi", target="hi")], scorer=match(),
                     name="pinocchio_probe"), lambda p: "hi", root / "raw")
    at = "2026-03-04T05-06-07+00-00"  # the file name's time (any: the label reads the log's)
    return {
        "ours": _rewrite(ours.location, root / f"{at}_pinocchio_{LOG_ID}.eval"),
        "failed": _rewrite(ours.location, root / f"{at}_pinocchio_{LOG_ID}.json",
                           status="error"),
        "greet": _rewrite(greet.location, root / f"{at}_greet_{LOG_ID}.eval"),
        "probe": _rewrite(probe.location, root / "probe.eval"),
    }


def test_pinocchio_log_gives_a_part_with_every_header_field(part_logs: dict[str, Path]) -> None:
    path = part_logs["ours"]
    (part,) = read_parts([path])
    assert isinstance(part, RunPart)
    assert part.harness == "inspect"
    assert part.task == "pinocchio"
    assert part.model == "mockllm/model"
    assert part.source == str(path)
    assert part.started == CREATED
    assert part.complete is True
    assert part.status == "success"
    assert json.loads(part.identity) == PINOCCHIO_ARGS
    assert part.run == LABEL
    assert part.benchmarks == []  # a pinocchio log gives rows, not a headline score


def test_pinocchio_rows_carry_the_run_columns(part_logs: dict[str, Path]) -> None:
    path = part_logs["ours"]
    (part,) = read_parts([path])
    rows = part.responses
    assert rows is not None and len(rows) == 5  # swls has 5 items, one condition, one epoch
    added = {"model": "mockllm/model", "harness": "inspect", "task": "pinocchio",
             "log_file": str(path), "run_started": CREATED, "run": LABEL}
    for column, value in added.items():
        assert rows[column].tolist() == [value] * 5, column
    # the sample's own columns are kept beside them
    assert sorted(rows["item_index"].tolist()) == [0, 1, 2, 3, 4]
    assert rows["condition"].tolist() == ["neutral"] * 5
    assert rows["response"].tolist() == [3.0] * 5


def test_a_run_that_did_not_succeed_is_incomplete(part_logs: dict[str, Path]) -> None:
    path = part_logs["failed"]
    (part,) = read_parts([path])
    assert part.complete is False
    assert part.status == "error"
    assert part.started == CREATED
    assert part.run == LABEL  # the JSON log has the same stem, so the same label
    assert part.source == str(path)


def test_other_task_gives_its_score_and_no_rows(part_logs: dict[str, Path]) -> None:
    path = part_logs["greet"]
    (part,) = read_parts([path])
    assert (part.harness, part.task, part.model) == ("inspect", "greet", "mockllm/model")
    assert part.source == str(path)
    assert part.started == CREATED
    assert part.run == LABEL
    assert part.complete is True and part.status == "success"
    assert part.identity == "{}"
    assert part.responses is None
    assert part.benchmarks == [BenchmarkScore(
        model="mockllm/model", harness="inspect", task="greet", metric="accuracy",
        value=0.75, source=str(path), run_date=CREATED, stderr=pytest.approx(0.25))]


def test_pinocchio_log_without_usable_samples_has_no_rows(part_logs: dict[str, Path]) -> None:
    (part,) = read_parts([part_logs["probe"]])
    assert part.task == "pinocchio_probe"
    assert part.responses is None
    assert part.benchmarks == []
    # a stem without an underscore is its own id: the label keeps its first 8 characters
    assert part.run == "2026-03-04T05:06:07 probe"


def _facts(created: str) -> dict[str, object]:
    """Header facts as :func:`extract_log` gives them (``created`` is ``str(ev.created)``)."""
    return {"task": "pinocchio", "model": "m/x", "task_args": "{}", "status": "success",
            "created": created, "pinocchio": True, "benchmark": None}


@pytest.mark.parametrize("created", ["", "None"])
def test_a_run_without_a_start_time_is_labelled_by_its_file(created: str) -> None:
    # "None" is what str() makes of a missing start time
    path = Path("/logs/2026-03-04T05-06-07+00-00_pinocchio_AbCdEfGhIjKl.eval")
    part = _part(path, _facts(created), pd.DataFrame())
    assert part.run == "2026-03-04T05-06-07+00-00_pinocchio_AbCdEfGhIjKl"
    assert part.started == created


def test_a_start_time_and_a_plain_stem_give_time_and_stem_prefix() -> None:
    path = Path("/logs/lonelylogfile.json")
    part = _part(path, _facts("2026-01-02T03:04:05+00:00"), pd.DataFrame())
    assert part.run == "2026-01-02T03:04:05 lonelylo"  # "lonelylogfile"[:8]
    assert part.responses is None


# --- one sample → one row: error, the scorer's distribution, unscored samples, item text ---
def _sample(completion: str, scores: dict[str, Score] | None = None,
            error: EvalError | None = None) -> EvalSample:
    """A SWLS-like sample (scale 1..7) for item 2 under the neutral condition, epoch 3."""
    meta = {"questionnaire": "SWLS", "item_index": 2, "condition": "neutral",
            "item": "I am satisfied with my life.", "scale_min": 1, "scale_max": 7}
    return EvalSample(id="SWLS/2/neutral", epoch=3, input="prompt", target="",
                      output=ModelOutput.from_content(model="mockllm", content=completion),
                      scores=scores, metadata=meta, error=error)


def test_a_sample_that_errored_gives_status_error_and_no_rating() -> None:
    # the output says "5", but the sample failed: its answer is not to be trusted
    boom = EvalError(message="provider timeout", traceback="", traceback_ansi="")
    row = _row(_sample("5", error=boom))
    assert row is not None
    assert row["status"] == "error"
    assert math.isnan(row["response"])
    assert row["response_raw"] == "5"


def test_scorer_distribution_becomes_the_probability_columns() -> None:
    # the scorer's own distribution over the scale (its to_dict form, keys as strings):
    # expected = 3 * 0.2 + 4 * 0.5 + 5 * 0.3 = 0.6 + 2.0 + 1.5 = 4.1, argmax = 4,
    # and 0.9 of the mass fell on scale values
    probabilities = {"3": 0.2, "4": 0.5, "5": 0.3}
    dist = {"probabilities": probabilities, "expected": 4.1, "argmax": 4, "coverage": 0.9,
            "position": 0, "unresolved": 0.0, "notes": []}
    score = Score(value={"rating": 4.0, "ok": 1.0}, metadata={"status": "ok",
                                                              "distribution": dist})
    row = _row(_sample("4", scores={"pinocchio_scorer": score}))
    assert row is not None
    assert {"expected_rating", "argmax_rating", "probabilities", "choice_mass"} <= set(row)
    assert row["expected_rating"] == 4.1
    assert row["argmax_rating"] == 4
    assert json.loads(row["probabilities"]) == probabilities
    assert row["choice_mass"] == 0.9
    assert (row["status"], row["response"]) == ("ok", 4.0)


@pytest.mark.parametrize("scores", [None, {"match": Score(value="C")}],
                         ids=["no-score", "another-scorer"])
def test_a_sample_without_our_score_is_parsed_on_its_own_scale(
        scores: dict[str, Score] | None) -> None:
    # "5" is a value of the 1..7 scale: parsed here, it is the rating (not left missing)
    row = _row(_sample("5", scores=scores))
    assert row == {"condition": "neutral", "questionnaire": "SWLS", "item_index": 2,
                   "item": "I am satisfied with my life.", "response": 5.0,
                   "response_raw": "5", "status": "ok", "epoch": 3}


def test_a_row_keeps_the_item_text_from_the_sample() -> None:
    score = Score(value={"rating": 6.0, "ok": 1.0}, metadata={"status": "ok"})
    row = _row(_sample("6", scores={"pinocchio_scorer": score}))
    assert row is not None
    assert row["item"] == "I am satisfied with my life."
    assert row["item_index"] == 2 and row["epoch"] == 3


# --- surviving mutants (wave 5): header-only reads, the task's own mark, missing inspect-ai ---


def test_other_task_score_comes_from_the_header_alone(part_logs: dict[str, Path],
                                                      tmp_path: Path) -> None:
    import zipfile

    # the greet log with every sample entry of its .eval archive replaced by broken JSON:
    # the header (and so the headline score) is intact, only the samples are damaged
    damaged = tmp_path / "2026-03-04T05-06-07+00-00_greet_damaged.eval"
    with zipfile.ZipFile(part_logs["greet"]) as src, zipfile.ZipFile(damaged, "w") as dst:
        names = src.namelist()
        for name in names:
            body = b"{not json" if name.startswith("samples/") else src.read(name)
            dst.writestr(name, body)
    assert any(n.startswith("samples/") for n in names)  # something was really damaged
    (part,) = read_parts([damaged])
    # another task's log needs only its header: 3 of 4 greetings matched, accuracy 0.75
    assert part.task == "greet" and part.responses is None
    assert [(b.metric, b.value) for b in part.benchmarks] == [("accuracy", 0.75)]


def test_a_renamed_pinocchio_task_is_recognised_by_its_metadata(part_logs: dict[str, Path],
                                                                tmp_path: Path) -> None:
    # the package's task registered under another name: the name no longer starts with
    # "pinocchio", but the task's metadata still carries its mark, so its rows are read
    log = read_eval_log(str(part_logs["ours"]))
    assert log.eval.metadata and log.eval.metadata.get("pinocchio_eval") is True
    log.eval.task = "self_report"
    log.eval.task_registry_name = "mypkg/self_report"
    dest = tmp_path / "renamed.eval"
    write_eval_log(log, str(dest))
    (part,) = read_parts([dest])
    assert part.task == "self_report"
    assert part.responses is not None and len(part.responses) == 5  # swls: 5 items
    assert part.responses["response"].tolist() == [3.0] * 5
    assert part.benchmarks == []


def test_reading_a_log_without_inspect_ai_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from pinocchio_eval.inspect_task import reader

    # None in sys.modules makes "from inspect_ai.log import ..." raise ImportError
    monkeypatch.setitem(sys.modules, "inspect_ai.log", None)
    with pytest.raises(InspectLogError) as err:
        reader.read_eval_log("some.eval")
    assert str(err.value) == ("some.eval: reading Inspect logs needs inspect-ai: "
                              "pip install 'pinocchio-eval[inspect]'")


# --- surviving mutants (wave 7): read_parts caches each log under the "inspect" reader key ---
def test_read_parts_stores_each_log_under_its_inspect_cache_key(
        part_logs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pinocchio_eval.readers.cache import file_key

    folder = tmp_path / "cache"
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("PINOCCHIO_EVAL_NO_CACHE", raising=False)
    path = part_logs["ours"]
    read_parts([path])
    # one log read into an empty cache: exactly one entry, named by the key for reader "inspect"
    assert sorted(p.name for p in folder.iterdir()) == [f"{file_key(path, 'inspect')}.parquet"]


def test_read_parts_answers_from_an_entry_cached_under_the_inspect_key(
        part_logs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pinocchio_eval.inspect_task.reader import extract_log
    from pinocchio_eval.readers.cache import file_key, store

    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PINOCCHIO_EVAL_NO_CACHE", raising=False)
    path = part_logs["ours"]
    facts, rows = extract_log(path)
    # an entry that differs from the log itself only in its model, stored under the key an
    # Inspect read of this very file uses: the part must come from it, not from the log
    store(file_key(path, "inspect"), {**facts, "model": "seeded/model"}, rows)
    (part,) = read_parts([path])
    assert part.model == "seeded/model"
    assert part.responses is not None
    assert part.responses["model"].tolist() == ["seeded/model"] * 5  # swls: 5 items


# --- _our_score: only a dict score carrying "ok" is Pinocchio's own
def test_our_score_skips_another_scorers_dict_without_ok() -> None:
    from pinocchio_eval.inspect_task.reader import _our_score

    other = Score(value={"accuracy": 1.0})  # a dict, but not our scorer's shape
    ours = Score(value={"ok": True, "rating": 3.0})
    sample = EvalSample(id=1, epoch=1, input="q", target="", scores={"other": other,
                                                                      "ours": ours})
    assert _our_score(sample) is ours
    assert _our_score(EvalSample(id=2, epoch=1, input="q", target="",
                                 scores={"other": other})) is None
