"""lm-eval reader pieces worked by hand: one sample's row, the samples file, the other tasks'
metrics, which of two rows for one item is kept, and how a model's two variants are named."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lmeval_fixtures import DATE, ll, write_run
from pinocchio_eval.lmeval.docs import make_doc
from pinocchio_eval.lmeval.reader import (
    LmEvalLogError,
    benchmark_scores,
    read_lm_eval,
    run_parts,
    sample_row,
    split_variants,
)
from pinocchio_eval.readers.runs import BenchmarkScore

#: A self-contained document on a 1..4 scale (what the task logs with each sample).
DOC: dict[str, Any] = {
    "condition": "neutral", "questionnaire": "q", "item_index": 7, "item": "I am calm.",
    "scale_values": [1, 2, 3, 4],
    "scale_labels": json.dumps({"1": "Never", "2": "Sometimes", "3": "Often", "4": "Always"}),
}


def _items() -> list[Any]:
    from pinocchio_eval.battery import get_battery

    return get_battery().items("toy-inner-weather")


# ---------------------------------------------------------------- sample_row


def test_multiple_choice_row_worked_by_hand() -> None:
    """Probabilities 0.1, 0.2, 0.3, 0.2 (mass 0.8) renormalise to 1/8, 2/8, 3/8, 2/8; the
    expected rating is (1*1 + 2*2 + 3*3 + 4*2) / 8 = 22/8 = 2.75, the argmax is 3."""
    row = sample_row({"doc": DOC, "filtered_resps": ll(0.1, 0.2, 0.3, 0.2)}, "multiple_choice")
    probs = json.loads(row.pop("probabilities"))
    assert probs == pytest.approx({"1": 0.125, "2": 0.25, "3": 0.375, "4": 0.25})
    assert row == {
        "condition": "neutral", "questionnaire": "q", "item_index": 7, "item": "I am calm.",
        "epoch": 1, "response": pytest.approx(2.75), "response_raw": "3", "status": "ok",
        "expected_rating": pytest.approx(2.75), "argmax_rating": 3.0,
        "choice_mass": pytest.approx(0.8)}


@pytest.mark.parametrize("as_text", [False, True])
def test_multiple_choice_row_reads_bare_loglikelihoods(as_text: bool) -> None:
    """Log-likelihoods logged one per choice (not ``[ll, is_greedy]`` pairs), as numbers or
    as strings: the same 2.75 as the worked example above."""
    lls: list[Any] = [math.log(p) for p in (0.1, 0.2, 0.3, 0.2)]
    if as_text:
        lls = [str(x) for x in lls]
    row = sample_row({"doc": DOC, "filtered_resps": lls}, "multiple_choice")
    assert row["expected_rating"] == pytest.approx(2.75)
    assert row["argmax_rating"] == 3.0 and row["status"] == "ok"


@pytest.mark.parametrize("sample", [{"doc": DOC}, {"doc": DOC, "filtered_resps": []},
                                    {"doc": DOC, "filtered_resps": [[]]}],
                         ids=["no-field", "empty", "empty-repeats"])
def test_generation_without_any_output_is_an_empty_answer(sample: dict[str, Any]) -> None:
    row = sample_row(sample, "generate_until")
    assert row == {"condition": "neutral", "questionnaire": "q", "item_index": 7,
                   "item": "I am calm.", "epoch": 1, "response": None, "response_raw": None,
                   "status": "empty"}


def test_generation_row_reads_the_first_output() -> None:
    row = sample_row({"doc": DOC, "filtered_resps": ["Often", "Never"]}, "generate_until")
    assert (row["response"], row["response_raw"], row["status"], row["epoch"]) == (
        3.0, "Often", "ok", 1)


# ---------------------------------------------------------------- samples files


def _one_run(tmp_path: Path) -> tuple[Path, Path]:
    docs = [dict(DOC, item_index=1), dict(DOC, item_index=2)]
    run = write_run(tmp_path, "m", {"pinocchio_neutral": (
        "generate_until", [(docs[0], ["Often"]), (docs[1], ["Never"])])})
    return run / f"results_{DATE}.json", run / f"samples_pinocchio_neutral_{DATE}.jsonl"


def test_blank_lines_in_a_samples_file_are_skipped_not_an_end(tmp_path: Path) -> None:
    results, samples = _one_run(tmp_path)
    first, second = samples.read_text(encoding="utf-8").splitlines()
    samples.write_text(f"{first}\n\n   \n{second}\n", encoding="utf-8")
    (part,) = run_parts(results)
    assert part.responses is not None
    assert part.responses["item_index"].tolist() == [1, 2]
    assert part.responses["response"].tolist() == [3.0, 1.0]


def test_a_bad_samples_line_is_named_by_its_line_number(tmp_path: Path) -> None:
    """Line 1 a sample, line 2 blank, line 3 not JSON: the message says line 3 (blank lines
    count, numbering starts at 1) and quotes json's reason ("Expecting value")."""
    results, samples = _one_run(tmp_path)
    first = samples.read_text(encoding="utf-8").splitlines()[0]
    samples.write_text(f"{first}\n\nnot json\n", encoding="utf-8")
    with pytest.raises(LmEvalLogError) as err:
        run_parts(results)
    assert str(err.value) == f"{samples}:3: not a JSON line (Expecting value)"


