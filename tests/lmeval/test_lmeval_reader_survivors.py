"""lm-eval reader details: which model argument names the model, what an unreadable results
file's message says, files read under a non-UTF-8 locale, and where rows and scores say they
came from."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from lmeval_fixtures import DATE, write_run
from pinocchio_eval.lmeval.reader import LmEvalLogError, model_id, run_parts

#: A self-contained document on a 1..4 scale (what the task logs with each sample).
DOC: dict[str, Any] = {
    "condition": "neutral", "questionnaire": "q", "item_index": 1, "item": "I am calm.",
    "scale_values": [1, 2, 3, 4],
    "scale_labels": json.dumps({"1": "Never", "2": "Sometimes", "3": "Often", "4": "Always"}),
}
FOLDER = Path("/runs/folder-name/results_x.json")


# ---------------------------------------------------------------- model_id


@pytest.mark.parametrize(("model_args", "expected"), [
    # the three names are tried in this order; the first one present wins
    ({"pretrained": "org/a", "model": "b", "path": "/c"}, "org/a"),
    ({"model": "b", "path": "/c"}, "b"),
    ({"path": "/c"}, "/c"),
    ({"pretrained": "", "model": "b"}, "b"),  # an empty value does not count
])
def test_model_is_named_by_the_first_of_pretrained_model_path_in_a_mapping(
        model_args: dict[str, str], expected: str) -> None:
    assert model_id({"config": {"model_args": model_args}}, FOLDER) == expected


@pytest.mark.parametrize(("model_args", "expected"), [
    ("model=b,path=/c", "b"),
    ("base_url=http://h/v1, path = /c ", "/c"),  # blanks around key and value are dropped
    ("dtype=auto,model=b", "b"),
])
def test_model_is_named_by_model_or_path_in_a_model_args_string(model_args: str,
                                                                expected: str) -> None:
    assert model_id({"config": {"model_args": model_args}}, FOLDER) == expected


def test_a_model_args_value_may_itself_contain_an_equals_sign() -> None:
    # split at the first "=": key "pretrained", value "/ckpt/lr=3e-4/step100"
    args = "pretrained=/ckpt/lr=3e-4/step100,dtype=auto"
    assert model_id({"config": {"model_args": args}}, FOLDER) == "/ckpt/lr=3e-4/step100"


@pytest.mark.parametrize("model_args", [None, "", {}, "dtype=auto", {"dtype": "auto"}])
def test_without_a_model_argument_the_folder_names_the_model(model_args: Any) -> None:
    assert model_id({"config": {"model_args": model_args}}, FOLDER) == "folder-name"


# ---------------------------------------------------------------- unreadable results files


def test_a_broken_results_file_message_quotes_json_s_reason(tmp_path: Path) -> None:
    f = tmp_path / f"results_{DATE}.json"
    f.write_text("{oops", encoding="utf-8")
    with pytest.raises(LmEvalLogError) as err:
        run_parts(f)
    # json: "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    assert str(err.value) == (
        f"{f}: cannot read lm-eval results (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)); re-run lm_eval or remove the file")


def test_a_long_reason_is_cut_to_200_characters(tmp_path: Path) -> None:
    """A folder named like a results file cannot be read; the OS error names the folder's
    path, here longer than 200 characters, and the message keeps its first 200."""
    d = tmp_path / ("results_" + "d" * 230 + ".json")
    d.mkdir()
    with pytest.raises(LmEvalLogError) as err:
        run_parts(d)
    reason = f"[Errno {errno.EISDIR}] {os.strerror(errno.EISDIR)}: '{d}'"
    assert len(reason) > 200
    message = str(err.value)
    assert message == (f"{d}: cannot read lm-eval results ({reason[:200]}); re-run lm_eval "
                       "or remove the file")


def test_a_json_file_without_a_results_table_says_to_remove_it(tmp_path: Path) -> None:
    f = tmp_path / f"results_{DATE}.json"
    f.write_text(json.dumps({"versions": {}}), encoding="utf-8")
    with pytest.raises(LmEvalLogError) as err:
        run_parts(f)
    assert str(err.value) == (f"{f}: not an lm-eval results file (no 'results' table); "
                              "remove it from the inputs")


# ---------------------------------------------------------------- non-UTF-8 locale




def _write_utf8_run(folder: Path, model: str, item: str) -> Path:
    """A one-sample generative run written as UTF-8 with non-ASCII text left unescaped
    (``ensure_ascii=False``, as lm-eval writes it; lmeval_fixtures.write_run escapes it)."""
    folder.mkdir()
    results = {"results": {"pinocchio_neutral": {"alias": "pinocchio_neutral"}},
               "configs": {"pinocchio_neutral": {"output_type": "generate_until"}},
               "model_name": model}
    f = folder / f"results_{DATE}.json"
    f.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    sample = {"doc_id": 0, "doc": dict(DOC, item=item), "filtered_resps": ["Often"]}
    (folder / f"samples_pinocchio_neutral_{DATE}.jsonl").write_text(
        json.dumps(sample, ensure_ascii=False) + "\n", encoding="utf-8")
    return f


def test_a_non_ascii_results_file_is_read_as_utf_8_whatever_the_locale(
        tmp_path: Path, ascii_locale: None) -> None:
    f = _write_utf8_run(tmp_path / "run", "modèle-é", "I am calm.")
    assert "é".encode() in f.read_bytes()  # written unescaped: 0xC3 0xA9
    [part] = run_parts(f)
    assert part.model == "modèle-é"


def test_a_non_ascii_sample_is_read_as_utf_8_whatever_the_locale(
        tmp_path: Path, ascii_locale: None) -> None:
    f = _write_utf8_run(tmp_path / "run", "m", "Ça va, café ?")
    [part] = run_parts(f)
    assert part.responses is not None
    assert part.responses["item"].tolist() == ["Ça va, café ?"]
    assert part.responses["response"].tolist() == [3.0]  # "Often" is 3 on the 1..4 scale


# ---------------------------------------------------------------- provenance


def test_rows_name_their_samples_file_and_scores_their_results_file(tmp_path: Path) -> None:
    run = write_run(tmp_path, "m", {"pinocchio_neutral": (
        "generate_until", [(DOC, ["Often"])])})
    results = run / f"results_{DATE}.json"
    table = json.loads(results.read_text(encoding="utf-8"))
    table["results"]["mmlu"] = {"acc,none": 0.5}
    results.write_text(json.dumps(table), encoding="utf-8")
    by_task = {p.task: p for p in run_parts(results)}
    rows = by_task["pinocchio_neutral"].responses
    assert rows is not None
    assert rows["log_file"].tolist() == [str(run / f"samples_pinocchio_neutral_{DATE}.jsonl")]
    [score] = by_task["mmlu"].benchmarks
    assert (score.metric, score.value, score.source) == ("acc", 0.5, str(results))
