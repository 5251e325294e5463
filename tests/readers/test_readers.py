"""The input dispatcher: one call reads tables, Inspect logs and lm-eval outputs, mixed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from _inspect_mock import condition_of, run  # noqa: E402
from lmeval_fixtures import ll, write_run  # noqa: E402
from pinocchio_eval.battery import get_battery  # noqa: E402
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.lmeval.docs import make_doc  # noqa: E402
from pinocchio_eval.readers import Reader, load_inputs  # noqa: E402
from pinocchio_eval.responses import ResponseTableError, write_response_table  # noqa: E402


@pytest.fixture
def mixed_folder(toy_plugin, tmp_path):
    """One folder: an Inspect log and an lm-eval run with both variants for one model."""
    answers = {"neutral": "2", "human_simulation": "3", "llm_analog": "1"}
    run(pinocchio(conditions="neutral,human_simulation", questionnaires="toy-inner-weather"),
        lambda p: answers[condition_of(p)], tmp_path / "runs" / "inspect")
    items = get_battery().items("toy-inner-weather")
    docs = [make_doc(items[0], "neutral"), make_doc(items[1], "neutral")]
    write_run(tmp_path / "runs" / "lm-eval", "org/model-a", {
        "pinocchio_neutral": ("generate_until", [(docs[0], ["3"]), (docs[1], ["4"])]),
        "pinocchio_mc_neutral": ("multiple_choice", [(docs[0], ll(0.1, 0.2, 0.6, 0.1)),
                                                     (docs[1], ll(0.7, 0.1, 0.1, 0.1))]),
    })
    return tmp_path / "runs"


def test_folder_with_both_harnesses(mixed_folder):
    df = load_inputs([mixed_folder])
    assert set(df["harness"]) == {"inspect", "lm-eval"}
    inspect_rows = df[df["harness"] == "inspect"]
    assert len(inspect_rows) == 2 * 3  # two conditions × three toy items
    lm = df[df["harness"] == "lm-eval"]
    # generative and log-likelihood answers of one model stay apart
    assert set(lm["model"]) == {"org/model-a", "org/model-a (log-likelihood)"}
    assert lm.groupby("model").size().to_dict() == {"org/model-a": 2,
                                                    "org/model-a (log-likelihood)": 2}


def test_tables_and_logs_stack(mixed_folder, tmp_path):
    logged = load_inputs([mixed_folder / "inspect"])
    path = tmp_path / "copy.csv"
    write_response_table(logged.assign(model="copied"), path)
    both = load_inputs([path, mixed_folder / "inspect"])
    assert len(both) == 2 * len(logged)
    assert set(both["model"]) == {"copied", logged["model"].iloc[0]}


def test_unrecognised_input_says_what_is_accepted(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(ResponseTableError, match="not a recognised input"):
        load_inputs([odd])
    with pytest.raises(ResponseTableError, match="no such file"):
        load_inputs([tmp_path / "missing"])


def test_all_runs_relabels_rows_and_headline_scores_with_the_run():
    """Two runs of one task under all_runs: each becomes "<model> [run <label>]" in its
    part, its rows and its headline scores; a run without a label falls back to its file."""
    import pandas as pd

    from pinocchio_eval.readers.runs import BenchmarkScore, RunPart, select_runs

    def part(run: str, source: str, started: str) -> RunPart:
        rows = pd.DataFrame({"model": ["m", "m"], "item_index": [0, 1]})
        score = BenchmarkScore("m", "inspect", "t", "acc", 0.5, source)
        return RunPart("inspect", "t", "m", source, started=started, run=run,
                       responses=rows, benchmarks=[score])

    kept, notes = select_runs([part("r1", "a.eval", "2026-01-01"),
                               part("", "b.eval", "2026-01-02")], all_runs=True)
    assert [p.model for p in kept] == ["m [run r1]", "m [run b.eval]"]
    for p in kept:
        assert p.responses["model"].tolist() == [p.model, p.model]
        assert [b.model for b in p.benchmarks] == [p.model]
        assert p.benchmarks[0].value == 0.5 and p.benchmarks[0].source == p.source
    assert notes == ["2 runs of inspect task 't' for 'm' kept separately (--all-runs)"]
    latest, _ = select_runs([part("r1", "a.eval", "2026-01-01"),
                             part("", "b.eval", "2026-01-02")])
    assert [(p.model, p.source) for p in latest] == [("m", "b.eval")]


@pytest.mark.parametrize("name", ["t.parquet", "t.PQ", "t.csv"])
def test_write_response_table_puts_the_canonical_columns_first_and_no_index(tmp_path, name):
    import pandas as pd

    from pinocchio_eval.responses import COLUMNS, write_response_table

    df = pd.DataFrame({"extra": ["x", "y"], "response": [3, 4], "model": ["a", "b"]},
                      index=[7, 9])
    path = tmp_path / name
    write_response_table(df, path)
    back = pd.read_csv(path) if name.endswith(".csv") else pd.read_parquet(path)
    want = [c for c in COLUMNS if c in df.columns] + ["extra"]
    assert list(back.columns) == want and want.index("model") < want.index("response")
    assert back["model"].tolist() == ["a", "b"] and back["response"].tolist() == [3, 4]
    assert back.index.tolist() == [0, 1]        # the frame's own index (7, 9) is not written
    if not name.endswith(".csv"):
        assert path.read_bytes()[:4] == b"PAR1"


def test_register_reader_adds_last_and_replaces_by_name(monkeypatch):
    import pinocchio_eval.readers as rd

    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    before = [r.name for r in rd.readers()]
    first = rd.Reader("toy-format", lambda p: [], lambda files: [])
    rd.register_reader(first)
    assert [r.name for r in rd.readers()] == [*before, "toy-format"]
    second = rd.Reader("toy-format", lambda p: [], lambda files: [])
    rd.register_reader(second)
    got = rd.readers()
    assert [r.name for r in got] == [*before, "toy-format"] and got[-1] is second
    got.clear()                                   # a copy: the registry is untouched
    assert len(rd.readers()) == len(before) + 1


def test_all_runs_relabels_a_run_with_headline_scores_only():
    from pinocchio_eval.readers.runs import BenchmarkScore, RunPart, select_runs

    def part(run: str, started: str) -> RunPart:
        return RunPart("inspect", "mmlu", "m", f"{run}.eval", started=started, run=run,
                       benchmarks=[BenchmarkScore("m", "inspect", "mmlu", "acc", 0.5, "x")])

    kept, _ = select_runs([part("r1", "2026-01-01"), part("r2", "2026-01-02")], all_runs=True)
    assert [(p.model, p.responses) for p in kept] == [("m [run r1]", None),
                                                      ("m [run r2]", None)]


# --- dispatch: a path given twice, the messages, validation of adapter rows -------------------
def test_a_file_given_twice_is_claimed_once(tmp_path: Path) -> None:
    from pinocchio_eval.readers import _claim

    path = tmp_path / "t.csv"
    path.write_text("model,condition,questionnaire,item_index,response\nm,neutral,SWLS,0,3\n")
    # the same file by two spellings (plain and via "sub/.."): one resolved file, read once
    (tmp_path / "sub").mkdir()
    again = tmp_path / "sub" / ".." / "t.csv"
    assert _claim([path, again], {}) == {"response-table": [path]}


def test_unrecognised_input_message_lists_the_table_suffixes(tmp_path: Path) -> None:
    from pinocchio_eval.readers import read_inputs

    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(ResponseTableError) as info:
        read_inputs([odd])
    assert str(info.value).startswith(
        f"{odd}: not a recognised input: give a response table (.csv, .parquet, .pq, .tsv), "
        "an Inspect log or folder of logs, or an lm-eval output folder")


def test_no_paths_at_all_is_an_error_saying_so() -> None:
    from pinocchio_eval.readers import read_inputs

    with pytest.raises(ResponseTableError) as info:
        read_inputs([])
    assert str(info.value) == "no input given"


def _toy_reader(rows: dict[str, list[object]]) -> Reader:
    """A harness reader claiming ``*.toy`` files, each giving ``rows`` for model m."""
    import pandas as pd

    from pinocchio_eval.readers.runs import RunPart

    def files(path: Path) -> list[Path]:
        return [path] if path.suffix == ".toy" else []

    def read(found: list[Path]) -> list[RunPart]:
        return [RunPart("toy", "t", "m", str(f), responses=pd.DataFrame(rows)) for f in found]

    return Reader("toy-format", files, read)


def test_rows_of_a_harness_reader_are_validated_as_a_response_table(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    rd.register_reader(_toy_reader({"model": ["m"], "condition": ["neutral"],
                                    "questionnaire": ["toyq"], "item_index": ["1"],
                                    "response": ["4"]}))
    path = tmp_path / "run.toy"
    path.write_text("")
    got = rd.read_inputs([path]).responses
    # validation turns the text cells into numbers and adds the columns a table always has
    assert got["item_index"].tolist() == [1] and str(got["item_index"].dtype) == "int64"
    assert got["response"].tolist() == [4.0]
    assert {"response_raw", "item"} <= set(got.columns)


def test_a_bad_row_from_a_harness_reader_names_that_reader(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    rd.register_reader(_toy_reader({"model": ["m"], "condition": ["neutral"],
                                    "questionnaire": ["toyq"], "item_index": [-1],
                                    "response": [4]}))
    path = tmp_path / "run.toy"
    path.write_text("")
    with pytest.raises(ResponseTableError) as info:
        rd.read_inputs([path])
    assert str(info.value).startswith("toy-format inputs: row 1 has item_index -1;")
