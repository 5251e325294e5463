"""The canonical response table: the one format between harness readers and the scorer.

Long format, one row per answered prompt. The first six columns are the paper authors' own
schema (``results_clean.csv``), so their data scores directly; the rest are optional extras
that readers fill when they know them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .battery import UnknownQuestionnaireError, get_battery
from .outputs import terminal_safe

#: The authors' schema; ``item`` and ``response_raw`` may be absent on input.
REQUIRED_COLUMNS = ["model", "condition", "questionnaire", "item_index", "response"]
CORE_COLUMNS = ["model", "condition", "questionnaire", "item_index", "item", "response"]
#: Optional columns with their meaning; readers fill what they can.
OPTIONAL_COLUMNS = {
    "response_raw": "the model's text before parsing",
    "status": "parse status: ok, refusal, unparseable, out_of_range, empty, ambiguous; "
              "probability when read from probabilities (no_scale_mass when none on the scale)",
    "epoch": "repeat number (1-based) when an item was asked several times",
    "expected_rating": "probability-weighted rating from log-probabilities, if available",
    "argmax_rating": "most probable scale value from log-probabilities, if available",
    "probabilities": "JSON object value -> probability over the scale, if available",
    "choice_mass": "probability on the scale's values before renormalising, if available",
    "harness": "inspect or lm-eval",
    "task": "harness task name",
    "log_file": "the log the row was read from",
    "run_started": "ISO time the run started",
    "run": "label of the run (its start time) the row came from",
}
COLUMNS = CORE_COLUMNS + list(OPTIONAL_COLUMNS)


#: Largest item index accepted before looking at the battery (no instrument is longer).
MAX_ITEM_INDEX = 100_000
_BOOL_TEXT = {"true", "false"}


class ResponseTableError(ValueError):
    """The table cannot be used; the message says which file, row or column and what to do.

    The message is one line with control characters escaped: it quotes names from files other
    people wrote, and a terminal must not obey an escape code hidden in a model id.
    """

    def __str__(self) -> str:
        return terminal_safe(super().__str__())


def _where(out: pd.DataFrame, mask: pd.Series, first_line: int | None) -> str:
    """The first offending row as people find it: the file's line for CSV, else the row."""
    pos = int(mask.to_numpy().argmax())
    if first_line is not None:
        return f"line {pos + first_line}"
    return f"row {pos + 1}"


def _shown(value: object) -> str:
    """A cell value for a message (plain Python repr, never ``np.int64(-1)``)."""
    return repr(value.item() if hasattr(value, "item") else value)


