"""Reading one response table file: suffixes, raw text, TSV field checks, messages, warnings."""

from __future__ import annotations

import csv
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from pinocchio_eval.readers import read_inputs, readers
from pinocchio_eval.responses import (
    ResponseTableError,
    check_items,
    item_indices,
    mark_unread,
    read_response_table,
    validate_response_table,
    write_response_table,
)

HEADER = "model,condition,questionnaire,item_index,response"
TSV_HEADER = HEADER.replace(",", "\t")


def _rows(*models: str | None) -> pd.DataFrame:
    """One SWLS answer per model, item indices 0, 1, 2, ... and answers 3, 4, 5, ..."""
    return pd.DataFrame({"model": list(models), "condition": "neutral", "questionnaire": "SWLS",
                         "item_index": range(len(models)),
                         "response": [3.0 + i for i in range(len(models))]})


# ----------------------------------------------------------------------- the file itself
def test_missing_file_is_named_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == f"{path}: no such file"


def test_pq_suffix_is_read_as_parquet(tmp_path: Path) -> None:
    path = tmp_path / "table.pq"
    write_response_table(_rows("m1", "m2"), path)
    assert path.read_bytes()[:4] == b"PAR1"  # really Parquet, not CSV under another name
    got = read_response_table(path)
    assert got["model"].tolist() == ["m1", "m2"]
    assert got["item_index"].tolist() == [0, 1]
    assert got["response"].tolist() == [3.0, 4.0]


def test_pq_table_errors_point_at_the_row_not_a_file_line(tmp_path: Path) -> None:
    # a Parquet file has no text lines: the second row is "row 2" (a CSV would say "line 3",
    # counting its header line)
    path = tmp_path / "table.pq"
    write_response_table(_rows("m1", None), path)
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: row 2 has no 'model'; fill it in or remove the row")


def test_response_raw_text_is_kept_exactly_as_written(tmp_path: Path) -> None:
    # the raw model output is text: "03" and "4.50" must not become the numbers 3 and 4.5
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},response_raw\n"
                    "m,neutral,SWLS,0,3,03\n"
                    "m,neutral,SWLS,1,4,4.50\n", encoding="utf-8")
    got = read_response_table(path)
    assert got["response_raw"].tolist() == ["03", "4.50"]
    assert got["response"].tolist() == [3.0, 4.0]


def test_reading_a_csv_table_raises_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,1,4\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = read_response_table(path)
    assert got["response"].tolist() == [3.0, 4.0]


# ------------------------------------------------------------------- field-count checks
def test_header_without_a_name_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},\nm,neutral,SWLS,0,3,\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert message.endswith("line 1: header field 6 has no name (a trailing comma?); "
                            "remove it or name the column")


def test_tsv_trailing_tab_in_the_header_is_an_unnamed_field(tmp_path: Path) -> None:
    # every line ends in a tab: pandas would add an "Unnamed: 5" column; the header's sixth
    # field (after the fifth tab) has no name
    path = tmp_path / "t.tsv"
    path.write_text(f"{TSV_HEADER}\t\nm\tneutral\tSWLS\t0\t3\t\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value).endswith("line 1: header field 6 has no name (a trailing comma?); "
                                    "remove it or name the column")


def test_tsv_short_row_is_counted_in_tab_separated_fields(tmp_path: Path) -> None:
    # line 3 has 3 tabs, so 4 fields against the header's 5 (it holds no comma at all)
    path = tmp_path / "t.tsv"
    path.write_text(f"{TSV_HEADER}\nm\tneutral\tSWLS\t0\t3\nm\tneutral\tSWLS\t1\n",
                    encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value).endswith(
        "line 3 has 4 fields, the header has 5 (a trailing or unquoted comma?); fix that line")


def test_tsv_quoted_text_with_commas_reads_in_tab_fields(tmp_path: Path) -> None:
    # a quote sends the file to the field-by-field check; the commas inside are text
    path = tmp_path / "t.tsv"
    path.write_text(f"{TSV_HEADER}\titem\n"
                    'm\tneutral\tSWLS\t0\t3\t"In most ways, my life is close to ideal."\n',
                    encoding="utf-8")
    got = read_response_table(path)
    assert got["item"].tolist() == ["In most ways, my life is close to ideal."]
    assert got["response"].tolist() == [3.0]


