"""Fixed factor counts per questionnaire, read from a table shaped like the paper's summary.

Parallel analysis compares eigenvalues with random draws, so two runs (or two machines) can
disagree on a questionnaire's number of factors, and with it on the first factor. To reproduce a
published factor solution, pass its counts instead: a CSV with the columns ``questionnaire``,
``condition``, ``method`` and ``n_factors`` (the shape of the authors' ``summary.csv``); the
rows of the neutral condition are used, as the axis is fitted on neutral answers only.
See docs/methods.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..responses import ResponseTableError

FACTOR_COLUMNS = ("questionnaire", "condition", "method", "n_factors")


def read_factors(path: str | Path, condition: str = "neutral") -> dict[str, int]:
    """Questionnaire → number of factors for ``condition``; a one-line error for a bad file."""
    path = Path(path)
    if not path.is_file():
        raise ResponseTableError(f"{path}: no such factors file")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ResponseTableError(f"{path}: cannot read the factors table: {exc}") from None
    missing = [c for c in FACTOR_COLUMNS if c not in df.columns]
    if missing:
        raise ResponseTableError(f"{path}: factors table lacks column(s) {missing}; it needs "
                                 f"{list(FACTOR_COLUMNS)} (the shape of the paper's summary.csv)")
    rows = df[df["condition"].astype(str) == condition]
    if rows.empty:
        raise ResponseTableError(f"{path}: no rows for the {condition} condition")
    k = pd.to_numeric(rows["n_factors"], errors="coerce")
    bad = k.isna() | (k % 1 != 0) | (k < 1)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ResponseTableError(
            f"{path}: row {int(rows.index[i]) + 2} ({rows['questionnaire'].iloc[i]!r}) has "
            f"n_factors {rows['n_factors'].iloc[i]!r}; it must be a whole number >= 1")
    dup = rows["questionnaire"].duplicated()
    if dup.any():
        raise ResponseTableError(f"{path}: questionnaire {rows['questionnaire'][dup].iloc[0]!r} "
                                 f"has more than one {condition} row")
    return dict(zip(rows["questionnaire"].astype(str), k.astype(int), strict=True))


def unused_note(factors: dict[str, int] | None, names: set[str]) -> str | None:
    """A note naming the factors table's questionnaires that the input does not have."""
    unused = sorted(set(factors or {}) - names)
    if not unused:
        return None
    shown = ", ".join(unused[:5]) + (" …" if len(unused) > 5 else "")
    return f"factors table: {len(unused)} questionnaire(s) not in the input: {shown}"
