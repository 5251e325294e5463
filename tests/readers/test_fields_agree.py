"""The quote-free fast path of the field-count check: separators per non-blank line.

``_fields_agree`` answers "does every non-blank line hold as many separators as the first
non-blank one?" for a file with no quotes (a quoted file always goes to the csv module). The
expected answers below are counted by hand from the bytes.
"""

from __future__ import annotations

import warnings

import pytest

from pinocchio_eval.responses import _fields_agree


def test_quote_free_lines_with_one_separator_each_agree() -> None:
    # "a,b" / "1,2": one comma on each line
    assert _fields_agree(b"a,b\n1,2\n", ",") is True


def test_a_line_with_a_separator_more_disagrees() -> None:
    # "a,b" has one comma, "1,2,3" two
    assert _fields_agree(b"a,b\n1,2,3\n", ",") is False


def test_separators_are_counted_not_line_lengths() -> None:
    # "a,b" (3 bytes) and "1,22" (4 bytes): different lengths, one comma each
    assert _fields_agree(b"a,b\n1,22\n", ",") is True


def test_a_file_with_quotes_is_left_to_the_csv_module() -> None:
    # one comma per line, but the quotes could hide a comma or a line break
    assert _fields_agree(b'a,b\n"x",y\n', ",") is False


def test_empty_data_does_not_agree() -> None:
    assert _fields_agree(b"", ",") is False


def test_a_single_line_without_a_line_break_agrees() -> None:
    # no "\n" at all: the whole file is one line, "a,b"
    assert _fields_agree(b"a,b", ",") is True


def test_the_unterminated_last_line_is_counted() -> None:
    # no final "\n": the last line is "1" (no comma) against the header's one comma
    assert _fields_agree(b"a,b\n1", ",") is False
    # the same file with the last line complete: "1,2" has its comma
    assert _fields_agree(b"a,b\n1,2", ",") is True


def test_blank_lines_are_skipped() -> None:
    # line 2 is empty (zero commas) but blank, so only "a,b" and "1,2" are compared
    assert _fields_agree(b"a,b\n\n1,2\n", ",") is True


def test_blank_crlf_lines_are_skipped() -> None:
    # Windows line ends: line 2 is "\r" alone, a blank line, not a one-field row
    assert _fields_agree(b"a,b\r\n\r\n1,2\r\n", ",") is True


def test_a_leading_blank_crlf_line_is_skipped() -> None:
    # the first line is "\r" alone (bytes 0-1); the rows after it have one comma each
    assert _fields_agree(b"\r\na,b\r\n1,2\r\n", ",") is True


def test_a_one_byte_first_line_is_compared() -> None:
    # header "a" has no comma, the row "1,2" has one: they disagree
    assert _fields_agree(b"a\n1,2\n", ",") is False


def test_tab_separated_lines_are_counted_by_tab() -> None:
    # one tab on each line; the commas inside "x,y" are text
    assert _fields_agree(b"a\tb\nx,y\t2\n", "\t") is True
    assert _fields_agree(b"a\tb\nx\ty\t2\n", "\t") is False


def test_blank_lines_raise_no_numpy_warning() -> None:
    # a blank line has zero width; nothing along the way may divide by it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _fields_agree(b"a,b\n\n1,2\n\n", ",") is True


@pytest.mark.parametrize("data", [b"a,b\n1,2\n", b"a,b\r\n1,2\r\n", b"a,b\n1,2"])
def test_agreeing_files_agree_whatever_the_line_ends(data: bytes) -> None:
    assert _fields_agree(data, ",") is True
