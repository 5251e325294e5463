"""The input dispatcher: one call reads tables, Inspect logs and lm-eval outputs, mixed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


# --- read_inputs: adapters loaded only when needed, stacking a reader's parts, empty results --
def _parts_reader(frames: dict[str, pd.DataFrame], seen: list[pd.DataFrame] | None = None
                  ) -> Reader:
    """A reader claiming ``*.toy`` files: file ``<stem>.toy`` gives ``frames[stem]``; its
    ``finish`` (when ``seen`` is given) records the frame it is handed and returns it."""
    from pinocchio_eval.readers.runs import RunPart

    def files(path: Path) -> list[Path]:
        return [path] if path.suffix == ".toy" else []

    def read(found: list[Path]) -> list[RunPart]:
        return [RunPart("toy", f.stem, "m", str(f), responses=frames[f.stem]) for f in found]

    def finish(df: pd.DataFrame) -> pd.DataFrame:
        assert seen is not None
        seen.append(df.copy())
        return df

    return Reader("toy-format", files, read, finish if seen is not None else None)


def _rows(items: list[int], **extra: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"model": ["m"] * len(items), "condition": ["neutral"] * len(items),
                         "questionnaire": ["toyq"] * len(items), "item_index": items,
                         "response": [3] * len(items), **extra})


def _touch(tmp_path: Path, *names: str) -> list[Path]:
    paths = [tmp_path / n for n in names]
    for p in paths:
        p.write_text("")
    return paths


def test_reading_only_response_tables_does_not_load_the_harness_adapters(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    calls: list[int] = []
    monkeypatch.setattr(rd, "_load_adapters", lambda: calls.append(1) or {})
    path = tmp_path / "t.csv"
    path.write_text("model,condition,questionnaire,item_index,response\nm,neutral,SWLS,0,3\n")
    assert rd.read_inputs([path]).responses["response"].tolist() == [3.0]
    assert calls == []                  # a table needs no harness import
    odd = _touch(tmp_path, "notes.txt")[0]
    with pytest.raises(ResponseTableError):
        rd.read_inputs([odd])
    assert calls == [1]                 # anything else makes it import the adapters once


def test_an_unrecognised_input_names_the_harness_support_that_failed_to_load(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    monkeypatch.setattr(rd, "_ADAPTERS", {"toyh": "pinocchio_eval_no_such_module_y1"})
    odd = _touch(tmp_path, "notes.txt")[0]
    with pytest.raises(ResponseTableError) as info:
        rd.read_inputs([odd])
    assert str(info.value).endswith(
        "; toyh support is not installed (No module named 'pinocchio_eval_no_such_module_y1'; "
        "install its extra)")


def test_finish_gets_a_single_part_as_the_reader_gave_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    seen: list[pd.DataFrame] = []
    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    rd.register_reader(_parts_reader({"a": _rows([0, 1]).set_axis([5, 6])}, seen))
    got = rd.read_inputs(_touch(tmp_path, "a.toy")).responses
    assert len(seen) == 1 and seen[0].index.tolist() == [5, 6]   # its own index, untouched
    assert got.index.tolist() == [0, 1]                          # the result is renumbered


def test_finish_gets_several_parts_stacked_with_a_fresh_index(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    seen: list[pd.DataFrame] = []
    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    # both parts number their rows 0, 1: stacked they are rows 0..3, in file order
    rd.register_reader(_parts_reader({"a": _rows([0, 1]), "b": _rows([2, 3])}, seen))
    rd.read_inputs(_touch(tmp_path, "a.toy", "b.toy"))
    assert len(seen) == 1
    assert seen[0].index.tolist() == [0, 1, 2, 3]
    assert seen[0]["item_index"].tolist() == [0, 1, 2, 3]


def test_extra_columns_of_a_readers_parts_keep_the_order_they_first_appear_in(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd

    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    rd.register_reader(_parts_reader({"a": _rows([0], zeta=["z"]),
                                      "b": _rows([1], alpha=["a"])}))
    got = rd.read_inputs(_touch(tmp_path, "a.toy", "b.toy")).responses
    extras = [c for c in got.columns if c in ("zeta", "alpha")]
    assert extras == ["zeta", "alpha"]          # not sorted by name
    assert got["zeta"].tolist()[0] == "z" and got["alpha"].tolist()[1] == "a"


def test_a_table_row_with_no_answer_and_no_raw_text_is_not_marked_unparseable(
        tmp_path: Path) -> None:
    from pinocchio_eval.readers import read_inputs

    # "unparseable" is a table's verdict on raw text it gives; this table gives none
    path = tmp_path / "t.csv"
    path.write_text("model,condition,questionnaire,item_index,response\n"
                    "m,neutral,SWLS,0,3\nm,neutral,SWLS,1,\n")
    got = read_inputs([path]).responses
    assert "status" not in got.columns
    assert got["response"].isna().tolist() == [False, True]


def test_headline_scores_only_still_return_the_run_notes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pinocchio_eval.readers as rd
    from pinocchio_eval.readers.runs import BenchmarkScore, RunPart

    def files(path: Path) -> list[Path]:
        return [path] if path.suffix == ".toy" else []

    def read(found: list[Path]) -> list[RunPart]:
        return [RunPart("toy", "mmlu", "m", str(f), started=f.stem, run=f.stem,
                        benchmarks=[BenchmarkScore("m", "toy", "mmlu", "acc", 0.5, str(f))])
                for f in found]

    monkeypatch.setattr(rd, "_READERS", list(rd.readers()))
    rd.register_reader(Reader("toy-format", files, read))
    got = rd.read_inputs(_touch(tmp_path, "r1.toy", "r2.toy"), all_runs=True)
    assert got.responses.empty and len(got.benchmarks) == 2
    assert got.notes == ["2 runs of toy task 'mmlu' for 'm' kept separately (--all-runs)"]