def test_non_utf8_header_is_a_table_error(tmp_path: Path) -> None:
    # a Latin-1 "é" (byte 0xE9) in the header's first name
    path = tmp_path / "t.csv"
    path.write_bytes(b"mod\xe9l,condition,questionnaire,item_index,response\n"
                     b"m,neutral,SWLS,0,3\n")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 1: not UTF-8 text (byte 3); save the table "
                               "as UTF-8 CSV")




def test_utf8_table_reads_whatever_the_locale_encoding(tmp_path: Path,
                                                       ascii_locale: None) -> None:
    path = tmp_path / "t.csv"
    # the quoted field sends the file through the field-by-field check
    path.write_text(f'{HEADER}\n"modèle, v2",neutral,SWLS,0,3\n', encoding="utf-8")
    if not sys.flags.utf8_mode:  # (UTF-8 mode makes every default encoding UTF-8)
        with path.open() as fh:  # the fixture works: the default encoding cannot read "è"
            assert fh.encoding.lower() in ("ascii", "ansi_x3.4-1968")
    got = read_response_table(path)
    assert got["model"].tolist() == ["modèle, v2"]


# ------------------------------------------------------------------ the table reader
def test_table_reader_parts_carry_no_task_or_model_of_their_own(tmp_path: Path) -> None:
    # a response table holds many models and no harness task: its part says "table", ""
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nm1,neutral,SWLS,0,3\nm2,neutral,SWLS,0,4\n", encoding="utf-8")
    reader = next(r for r in readers() if r.name == "response-table")
    parts = reader.read([path])
    assert len(parts) == 1
    part = parts[0]
    assert (part.harness, part.task, part.model, part.source) == ("table", "", "", str(path))
    assert part.responses is not None and part.responses["model"].tolist() == ["m1", "m2"]


def test_two_tables_are_both_kept_not_treated_as_runs(tmp_path: Path) -> None:
    # tables are never "an older run" of each other: both files' rows stay, with no note
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(f"{HEADER}\nm1,neutral,SWLS,0,3\n", encoding="utf-8")
    second.write_text(f"{HEADER}\nm2,neutral,SWLS,1,5\n", encoding="utf-8")
    got = read_inputs([first, second])
    assert got.notes == []
    assert sorted(zip(got.responses["model"], got.responses["response"], strict=True)) == [
        ("m1", 3.0), ("m2", 5.0)]


