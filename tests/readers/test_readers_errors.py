"""Every bad input or output path: one line naming the file, row or column; nothing written."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from leaderboard_fixtures import small_panel
from pinocchio_eval.cli import cli
from pinocchio_eval.readers import load_inputs, read_inputs
from pinocchio_eval.responses import ResponseTableError, validate_response_table

HEADER = "model,condition,questionnaire,item_index,response"


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def _one_line_error(res, *fragments: str) -> str:
    """The command failed cleanly: exit 1, no traceback, one 'Error:' line with the facts."""
    assert res.exit_code in (1, 2), res.output
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit)
    errors = [line for line in res.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, res.output
    assert "Traceback" not in res.output
    for f in fragments:
        assert f in errors[0], errors[0]
    return errors[0]


def _csv(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(body)
    return path


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    small_panel(n_models=5, n_questionnaires=3).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name, body, fragments", [
    ("ragged.csv", f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,1\n",
     ["ragged.csv", "line 3 has 4 fields", "header has 5"]),
    ("trailing.csv", f"{HEADER}\nm,neutral,SWLS,0,3,\n",
     ["trailing.csv", "line 2 has 6 fields"]),
    ("alltrailing.csv", f"{HEADER},\nm,neutral,SWLS,0,3,\n",
     ["alltrailing.csv", "header field 6 has no name"]),
    ("quoted.csv", "model,condition,questionnaire,item_index,item,response\n"
     'm,neutral,SWLS,0,"In most ways, my life is close to ideal.",3\nm,neutral,SWLS,1,"x"\n',
     ["quoted.csv", "line 3 has 5 fields", "header has 6"]),
    ("huge.csv", f"{HEADER}\nm,neutral,SWLS,1e20,3\n",
     ["huge.csv", "line 2", "item_index 1e+20"]),
    ("negative.csv", f"{HEADER}\nm,neutral,SWLS,2,3\nm,neutral,SWLS,-1,3\n",
     ["negative.csv", "line 3", "item_index -1;"]),
    ("unknown_item.csv", f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,7,3\n",
     ["unknown_item.csv", "'SWLS' have item_index [7]", "items 0 to 4",
      "--drop-unknown-items"]),
    ("bools.csv", f"{HEADER}\nm,neutral,EPQ-R,0,True\nm,neutral,EPQ-R,1,False\n",
     ["bools.csv", "column 'response', line 2", "boolean True"]),
    ("mixedbool.csv", f"{HEADER}\nm,neutral,EPQ-R,0,1\nm,neutral,EPQ-R,1,false\n",
     ["mixedbool.csv", "column 'response', line 3", "boolean 'false'"]),
])
def test_bad_tables_are_one_line_errors(tmp_path, name, body, fragments):
    path = _csv(tmp_path, name, body)
    with pytest.raises(ResponseTableError) as info:
        load_inputs([path])
    message = str(info.value)
    assert "\n" not in message and "np." not in message
    for f in fragments:
        assert f in message, message
    out = tmp_path / "scores.csv"
    res = _invoke("score", str(path), "--bootstrap", "0", "--out", str(out))
    _one_line_error(res, *fragments[:1])
    assert not out.exists()


def test_good_tables_with_quotes_crlf_and_blank_lines_read(tmp_path):
    body = ("model,condition,questionnaire,item_index,item,response\r\n"
            'm,neutral,SWLS,0,"In most ways, my life\r\nis close to ideal.",3\r\n\r\n'
            "m,neutral,SWLS,1,,4\r\n")
    df = load_inputs([_csv(tmp_path, "ok.csv", body)])
    assert df["response"].tolist() == [3.0, 4.0]
    plain = f"{HEADER}\nm,neutral,SWLS,0,3\n\nm,neutral,SWLS,1,\n"
    df = load_inputs([_csv(tmp_path, "plain.csv", plain)])
    assert df["item_index"].tolist() == [0, 1] and df["response"].isna().tolist() == [False, True]


def test_boolean_values_in_a_frame_or_parquet(tmp_path):
    df = pd.DataFrame({"model": "m", "condition": "neutral", "questionnaire": "EPQ-R",
                       "item_index": [0, 1], "response": [True, False]})
    with pytest.raises(ResponseTableError, match="column 'response', row 1 holds the boolean"):
        validate_response_table(df)
    df.to_parquet(tmp_path / "b.parquet")
    with pytest.raises(ResponseTableError, match=r"b\.parquet: column 'response', row 1"):
        load_inputs([tmp_path / "b.parquet"])


def test_unknown_items_can_be_dropped_with_a_note(tmp_path):
    path = _csv(tmp_path, "t.csv", f"{HEADER}\nm,neutral,SWLS,0,3\nm,neutral,SWLS,7,3\n"
                                   "m,neutral,SWLS,9,3\n")
    got = read_inputs([path], drop_unknown_items=True)
    assert got.responses["item_index"].tolist() == [0]
    assert any("dropped 2 row(s) of 'SWLS' have item_index [7, 9]" in n for n in got.notes)


def test_binary_norms_file(tmp_path, panel_csv):
    norms = tmp_path / "norms.json"
    norms.write_bytes(bytes(range(256)) * 4)
    res = _invoke("score", str(panel_csv), "--norms", str(norms))
    _one_line_error(res, "norms.json", "not a norms file")
    res = _invoke("leaderboard", "build", str(panel_csv), "--norms", str(norms),
                  "--out", str(tmp_path / "board"))
    _one_line_error(res, "not a norms file")
    assert not (tmp_path / "board").exists()


def test_score_out_checks_come_before_the_work(tmp_path, panel_csv):
    folder = tmp_path / "a_folder"
    folder.mkdir()
    _one_line_error(_invoke("score", str(panel_csv), "--out", str(folder)), "is a folder")
    assert list(folder.iterdir()) == []
    _one_line_error(_invoke("score", str(panel_csv), "--out", str(tmp_path / "no" / "x.csv")),
                    "does not exist")
    before = panel_csv.read_bytes()
    _one_line_error(_invoke("score", str(panel_csv), "--out", str(panel_csv)), "is also an input")
    assert panel_csv.read_bytes() == before
    _one_line_error(_invoke("calibrate", str(panel_csv), "--out", str(panel_csv)),
                    "is also an input")


def test_leaderboard_out_and_formats_checked_first(tmp_path, panel_csv):
    existing = tmp_path / "file.txt"
    existing.write_text("keep me")
    _one_line_error(_invoke("leaderboard", "build", str(panel_csv), "--out", str(existing)),
                    "is an existing file")
    assert existing.read_text() == "keep me"
    _one_line_error(_invoke("leaderboard", "build", str(panel_csv), "--out",
                            str(existing / "sub")), "is a file, so the folder cannot be created")
    out = tmp_path / "board"
    _one_line_error(_invoke("leaderboard", "build", str(panel_csv), "--out", str(out),
                            "--formats", "csv,bogus"), "unknown leaderboard format(s) ['bogus']")
    assert not out.exists()
    table = tmp_path / "t.csv"
    table.write_text("Model,MMLU\nmodel-000,0.5\n")
    _one_line_error(_invoke("leaderboard", "merge", str(table), str(panel_csv), "--on",
                            "Model", "--out", str(table)), "is also an input")
    assert table.read_text() == "Model,MMLU\nmodel-000,0.5\n"


def test_json_that_is_not_a_log(tmp_path):
    path = _csv(tmp_path, "config.json", '{"model": "x", "temperature": 0}')
    pytest.importorskip("inspect_ai")
    with pytest.raises(ResponseTableError, match="config.json: a JSON file but not an Inspect log"):
        load_inputs([path])
    # in a folder, other JSON files are simply not logs
    with pytest.raises(ResponseTableError, match="not a recognised input|no Pinocchio responses"):
        load_inputs([tmp_path])


def test_eval_file_that_is_not_a_zip(tmp_path):
    pytest.importorskip("inspect_ai")
    path = _csv(tmp_path, "x.eval", "hello")
    with pytest.raises(ResponseTableError, match=r"x\.eval: not an Inspect log"):
        load_inputs([path])


def test_control_characters_are_escaped_on_the_terminal(tmp_path):
    evil = "\x1b[31mred\x1b[0m"
    path = _csv(tmp_path, "t.csv", f"{HEADER}\n{evil},nocondition,SWLS,0,3\n")
    res = _invoke("score", str(path), "--bootstrap", "0")
    line = _one_line_error(res)
    assert "\x1b" not in res.output
    assert "nocondition" in line
    missing = tmp_path / "a\x1b[2Jb.csv"
    res = _invoke("leaderboard", "build", str(missing), "--out", str(tmp_path / "o"))
    assert "\x1b" not in res.output and res.exit_code != 0


def test_text_responses_keep_a_given_raw_column_where_the_response_is_a_number(tmp_path):
    from pinocchio_eval.responses import read_response_table

    p = tmp_path / "t.csv"
    p.write_text(HEADER + ",response_raw\n"
                 "m,neutral,q,0,3,I'd say 3\n"
                 "m,neutral,q,1,Agree,raw two\n", encoding="utf-8")
    got = read_response_table(p)
    assert got["response_raw"].tolist() == ["I'd say 3", "Agree"]
    assert str(got["response_raw"].dtype) == "string"
    assert got["response"].iloc[0] == 3.0 and pd.isna(got["response"].iloc[1])


def test_tsv_table_reads_by_tabs(tmp_path):
    from pinocchio_eval.responses import read_response_table

    p = tmp_path / "t.tsv"
    p.write_text(HEADER.replace(",", "\t") + "\nm\tneutral\tq\t0\t2\nm\tneutral\tq\t1\t4\n",
                 encoding="utf-8")
    got = read_response_table(p)
    assert got["item_index"].tolist() == [0, 1]
    assert got["response"].tolist() == [2.0, 4.0]


def test_one_character_line_is_a_field_count_error(tmp_path):
    from pinocchio_eval.responses import read_response_table

    p = tmp_path / "t.csv"
    p.write_text(HEADER + "\nm,neutral,q,0,3\nx\n", encoding="utf-8")
    with pytest.raises(ResponseTableError, match="line 3 has 1 fields, the header has 5"):
        read_response_table(p)


def test_non_utf8_table_names_the_byte(tmp_path):
    from pinocchio_eval.responses import read_response_table

    p = tmp_path / "t.csv"
    body = (HEADER + "\nm,neutral,q,0,").encode() + b"\xe9\n"
    p.write_bytes(body)
    with pytest.raises(ResponseTableError) as info:
        read_response_table(p)
    # the bad byte follows the header line and "m,neutral,q,0," on line 2
    at = len(HEADER) + 1 + len("m,neutral,q,0,")
    assert str(info.value) == (f"{p}: line 2: not UTF-8 text (byte {at}); save the table "
                               "as UTF-8 CSV")


# --- validate_response_table: text item indices and the full boolean message ------------------
def test_text_item_index_is_a_table_error_naming_the_cell() -> None:
    # a word where the item's position belongs must be the table's own one-line error (naming
    # row 2 and the cell), not a bare ValueError from the number conversion
    df = pd.DataFrame({"model": "m", "condition": "neutral", "questionnaire": "SWLS",
                       "item_index": ["0", "first"], "response": [3, 4]})
    with pytest.raises(ResponseTableError) as info:
        validate_response_table(df)
    assert str(info.value) == ("response table: row 2 has item_index 'first'; it must be a "
                               "whole number from 0 to 100000 (the item's 0-based position)")


def test_boolean_response_message_says_what_to_write_instead() -> None:
    # row 1 holds a number, row 2 the Python boolean False: the message names row 2 and asks
    # for the scale value or the answer text, word for word
    df = pd.DataFrame({"model": "m", "condition": "neutral", "questionnaire": "EPQ-R",
                       "item_index": [0, 1], "response": pd.Series([1, False], dtype=object)})
    with pytest.raises(ResponseTableError) as info:
        validate_response_table(df)
    assert str(info.value) == (
        "response table: column 'response', row 2 holds the boolean False; write the scale "
        "value (e.g. 1 for Yes, 2 for No as the questionnaire numbers them) or the answer text")
