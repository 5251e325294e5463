"""load_inputs on inputs that hold no Pinocchio rows: the error names every input given."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmeval_fixtures import write_run
from pinocchio_eval.readers import load_inputs
from pinocchio_eval.responses import ResponseTableError


def test_no_pinocchio_rows_error_names_each_input(tmp_path: Path) -> None:
    # two lm-eval folders that ran another task only: readable, but no Pinocchio rows
    first, second = tmp_path / "a", tmp_path / "b"
    write_run(first, "m", {"hellaswag": ("multiple_choice", [({"q": 1}, ["x"])])})
    write_run(second, "m", {"arc": ("multiple_choice", [({"q": 2}, ["y"])])})
    with pytest.raises(ResponseTableError) as err:
        load_inputs([first, str(second)])
    assert str(err.value) == f"no Pinocchio responses found in {[str(first), str(second)]}"
