"""Add Π columns to a leaderboard someone already has (an MMLU table, a team dashboard export).

Existing tables spell model ids their own way (``Llama-3.1-70B-Instruct`` vs
``meta-llama/llama-3.1-70b-instruct``), so rows are matched in stages: exact id, then an id
normalised to lower-case letters and digits, then the part after the last ``/`` when that is
unambiguous. Every row of the table is kept; rows that match nothing are reported with the
closest Π ids so the user can fix the spelling instead of losing the row silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..model_ids import match_ids, normalise_id
from ..responses import ResponseTableError
from .model import Leaderboard

__all__ = ["MergeReport", "match_ids", "merge_into", "normalise_id", "read_table"]


@dataclass
class MergeReport:
    """What matched how, and what did not match at all."""

    matched: dict[str, tuple[str, str]] = field(default_factory=dict)  # row id -> (Π id, how)
    unmatched_rows: dict[str, list[str]] = field(default_factory=dict)  # row id -> closest
    unused_models: list[str] = field(default_factory=list)  # Π models no row took

    def lines(self) -> list[str]:
        out = [f"matched {len(self.matched)} row(s)"]
        fuzzy = {k: v for k, v in self.matched.items() if v[1] != "exact"}
        out += [f"  {k!r} -> {v[0]!r} ({v[1]})" for k, v in sorted(fuzzy.items())]
        if self.unmatched_rows:
            out.append(f"{len(self.unmatched_rows)} row(s) matched no scored model "
                       "(kept, Π left empty):")
            for k, close in sorted(self.unmatched_rows.items()):
                hint = f"closest: {', '.join(close)}" if close else "no close id"
                out.append(f"  {k!r}: {hint}")
        if self.unused_models:
            out.append("scored model(s) not in the table: " + ", ".join(self.unused_models))
        return out


def pi_columns(board: Leaderboard) -> list[str]:
    """The columns merge adds: every Π with its interval, the rank, and the parse rate."""
    cols = []
    for m in board.methods:
        cols += [c for c in (m.column, m.lo, m.hi) if c in board.table.columns]
    cols += [c for c in ("rank", "parse_rate", "refusal_rate") if c in board.table.columns]
    return cols


def merge_into(table: pd.DataFrame, board: Leaderboard, on: str
               ) -> tuple[pd.DataFrame, MergeReport]:
    """The table with Π columns appended (row order and every row kept) and a report."""
    if on not in table.columns:
        raise KeyError(f"column {on!r} not in the table; columns are {list(table.columns)}")
    models = [str(m) for m in board.table["model"]]
    ids = [str(v) for v in table[on].dropna().unique()]
    matched, unmatched = match_ids(ids, models)
    add = pi_columns(board)
    src = board.table.set_index(board.table["model"].astype(str))[add]
    clash = [c for c in add if c in table.columns]
    names = {c: (f"pinocchio_{c}" if c in clash or c == "rank" else c) for c in add}
    key = table[on].astype(str).map(lambda v: matched.get(v, (None,))[0])
    out = table.copy()
    for c in add:
        out[names[c]] = key.map(src[c])
    used = {v[0] for v in matched.values()}
    report = MergeReport(matched=matched, unmatched_rows=unmatched,
                         unused_models=[m for m in models if m not in used])
    return out, report


def read_table(path: str | Path) -> pd.DataFrame:
    """An existing leaderboard as CSV (or TSV by extension)."""
    path = Path(path)
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    try:
        return pd.read_csv(path, sep=sep)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = " ".join(str(exc).split())
        raise ResponseTableError(f"{path}: cannot read as a table ({first}); give a UTF-8 "
                                 "CSV or TSV file") from None