def test_inferred_output_type_uses_lm_eval_s_own_names() -> None:
    """Without a config the output type is read off the logged responses and named as
    lm-eval names it (as the config would); the config's own value wins when present."""
    from pinocchio_eval.lmeval.reader import _task_output_type

    assert _task_output_type({}, "t", {"filtered_resps": ["3"]}) == "generate_until"
    assert _task_output_type({}, "t", {}) == "generate_until"
    assert _task_output_type({"configs": {}}, "t",
                             {"filtered_resps": [["-1.0", "False"]]}) == "multiple_choice"
    assert _task_output_type({"configs": {"t": {"output_type": "loglikelihood"}}}, "t",
                             {"filtered_resps": ["3"]}) == "loglikelihood"


# ---------------------------------------------------------------- other tasks' metrics


def test_benchmark_metric_names_filters_and_missing_values() -> None:
    """Each key ``metric,filter`` by hand: the "none" filter and no filter at all give the bare
    metric, another filter is written in brackets (everything after the first comma), a NaN
    value is left out and a NaN stderr is no stderr."""
    nan = float("nan")
    results = {"results": {"arc": {
        "alias": "arc",
        "acc,none": 0.5, "acc_stderr,none": 0.01,
        "exact_match,strict-match": 0.25, "exact_match_stderr,strict-match": 0.02,
        "f1": 0.75,
        "bleu,flex,x": 2.0,
        "acc_norm,none": 0.4, "acc_norm_stderr,none": nan,
        "broken,none": nan}}}
    got = benchmark_scores(results, Path("r.json"), "m")

    def score(metric: str, value: float, stderr: float | None) -> BenchmarkScore:
        return BenchmarkScore(model="m", harness="lm-eval", task="arc", metric=metric,
                              value=value, source="r.json", run_date=None, stderr=stderr)

    assert got == {"arc": [score("acc", 0.5, 0.01),
                           score("exact_match(strict-match)", 0.25, 0.02),
                           score("f1", 0.75, None),
                           score("bleu(flex,x)", 2.0, None),
                           score("acc_norm", 0.4, None)]}


# ---------------------------------------------------------------- repeated items


def _two_folders(root: Path, first: dict[str, Any], second: dict[str, Any],
                 dates: tuple[float | None, float | None]) -> None:
    """One model, two runs in folders ``a`` and ``b`` (read in that order), each started at
    its date (None: no date recorded)."""
    for name, tasks, date in (("a", first, dates[0]), ("b", second, dates[1])):
        run = write_run(root / name, "m", tasks)
        res = run / f"results_{DATE}.json"
        data = json.loads(res.read_text())
        if date is None:
            del data["date"]
        else:
            data["date"] = date
        res.write_text(json.dumps(data))


def test_per_condition_row_beats_the_pi_self_row_read_before_it(toy_plugin: None,
                                                                 tmp_path: Path) -> None:
    n0 = make_doc(_items()[0], "neutral")
    _two_folders(tmp_path,
                 {"pinocchio_mc_pi_self": ("multiple_choice", [(n0, ll(0.7, 0.1, 0.1, 0.1))])},
                 {"pinocchio_mc_neutral": ("multiple_choice", [(n0, ll(0.1, 0.1, 0.1, 0.7))])},
                 (1767225600.0, 1767225600.0))
    df = read_lm_eval(tmp_path)
    assert df["task"].tolist() == ["pinocchio_mc_neutral"]


def test_newest_run_wins_a_repeated_item(toy_plugin: None, tmp_path: Path) -> None:
    """Folder a (read first) started 2026-01-01, folder b one day later: b's row is kept."""
    n0 = make_doc(_items()[0], "neutral")
    _two_folders(tmp_path,
                 {"pinocchio_mc_neutral": ("multiple_choice", [(n0, ll(0.7, 0.1, 0.1, 0.1))])},
                 {"pinocchio_mc_all": ("multiple_choice", [(n0, ll(0.1, 0.1, 0.1, 0.7))])},
                 (1767225600.0, 1767225600.0 + 86400))
    df = read_lm_eval(tmp_path)
    assert df["task"].tolist() == ["pinocchio_mc_all"]
    assert df["run_started"].tolist() == ["2026-01-02T00:00:00+00:00"]


def test_a_run_without_a_start_time_loses_to_a_dated_one(toy_plugin: None,
                                                         tmp_path: Path) -> None:
    n0 = make_doc(_items()[0], "neutral")
    _two_folders(tmp_path,
                 {"pinocchio_mc_neutral": ("multiple_choice", [(n0, ll(0.7, 0.1, 0.1, 0.1))])},
                 {"pinocchio_mc_all": ("multiple_choice", [(n0, ll(0.1, 0.1, 0.1, 0.7))])},
                 (None, 1767225600.0))
    df = read_lm_eval(tmp_path)
    assert df["task"].tolist() == ["pinocchio_mc_all"]
    assert df["run_started"].tolist() == ["2026-01-01T00:00:00+00:00"]


# ---------------------------------------------------------------- variants


def test_only_a_model_with_both_variants_gets_its_log_likelihood_rows_renamed() -> None:
    df = pd.DataFrame({"model": ["a", "a", "b", "c"],
                       "variant": ["generative", "loglikelihood", "loglikelihood",
                                   "generative"]})
    got = split_variants(df)
    assert got["model"].tolist() == ["a", "a (log-likelihood)", "b", "c"]
    assert df["model"].tolist() == ["a", "a", "b", "c"]   # the input is left alone
