"""load_inputs passes its reading options on to read_inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinocchio_eval.readers import load_inputs
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
