"""The canonical response table: the one format between harness readers and the scorer.

Long format, one row per answered prompt. The first six columns are the paper authors' own
schema (``results_clean.csv``), so their data scores directly; the rest are optional extras
that readers fill when they know them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
}
COLUMNS = CORE_COLUMNS + list(OPTIONAL_COLUMNS)


class ResponseTableError(ValueError):
    """The table cannot be used; the message says which file, row or column and what to do."""


def validate_response_table(df: pd.DataFrame, source: str = "response table") -> pd.DataFrame:
    """Check required columns and types; return a copy with canonical dtypes.

    ``response`` is coerced to numbers; text that is not a number becomes missing here and is
    kept in ``response_raw``, where the scorer runs it through the answer parser.
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
            row = int(out.index[out[col].isna()][0])
            raise ResponseTableError(f"{source}: row {row} has no '{col}'")
        out[col] = out[col].astype(str)
    idx = pd.to_numeric(out["item_index"], errors="coerce")
    bad = idx.isna() | (idx % 1 != 0) | (idx < 0)
    if bad.any():
        row = int(out.index[bad][0])
        raise ResponseTableError(f"{source}: row {row} has item_index "
                                 f"{out['item_index'].iloc[int(bad.values.argmax())]!r}; "
                                 "it must be a whole number >= 0")
    out["item_index"] = idx.astype(int)
    raw = out["response"]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        # all numbers already: nothing to parse, and the raw text would only repeat them
        out["response"] = raw.astype(float)
        if "response_raw" not in out.columns:
            out["response_raw"] = pd.Series(pd.NA, index=out.index, dtype="string")
    else:
        out["response"] = pd.to_numeric(raw, errors="coerce").astype(float)
        if "response_raw" not in out.columns:
            out["response_raw"] = raw.astype("string")
    if "item" not in out.columns:
        out["item"] = pd.NA
    return out


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
            df = pd.read_csv(path, sep=sep, dtype={"response_raw": "string"})
    except pd.errors.EmptyDataError as exc:
        raise ResponseTableError(f"{path}: the file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise ResponseTableError(f"{path}: cannot read as a table: {exc}") from exc
    return validate_response_table(df, source=str(path))


def write_response_table(df: pd.DataFrame, path: str | Path) -> None:
    path = Path(path)
    cols = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns if c not in COLUMNS]
    if path.suffix.lower() in (".parquet", ".pq"):
        df[cols].to_parquet(path, index=False)
    else:
        df[cols].to_csv(path, index=False)
