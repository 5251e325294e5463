"""Outputs that are safe to open: cells, text and files.

Model ids, provider names and benchmark headers come from logs other people wrote, so every
writer treats them as hostile: a spreadsheet must not run a CSV cell, a Markdown table must keep
one row per model, a terminal must not obey escape codes, and a file or folder appears whole
or not at all (a failure halfway never leaves a half-written result behind).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: First characters a spreadsheet reads as the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: C0 and C1 control characters and DEL; newline and tab are handled by the caller's context.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class OutputPathError(ValueError):
    """An output path that cannot be written (a folder, the input itself, a missing parent)."""

    def __str__(self) -> str:
        return terminal_safe(super().__str__())


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'``.

    Numbers (and text that is a plain number, such as ``-0.5``) stay as they are. Text that
    already starts with ``'`` gets one more, so dropping one leading ``'`` always gives the
    original back.
    """
    if not isinstance(value, str) or not value.startswith((*_FORMULA_START, "'")):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header made safe for spreadsheets."""
    out = df.rename(columns={c: csv_cell(c) for c in df.columns})
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    return out


def csv_text(df: pd.DataFrame, **to_csv: object) -> str:
    """The frame as CSV text, made safe (:func:`csv_safe`) and readable back cell for cell.

    Python's CSV writer quotes a cell only for the characters of the line ending, so a bare
    carriage return inside a name would split its row on reading; such a table is written
    with CRLF line endings (RFC 4180), which makes the writer quote those cells.
    """
    safe = csv_safe(df)
    text_cols = [c for c in safe.columns if safe[c].dtype == object
                 or pd.api.types.is_string_dtype(safe[c])]
    has_cr = any("\r" in str(c) for c in safe.columns) or any(
        safe[c].map(lambda v: isinstance(v, str) and "\r" in v).any() for c in text_cols)
    return safe.to_csv(index=False, lineterminator="\r\n" if has_cr else "\n",
                       **to_csv)  # type: ignore[arg-type]


def markdown_cell(value: object) -> str:
    """Text for a Markdown table cell: HTML escaped, ``|`` escaped, line breaks as ``<br>``."""
    text = html.escape(str(value), quote=False).replace("|", "\\|")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return _CONTROL.sub(" ", text)


def markdown_text(value: object) -> str:
    """Free Markdown text (titles, notes): HTML escaped, on one line."""
    text = html.escape(str(value), quote=False)
    return " ".join(_CONTROL.sub(" ", text).split())


def plain_label(value: object) -> str:
    """A chart label: one line, no control characters (math text is switched off elsewhere)."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def terminal_safe(value: object) -> str:
    """Text for the terminal: control characters (ANSI escapes, newlines) shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_output_file(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse, before any work, an output file that is a folder, an input, or has no parent."""
    out = Path(out)
    if out.is_dir():
        raise OutputPathError(f"{out}: is a folder; give a file name for the output")
    if not out.parent.is_dir():
        raise OutputPathError(f"{out}: the folder {out.parent} does not exist; create it first")
    for p in map(Path, inputs):
        if _same(out, p):
            raise OutputPathError(f"{out}: is also an input; writing there would replace "
                                  "it; choose another output path")
    return out


def check_output_dir(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse, before any work, an output folder that is an existing file or an input.

    Missing parent folders are fine: they are created when the output is written.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"{out}: is an existing file; give a folder for the outputs")
    for p in map(Path, inputs):
        if _same(out, p):
            raise OutputPathError(f"{out}: is also an input; choose another output folder")
    blocking = next((a for a in out.parents if a.exists() and not a.is_dir()), None)
    if blocking is not None:
        raise OutputPathError(f"{out}: {blocking} is a file, so the folder cannot be created")
    return out


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write a text file through a temporary file in the same folder and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def staged_dir(out: str | Path) -> Iterator[Path]:
    """A temporary folder beside ``out`` whose files move into ``out`` only on success.

    Files already in ``out`` that the block did not write are left alone; if the block raises,
    nothing in ``out`` changes and the temporary folder is removed.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial-"))
    try:
        yield tmp
        out.mkdir(exist_ok=True)
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def json_safe(value: Any) -> Any:
    """One cell as a strict JSON value: NaN, infinities and NA → None, numpy → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def json_ready(obj: Any) -> Any:
    """Nested dicts and lists as strict JSON values (string keys, cells by :func:`json_safe`)."""
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    return json_safe(obj)