def test_lone_carriage_returns_are_line_ends_and_field_counts_are_checked(tmp_path: Path) -> None:
    """Old Mac spreadsheets end lines with CR alone; pandas reads those as rows, so a row with
    one field too many would shift the columns silently. It is refused, naming the line."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"model,condition,questionnaire,item_index,response\r"
                     b"m,neutral,SWLS,0,3,7\rm,neutral,SWLS,1,4,7\r")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 2 has 6 fields, the header has 5 (a trailing or "
                               "unquoted comma?); fix that line")


def test_a_well_formed_file_with_lone_carriage_returns_reads(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"model,condition,questionnaire,item_index,response\r"
                     b"m,neutral,SWLS,0,3\rm,neutral,SWLS,1,4\r")
    got = read_response_table(path)
    assert got["item_index"].tolist() == [0, 1]
    assert got["response"].tolist() == [3.0, 4.0]


def test_a_field_count_error_names_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("model,condition,questionnaire,item_index,response,\n"
                    "m,neutral,SWLS,0,3,\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 1: header field 6 has no name (a trailing "
                               "comma?); remove it or name the column")


# ------------------------------------- line counts, header names, long cells, parse errors
def test_non_utf8_byte_after_a_leading_blank_line_names_the_third_line(tmp_path: Path) -> None:
    # line 1 is blank ("\n"), line 2 the header, line 3 the row holding the Latin-1 byte 0xFF.
    # Byte offset: 1 (blank line) + 49 + 1 (header and its newline) + 17 ("m,neutral,SWLS,0,")
    # = 68; two newlines come before it, so it is on line 3.
    path = tmp_path / "t.csv"
    path.write_bytes(b"\n" + HEADER.encode() + b"\nm,neutral,SWLS,0,\xff\n")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 3: not UTF-8 text (byte 68); save the table "
                               "as UTF-8 CSV")


def test_unnamed_last_header_field_is_refused_even_when_every_row_fills_it(
        tmp_path: Path) -> None:
    # header and rows both have 6 fields (5 commas), so the field counts agree; the header's
    # sixth name is empty all the same, which pandas would turn into "Unnamed: 5"
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},\nm,neutral,SWLS,0,3,x\nm,neutral,SWLS,1,4,y\n",
                    encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 1: header field 6 has no name (a trailing "
                               "comma?); remove it or name the column")


def test_unquoted_cell_longer_than_the_csv_module_field_limit_reads(tmp_path: Path) -> None:
    # Python's csv module refuses a field over 131,072 characters; a long unquoted model
    # output (200,000 characters here) must still read, kept whole
    long_text = "a" * 200_000
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},response_raw\nm,neutral,SWLS,0,3,{long_text}\n",
                    encoding="utf-8")
    got = read_response_table(path)
    assert got["response"].tolist() == [3.0]
    assert len(got["response_raw"].iloc[0]) == 200_000
    assert got["response_raw"].iloc[0] == long_text


def test_long_unquoted_cell_reads_whatever_the_last_column_is_called(tmp_path: Path) -> None:
    # an extra last column named "X": a name is a name, and the 200,000-character cell before
    # it reads as in the test above
    long_text = "a" * 200_000
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},response_raw,X\nm,neutral,SWLS,0,3,{long_text},x\n",
                    encoding="utf-8")
    got = read_response_table(path)
    assert got["X"].tolist() == ["x"]
    assert got["response_raw"].iloc[0] == long_text


def test_a_table_pandas_cannot_parse_names_the_file_and_pandas_reason(tmp_path: Path) -> None:
    # the last answer opens a quote that never closes: the csv field check accepts that (it
    # runs to the end of the file), pandas does not. Its reason counts rows from 0 with the
    # header as row 0, so the open quote is in row 1.
    path = tmp_path / "t.csv"
    path.write_text(f'{HEADER}\nm,neutral,SWLS,0,"3\n', encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: cannot read as a table: Error tokenizing data. "
                               "C error: EOF inside string starting at row 1")


# ----------------------------------------------------------- long raw answers round-trip
def test_a_raw_answer_longer_than_the_csv_field_limit_reads_back(tmp_path: Path) -> None:
    # a rambling model output with a comma and a line break: written quoted, 150,003
    # characters, beyond the csv module's default field limit of 131,072
    raw = "I think, on reflection,\n" + "a" * 149_979
    rows = _rows("m").assign(response_raw=[raw])
    path = tmp_path / "long.csv"
    write_response_table(rows, path)
    got = read_response_table(path)
    assert len(got["response_raw"].iloc[0]) == 150_003
    assert got["response_raw"].iloc[0] == raw
    assert got["response"].tolist() == [3.0]


# ------------------------------------------------- statuses mark_unread leaves missing
def test_mark_unread_leaves_one_kind_of_missing_status() -> None:
    # rows 0 and 2 are answered (no status yet), row 1 has only raw text: unparseable
    df = pd.DataFrame({"response": [3.0, None, 4.0], "response_raw": ["3", "??", "4"]})
    mark_unread(df)
    assert df["status"].iloc[1] == "unparseable"
    assert df["status"].iloc[0] is pd.NA and df["status"].iloc[2] is pd.NA
    # one missing group, not NaN beside <NA>: counts are unparseable 1, missing 2
    counts = df["status"].value_counts(dropna=False)
    assert sorted(counts.tolist()) == [1, 2]


# ------------------------- item checks per questionnaire, item_index limits, csv field limit
SWLS_NAME = "The Satisfaction with Life Scale"  # SWLS has items 0 to 4, BAI items 0 to 20


def _items(pairs: list[tuple[str, int]]) -> pd.DataFrame:
    """One answer (3.0) by model m per (questionnaire, item_index) pair, in the given order."""
    return pd.DataFrame({"model": "m", "condition": "neutral",
                         "questionnaire": [q for q, _ in pairs],
                         "item_index": [i for _, i in pairs], "response": 3.0})


def test_check_items_refuses_by_default_and_names_the_input() -> None:
    # no drop argument: refused, not dropped; no source argument: the message says "input"
    df = _items([("SWLS", 0), ("SWLS", 7)])
    with pytest.raises(ResponseTableError) as info:
        check_items(df)
    assert str(info.value) == (
        f"input: 1 row(s) of 'SWLS' have item_index [7]; '{SWLS_NAME}' has items 0 to 4. "
        "Fix the indices, or pass --drop-unknown-items to leave those rows out")


def test_check_items_reports_questionnaires_in_name_order() -> None:
    # SWLS comes first in the table, but BAI sorts first: its bad item is the one refused,
    # and with drop the notes come BAI first too
    df = _items([("SWLS", 7), ("BAI", 30)])
    with pytest.raises(ResponseTableError) as info:
        check_items(df, source="t.csv")
    assert str(info.value).startswith("t.csv: 1 row(s) of 'BAI' have item_index [30]; ")
    _, notes = check_items(df, drop=True, source="t.csv")
    assert notes == [
        "t.csv: dropped 1 row(s) of 'BAI' have item_index [30]: 'BAI' has items 0 to 20 "
        "(--drop-unknown-items)",
        f"t.csv: dropped 1 row(s) of 'SWLS' have item_index [7]: '{SWLS_NAME}' has items "
        "0 to 4 (--drop-unknown-items)"]


def test_an_unknown_questionnaire_does_not_end_the_item_check() -> None:
    # "Aardvark Scale" is not in the battery (the scorer reports it) and sorts before SWLS,
    # whose item 7 must still be refused
    df = _items([("Aardvark Scale", 0), ("SWLS", 7)])
    with pytest.raises(ResponseTableError, match=r"^t: 1 row\(s\) of 'SWLS' have item_index \[7\]"):
        check_items(df, source="t")


def test_a_questionnaire_with_valid_items_does_not_end_the_item_check() -> None:
    # BAI item 0 is valid and BAI sorts before SWLS, whose item 7 must still be refused
    df = _items([("BAI", 0), ("SWLS", 7)])
    with pytest.raises(ResponseTableError, match=r"^t: 1 row\(s\) of 'SWLS' have item_index \[7\]"):
        check_items(df, source="t")


def test_more_than_five_bad_items_show_the_five_smallest_and_an_ellipsis() -> None:
    # six distinct bad indices, written out of order: sorted they are 10..15, the message
    # shows 10..14 and " ..." for the rest
    df = _items([("SWLS", i) for i in (15, 12, 10, 14, 11, 13)])
    with pytest.raises(ResponseTableError) as info:
        check_items(df, source="t")
    assert str(info.value) == (
        f"t: 6 row(s) of 'SWLS' have item_index [10, 11, 12, 13, 14] ...; '{SWLS_NAME}' has "
        "items 0 to 4. Fix the indices, or pass --drop-unknown-items to leave those rows out")


def test_exactly_five_bad_items_are_all_shown_without_an_ellipsis() -> None:
    df = _items([("SWLS", i) for i in (9, 5, 8, 6, 7)])
    with pytest.raises(ResponseTableError) as info:
        check_items(df, source="t")
    assert str(info.value) == (
        f"t: 5 row(s) of 'SWLS' have item_index [5, 6, 7, 8, 9]; '{SWLS_NAME}' has "
        "items 0 to 4. Fix the indices, or pass --drop-unknown-items to leave those rows out")


def test_dropping_unknown_items_of_two_questionnaires_drops_both() -> None:
    # rows: BAI 0 (ok), BAI 30 (bad), SWLS 0 (ok), SWLS 7 (bad): the two ok rows remain
    df = _items([("BAI", 0), ("BAI", 30), ("SWLS", 0), ("SWLS", 7)])
    got, notes = check_items(df, drop=True)
    assert list(zip(got["questionnaire"], got["item_index"], strict=True)) == [
        ("BAI", 0), ("SWLS", 0)]
    assert got.index.tolist() == [0, 2]
    assert len(notes) == 2


def test_check_items_hands_back_the_same_table_when_nothing_is_dropped() -> None:
    # no copy of a table that is fine (tables hold hundreds of thousands of rows)
    df = _items([("BAI", 20), ("SWLS", 4), ("Aardvark Scale", 99)])
    got, notes = check_items(df, drop=True)
    assert got is df
    assert notes == []


def test_item_indices_names_the_responses_by_default() -> None:
    df = pd.DataFrame({"item_index": [0, -1]})
    with pytest.raises(ResponseTableError) as info:
        item_indices(df)
    assert str(info.value) == ("responses: row 2 has item_index -1; it must be a whole number "
                               "from 0 to 100000 (the item's 0-based position)")


def test_a_fractional_item_index_is_refused() -> None:
    df = pd.DataFrame({"item_index": [0.0, 1.5]})
    with pytest.raises(ResponseTableError, match=r"^t: row 2 has item_index 1\.5; "):
        item_indices(df, "t")


def test_item_index_100000_is_the_largest_accepted() -> None:
    assert item_indices(pd.DataFrame({"item_index": [0, 100_000]})).tolist() == [0, 100_000]
    with pytest.raises(ResponseTableError, match=r"^t: row 1 has item_index 100001; "):
        item_indices(pd.DataFrame({"item_index": [100_001]}), "t")


def test_a_bad_item_index_in_a_csv_names_the_file_line(tmp_path: Path) -> None:
    # header is line 1, the -1 is on the second row: line 3
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,-1,3\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 3 has item_index -1; it must be a whole number "
                               "from 0 to 100000 (the item's 0-based position)")


def test_a_missing_model_in_a_csv_names_the_file_line(tmp_path: Path) -> None:
    # the second row's model is empty: line 3 of the file
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\nm,neutral,SWLS,0,3\n,neutral,SWLS,1,3\n", encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == f"{path}: line 3 has no 'model'; fill it in or remove the row"


@pytest.fixture
def csv_limit_1000() -> Iterator[None]:
    """The csv module's field limit set to 1,000 for one test (it is process-wide)."""
    before = csv.field_size_limit()
    csv.field_size_limit(1000)
    try:
        yield
    finally:
        csv.field_size_limit(before)


