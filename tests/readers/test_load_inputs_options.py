"""load_inputs passes its reading options on to read_inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pinocchio_eval.readers as readers_mod
from pinocchio_eval.readers import Reader, RunPart, load_inputs, read_inputs
from pinocchio_eval.responses import ResponseTableError

HEADER = "model,condition,questionnaire,item_index,response"


def _table(tmp_path: Path) -> Path:
    # SWLS has items 0..4: rows for items 7 and 9 are unknown to the instrument
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,7,4\nm,neutral,SWLS,9,5\n")
    return path


def test_load_inputs_drops_unknown_items_when_asked(tmp_path: Path) -> None:
    df = load_inputs([_table(tmp_path)], drop_unknown_items=True)
    assert df["item_index"].tolist() == [0]
    assert df["response"].tolist() == [3.0]


def test_load_inputs_refuses_unknown_items_by_default(tmp_path: Path) -> None:
    with pytest.raises(ResponseTableError, match="SWLS"):
        load_inputs([_table(tmp_path)])


# --- read_inputs dispatch: stacking of readers' frames, index, and the "not installed" hint
def _fake_reader(rows: pd.DataFrame) -> Reader:
    """A reader owning *.fake files, returning ``rows`` as one part of harness "fake"."""
    def files(path: Path) -> list[Path]:
        return [path] if path.suffix == ".fake" else []

    def read(found: list[Path]) -> list[RunPart]:
        return [RunPart(harness="fake", task="t", model="m", source=str(f), responses=rows)
                for f in found]

    return Reader("fake", files, read)


def test_read_inputs_keeps_extra_columns_in_order_of_appearance(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the table brings extra column "zeta_note", the fake reader "alpha_note": stacked
    # unsorted, the extras follow the order the readers ran in (table first), not A-Z
    table = tmp_path / "t.csv"
    table.write_text(f"{HEADER},zeta_note\nm,neutral,SWLS,0,3,z\n")
    fake = tmp_path / "x.fake"
    fake.write_text("")
    rows = pd.DataFrame({"model": ["n"], "condition": ["neutral"], "questionnaire": ["SWLS"],
                         "item_index": [1], "response": [4.0], "alpha_note": ["a"]})
    monkeypatch.setattr(readers_mod, "_READERS",
                        [readers_mod._READERS[0], _fake_reader(rows)])
    got = read_inputs([table, fake])
    extras = [c for c in got.responses.columns if c.endswith("_note")]
    assert extras == ["zeta_note", "alpha_note"]
    assert got.responses["model"].tolist() == ["m", "n"]


def test_read_inputs_returns_a_fresh_index_and_no_index_column(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,0,3\nm,neutral,SWLS,1,4\n")
    got = read_inputs([table])
    # the repeated first row is dropped: two rows left, numbered 0 and 1 again
    assert got.responses.index.tolist() == [0, 1]
    assert "index" not in got.responses.columns
    assert got.responses["item_index"].tolist() == [0, 1]


def test_unrecognised_input_lists_each_missing_harness_separately(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers_mod, "_ADAPTERS", {"alpha": "z2_no_such_module_a",
                                                   "beta": "z2_no_such_module_b"})
    monkeypatch.setattr(readers_mod, "_EXTRAS", {})
    monkeypatch.setattr(readers_mod, "_READERS", readers_mod._READERS[:1])
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(ResponseTableError) as err:
        read_inputs([odd])
    assert str(err.value).endswith(
        "lm-eval output folder"
        "; alpha support is not installed (No module named 'z2_no_such_module_a'; "
        "install its extra)"
        "; beta support is not installed (No module named 'z2_no_such_module_b'; "
        "install its extra)")
