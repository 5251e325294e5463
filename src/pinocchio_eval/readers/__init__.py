"""Input dispatch: any supported input path → one canonical response table.

Readers are tried in order; the first whose ``detect`` accepts a path reads it. Today: CSV and
Parquet response tables. Harness adapters add theirs (Inspect log directories, lm-eval output
directories) with :func:`register_reader`, placing them before the table reader when a
directory could be mistaken for something else. Every reader returns a table that
:func:`pinocchio_eval.responses.validate_response_table` accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..responses import ResponseTableError, read_response_table, validate_response_table

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".tsv")


@dataclass(frozen=True)
class Reader:
    name: str
    detect: Callable[[Path], bool]
    read: Callable[[Path], pd.DataFrame]


def _is_table(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TABLE_SUFFIXES


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".tsv":
        try:
            df = pd.read_csv(path, sep="\t", dtype={"response": "string"})
        except pd.errors.EmptyDataError as exc:
            raise ResponseTableError(f"{path}: the file is empty") from exc
        return validate_response_table(df, source=str(path))
    return read_response_table(path)


_READERS: list[Reader] = [Reader("response-table", _is_table, _read_table)]


def register_reader(reader: Reader, first: bool = True) -> None:
    """Add a reader (adapters call this at import); ``first`` puts it ahead of the others."""
    global _READERS
    others = [r for r in _READERS if r.name != reader.name]
    _READERS = [reader, *others] if first else [*others, reader]


def readers() -> list[Reader]:
    return list(_READERS)


def _load_adapter_readers() -> None:
    """Import adapter reader modules (readers/inspect.py, readers/lmeval.py) if present."""
    import importlib

    for mod in (f"{__name__}.inspect", f"{__name__}.lmeval"):
        try:
            importlib.import_module(mod)
        except ImportError:
            pass


def load_input(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise ResponseTableError(f"{path}: no such file or directory")
    for reader in _READERS:
        if reader.detect(path):
            df = reader.read(path)
            if df.empty:
                raise ResponseTableError(f"{path}: no responses found")
            return df
    known = ", ".join(r.name for r in _READERS)
    raise ResponseTableError(f"{path}: not a recognised input (readers: {known}); give a "
                             f"response table ({', '.join(TABLE_SUFFIXES)})")


def load_inputs(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Read every input (auto-detected) and stack them into one response table."""
    _load_adapter_readers()
    frames = [load_input(p) for p in paths]
    if not frames:
        raise ResponseTableError("no input given")
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