@pytest.mark.parametrize("last", ["note", "X"])
def test_reading_a_well_formed_table_leaves_the_csv_field_limit_alone(
        tmp_path: Path, csv_limit_1000: None, last: str) -> None:
    # a clean table (no quotes, every row 7 fields, every header named, also a last one
    # ending in "X") needs no field-by-field check, so the process-wide limit stays 1,000
    # although the file is longer (a 2,000-character answer)
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER},response_raw,{last}\nm,neutral,SWLS,0,3,{'a' * 2000},x\n",
                    encoding="utf-8")
    got = read_response_table(path)
    assert got[last].tolist() == ["x"]
    assert csv.field_size_limit() == 1000


def test_a_file_that_is_one_blank_header_longer_than_the_csv_limit_is_an_unnamed_header(
        tmp_path: Path, csv_limit_1000: None) -> None:
    # 1,500 spaces and no line end: one header field, 1,500 characters long and nameless. The
    # check must read that whole field (not stop at the csv module's limit of 1,000)
    path = tmp_path / "t.csv"
    path.write_text(" " * 1500, encoding="utf-8")
    with pytest.raises(ResponseTableError) as info:
        read_response_table(path)
    assert str(info.value) == (f"{path}: line 1: header field 1 has no name (a trailing "
                               "comma?); remove it or name the column")


# --- validation: the raw-answer column it adds, and blank text answers ---------------------
def test_numeric_answers_get_an_all_missing_string_raw_column() -> None:
    # no response_raw given and every answer a number: the canonical table still has the
    # column, typed as text (so a Parquet copy and a later concat keep it text), all missing
    got = validate_response_table(_rows("a", "b").set_axis([7, 9]))
    assert str(got["response_raw"].dtype) == "string"
    assert got["response_raw"].isna().tolist() == [True, True]


def test_a_blank_text_answer_does_not_replace_the_raw_output() -> None:
    # "response" holds text (so it is not all numeric): "Agree" is the answer to parse and
    # replaces the raw output; a blank "  " is no answer, so the raw output stays to be parsed
    df = _rows("a", "b").assign(response=["Agree", "  "],
                                response_raw=["long raw 1", "I would say 4"])
    got = validate_response_table(df)
    assert got["response_raw"].tolist() == ["Agree", "I would say 4"]
    assert got["response"].isna().tolist() == [True, True]

