"""Merge's input and report text: which separator a table file is read with, what an
unreadable file says, and the report's every line worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinocchio_eval.leaderboard.merge import MergeReport, read_table
from pinocchio_eval.responses import ResponseTableError

# Every line has exactly one tab and one comma (decimal commas): the extension, not a guess
# from the content, must decide the separator (a sniffer prefers the comma here).
TSV_WITH_COMMAS = "model\tMMLU, 5-shot\nacme/a\t0,61\nacme/b\t0,55\n"


@pytest.mark.parametrize("name", ["board.tsv", "board.TSV", "board.tab", "board.Tab"])
def test_tsv_and_tab_files_split_on_tabs_whatever_the_extension_case(
        tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(TSV_WITH_COMMAS, encoding="utf-8")
    t = read_table(path)
    assert t.columns.tolist() == ["model", "MMLU, 5-shot"]
    assert t["model"].tolist() == ["acme/a", "acme/b"]
    assert t["MMLU, 5-shot"].tolist() == ["0,61", "0,55"]


def test_csv_files_split_on_commas_and_keep_tabs_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "board.csv"
    path.write_text("model,note\nacme/a,x\ty\nacme/b,z\tw\n", encoding="utf-8")
    t = read_table(str(path))
    assert t.columns.tolist() == ["model", "note"]
    assert t["note"].tolist() == ["x\ty", "z\tw"]


def test_an_empty_file_is_refused_with_the_path_the_cause_and_what_to_give(
        tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ResponseTableError) as err:
        read_table(path)
    # pandas' own words for an empty file, between the path and the advice
    assert str(err.value) == (f"{path}: cannot read as a table (No columns to parse from file); "
                              "give a UTF-8 CSV or TSV file")


def test_a_ragged_table_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("model,mmlu\nacme/a,0.5\nacme/b,0.4,extra\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as err:
        read_table(path)
    msg = str(err.value)
    # the parser's message ends in a newline; the error keeps its words on one line
    assert "\n" not in msg
    assert msg == (f"{path}: cannot read as a table (Error tokenizing data. C error: Expected 2 "
                   "fields in line 3, saw 3); give a UTF-8 CSV or TSV file")


def test_report_lines_list_fuzzy_matches_unmatched_rows_and_unused_models() -> None:
    report = MergeReport(
        matched={"org/a": ("org/a", "exact"), "A-B": ("org/b", "normalised id"),
                 "c": ("org/c", "name after '/'")},
        unmatched_rows={"zzz": [], "org/dd": ["org/d", "org/e"]},
        unused_models=["org/f", "org/g"])
    assert report.lines() == [
        "matched 3 row(s)",
        # exact matches are counted but not listed; the others sorted by the row's id
        "  'A-B' -> 'org/b' (normalised id)",
        "  'c' -> 'org/c' (name after '/')",
        "2 row(s) matched no scored model (kept, Π left empty):",
        "  'org/dd': closest: org/d, org/e",
        "  'zzz': no close id",
        "scored model(s) not in the table: org/f, org/g",
    ]


def test_report_with_only_exact_matches_is_one_line() -> None:
    report = MergeReport(matched={"org/a": ("org/a", "exact"), "org/b": ("org/b", "exact")})
    assert report.lines() == ["matched 2 row(s)"]