def _boolean_cells(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(raw):
        return pd.Series(True, index=raw.index)
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
        return pd.Series(False, index=raw.index)
    return raw.map(lambda v: isinstance(v, bool) or (
        isinstance(v, str) and v.strip().casefold() in _BOOL_TEXT)).astype(bool)


def item_indices(df: pd.DataFrame, source: str = "responses",
                 first_line: int | None = None) -> pd.Series:
    """The ``item_index`` column as int64, refused in one line unless every value is a whole
    number from 0 to :data:`MAX_ITEM_INDEX` (scoring keys items by it: a negative index
    would be filed under another questionnaire)."""
    idx = pd.to_numeric(df["item_index"], errors="coerce")
    bad = idx.isna() | (idx % 1 != 0) | (idx < 0) | (idx > MAX_ITEM_INDEX)
    if bad.any():
        value = df["item_index"].iloc[int(bad.to_numpy().argmax())]
        raise ResponseTableError(f"{source}: {_where(df, bad, first_line)} has item_index "
                                 f"{_shown(value)}; it must be a whole number from 0 to "
                                 f"{MAX_ITEM_INDEX} (the item's 0-based position)")
    return idx.astype("int64")


def validate_response_table(df: pd.DataFrame, source: str = "response table",
                            first_line: int | None = None) -> pd.DataFrame:
    """Check required columns and types; return a copy with canonical dtypes.

    ``response`` is coerced to numbers; text that is not a number becomes missing here and is
    kept in ``response_raw``, where the scorer runs it through the answer parser. A boolean
    response is refused: True/False would silently become 1/0, which inverts Yes/No scales.
    ``first_line`` is the file line of the first row (CSV), so messages can point at it.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ResponseTableError(
            f"{source}: missing column(s) {missing}; a response table needs {REQUIRED_COLUMNS} "
            f"(found {list(df.columns)})")
    if df.empty:
        raise ResponseTableError(f"{source}: the table has no rows")
    out = df.copy()
    for col in ("model", "condition", "questionnaire"):
        if out[col].isna().any():
            raise ResponseTableError(f"{source}: {_where(out, out[col].isna(), first_line)} "
                                     f"has no '{col}'; fill it in or remove the row")
        out[col] = out[col].astype(str)
    out["item_index"] = item_indices(out, source, first_line)
    raw = out["response"]
    if "response_raw" in out.columns:
        mark_unread(out)
    booleans = _boolean_cells(raw)
    if booleans.any():
        value = raw.iloc[int(booleans.to_numpy().argmax())]
        raise ResponseTableError(
            f"{source}: column 'response', {_where(out, booleans, first_line)} holds the "
            f"boolean {_shown(value)}; write the scale value (e.g. 1 for Yes, 2 for No as the "
            "questionnaire numbers them) or the answer text")
    if pd.api.types.is_numeric_dtype(raw):
        # all numbers already: nothing to parse, and the raw text would only repeat them
        out["response"] = raw.astype(float)
        if "response_raw" not in out.columns:
            out["response_raw"] = pd.Series(pd.NA, index=out.index, dtype="string")
    else:
        out["response"] = pd.to_numeric(raw, errors="coerce").astype(float)
        if "response_raw" not in out.columns:
            out["response_raw"] = raw.astype("string")
        else:  # a text answer in `response` ("Agree") is the one to parse, not the raw output
            text = raw.notna() & out["response"].isna() & (raw.astype("string").str.strip()
                                                           != "").fillna(False)
            out["response_raw"] = out["response_raw"].astype("string")
            out.loc[text, "response_raw"] = raw[text].astype("string")
    if "item" not in out.columns:
        out["item"] = pd.NA
    return out


def mark_unread(df: pd.DataFrame) -> None:
    """An empty ``response`` beside a given ``response_raw`` is the table's verdict: unread.

    The table's producer saw the raw text and left the rating empty (the authors' table does
    this for answers their parser rejected), so such rows get status ``unparseable`` where no
    status is given, and the scorer re-parses them only when asked to (``--reparse``).
    """
    cell = df["response"]
    empty = cell.isna() | (cell.astype("string").str.strip() == "").fillna(True)
    if "status" not in df.columns:
        df["status"] = pd.Series(pd.NA, index=df.index, dtype=object)
    df.loc[empty.to_numpy(dtype=bool) & df["status"].isna().to_numpy(), "status"] = "unparseable"


def check_items(df: pd.DataFrame, drop: bool = False, source: str = "input"
                ) -> tuple[pd.DataFrame, list[str]]:
    """Refuse (or with ``drop``, drop with a note) items their instrument does not have.

    Only questionnaires the battery knows are checked; an unknown name is the scorer's to
    report. Excluded items stay valid: the authors' data holds them.
    """
    battery = get_battery()
    notes: list[str] = []
    keep = pd.Series(True, index=df.index)
    for name, idx in df.groupby("questionnaire", sort=True)["item_index"]:
        try:
            inst = battery.get(str(name))
        except UnknownQuestionnaireError:
            continue
        valid = {it.index for it in inst.items}
        bad = ~idx.isin(valid)
        if not bad.any():
            continue
        values = sorted(set(idx[bad].tolist()))
        where = f"{int(bad.sum())} row(s) of '{name}' have item_index {values[:5]}" + (
            " ..." if len(values) > 5 else "")
        what = f"'{inst.name}' has items 0 to {max(valid)}"
        if not drop:
            raise ResponseTableError(f"{source}: {where}; {what}. Fix the indices, or pass "
                                     "--drop-unknown-items to leave those rows out")
        keep &= ~df.index.isin(bad[bad].index)
        notes.append(f"{source}: dropped {where}: {what} (--drop-unknown-items)")
    return (df[keep] if not keep.all() else df), notes


def _fields_agree(data: bytes, sep: str) -> bool:
    """Fast path: a file without quotes has the header's field count on every non-blank line.

    Counts separators per line with numpy; a file with quotes (a text holding the separator
    or a line break) or with lone carriage returns as line ends returns False and is checked
    field by field instead.
    """
    if not data or b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return False  # a lone CR ends a row for pandas (old Mac files): count with csv
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    if not len(ends) or ends[-1] != len(raw) - 1:
        ends = np.append(ends, len(raw))
    starts = np.concatenate(([0], ends[:-1] + 1))
    width = ends - starts - (raw[np.maximum(ends - 1, 0)] == 13) * (ends > starts)
    seps = np.bincount(np.searchsorted(ends, np.flatnonzero(raw == ord(sep))),
                       minlength=len(ends))
    used = width > 0
    return bool(used.any() and (seps[used] == seps[used][0]).all())


def _check_fields(path: Path, sep: str) -> None:
    """Every line must have as many fields as the header, and every header a name.

    pandas would silently pad a short row with blanks or, when every row has one field more
    than the header (trailing commas), shift the columns by one.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:  # decoded whole here, so the offset is the file's
        line = data.count(b"\n", 0, exc.start) + 1
        raise ResponseTableError(f"{path}: line {line}: not UTF-8 text (byte {exc.start}); "
                                 "save the table as UTF-8 CSV") from exc
    first = text.split("\n", 1)[0]
    if _fields_agree(data, sep) and all(h.strip() for h in first.rstrip("\r").split(sep)):
        return
    # a quoted cell (a long raw answer) may be as long as the file: the csv module's default
    # limit of 131,072 characters would refuse a table pandas reads; the limit only ever rises
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    with io.StringIO(text, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        header = next(reader, None)
        if header is None:
            return
        empty = [i + 1 for i, h in enumerate(header) if not h.strip()]
        if empty:
            raise ResponseTableError(
                f"{path}: line 1: header field {empty[0]} has no name (a trailing comma?); "
                "remove it or name the column")
        for row in reader:
            if row and len(row) != len(header):
                raise ResponseTableError(
                    f"{path}: line {reader.line_num} has {len(row)} fields, the header has "
                    f"{len(header)} (a trailing or unquoted comma?); fix that line")


def read_response_table(path: str | Path) -> pd.DataFrame:
    """Read a response table from CSV, TSV or Parquet and validate it."""
    path = Path(path)
    if not path.exists():
        raise ResponseTableError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:
            # "response" keeps pandas' own inference: numbers stay numbers (fast), a column
            # with any text comes back as text and is parsed in validation and scoring.
            sep = "\t" if path.suffix.lower() == ".tsv" else ","
            _check_fields(path, sep)
            df = pd.read_csv(path, sep=sep, dtype={"response_raw": "string"})
    except ResponseTableError:
        raise  # already one line naming the file
    except pd.errors.EmptyDataError as exc:
        raise ResponseTableError(f"{path}: the file is empty") from exc
    except (pd.errors.ParserError, csv.Error, OSError, ValueError) as exc:
        first = " ".join(str(exc).split())
        raise ResponseTableError(f"{path}: cannot read as a table: {first}") from exc
    is_csv = path.suffix.lower() not in (".parquet", ".pq")
    return validate_response_table(df, source=str(path), first_line=2 if is_csv else None)


def write_response_table(df: pd.DataFrame, path: str | Path) -> None:
    path = Path(path)
    cols = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns if c not in COLUMNS]
    if path.suffix.lower() in (".parquet", ".pq"):
        df[cols].to_parquet(path, index=False)
    else:
        df[cols].to_csv(path, index=False)
