"""Input dispatch: files and folders → responses, other tasks' scores, and notes.

Each harness adapter registers one :class:`Reader` (``inspect_task/reader.py``,
``lmeval/reader.py``); response tables are read here. A reader says which files at or under a
path are its own and turns them into :class:`RunPart` objects: one task of one run for one
model, with its Pinocchio rows and/or its headline scores. This module only dispatches, then
applies the rules every harness shares (see :mod:`pinocchio_eval.readers.runs`): each
(harness, task, model) keeps its latest complete run unless ``all_runs``; a file reached twice
is read once; identical rows are dropped; every skip is said in the notes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..responses import (
    COLUMNS,
    ResponseTableError,
    check_items,
    read_response_table,
    validate_response_table,
)
from .runs import BenchmarkScore, RunPart, drop_duplicate_rows, select_runs

__all__ = ["BenchmarkScore", "Inputs", "Reader", "RunPart", "load_inputs", "read_inputs",
           "register_reader", "readers"]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".tsv")

#: Harness adapters loaded on first use; each calls :func:`register_reader` at import.
_ADAPTERS = {"inspect": "pinocchio_eval.inspect_task.reader",
             "lm-eval": "pinocchio_eval.lmeval.reader"}
#: What to install when an adapter's harness is missing.
_EXTRAS = {"inspect": "pip install 'pinocchio-eval[inspect]'"}


@dataclass(frozen=True)
class Reader:
    """One input format: which files are its own, and how to read a batch of them."""

    name: str
    files: Callable[[Path], list[Path]]
    read: Callable[[list[Path]], list[RunPart]]
    #: Applied to this reader's kept rows after run selection (e.g. lm-eval's de-duplication).
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None


@dataclass
class Inputs:
    """Everything read from the inputs: the response table, other tasks' scores, notes."""

    responses: pd.DataFrame
    benchmarks: list[BenchmarkScore] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _table_files(path: Path) -> list[Path]:
    return [path] if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES else []


def _read_tables(files: list[Path]) -> list[RunPart]:
    return [RunPart(harness="table", task="", model="", source=str(f),
                    responses=read_response_table(f)) for f in files]


_READERS: list[Reader] = [Reader("response-table", _table_files, _read_tables)]


def register_reader(reader: Reader) -> None:
    """Add (or replace, by name) a reader; adapters call this when they are imported."""
    global _READERS
    _READERS = [r for r in _READERS if r.name != reader.name] + [reader]


def _load_adapters() -> dict[str, str]:
    """Import the harness adapters; returns harness → reason for those that cannot load."""
    missing = {}
    for name, module in _ADAPTERS.items():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            missing[name] = f"{exc}; {_EXTRAS.get(name, 'install its extra')}"
    return missing


def readers() -> list[Reader]:
    _load_adapters()
    return list(_READERS)


def _claim(paths: Sequence[Path], missing: dict[str, str]) -> dict[str, list[Path]]:
    """reader name → its files (resolved, each once, in a stable order)."""
    claimed: dict[str, list[Path]] = {}
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise ResponseTableError(f"{path}: no such file or folder")
        found = False
        for reader in _READERS:
            for f in reader.files(path):
                found = True
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    claimed.setdefault(reader.name, []).append(f)
        if not found:
            hint = "".join(f"; {k} support is not installed ({v})" for k, v in missing.items())
            raise ResponseTableError(
                f"{path}: not a recognised input: give a response table "
                f"({', '.join(TABLE_SUFFIXES)}), an Inspect log or folder of logs, or an "
                f"lm-eval output folder{hint}")
    return claimed


def read_inputs(paths: Iterable[str | Path], all_runs: bool = False,
                drop_unknown_items: bool = False) -> Inputs:
    """Read every input (auto-detected) into one response table plus other tasks' scores.

    ``all_runs`` keeps every run of a task instead of the latest complete one, labelling them;
    ``drop_unknown_items`` drops rows whose item the instrument does not have (with a note)
    instead of refusing the input.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ResponseTableError("no input given")
    # response tables need no harness: import the adapters only for other inputs
    missing = {} if all(_table_files(p) for p in paths) else _load_adapters()
    parts: list[RunPart] = []
    for name, files in _claim(paths, missing).items():
        reader = next(r for r in _READERS if r.name == name)
        parts += [replace(p, reader=name) for p in reader.read(files)]
    kept, notes = select_runs(parts, all_runs=all_runs)
    benchmarks = [b for p in kept for b in p.benchmarks]
    for p in kept:
        if p.responses is not None and not p.responses.empty:
            p.responses, dropped = check_items(p.responses, drop_unknown_items, p.source)
            notes += dropped
    frames = []
    for reader in _READERS:
        mine = [p.responses for p in kept if p.reader == reader.name
                and p.responses is not None and not p.responses.empty]
        if not mine:
            continue
        rows = mine[0] if len(mine) == 1 else pd.concat(mine, ignore_index=True, sort=False)
        if reader.finish:
            rows = reader.finish(rows)
        if reader.name != "response-table":  # tables were validated as they were read
            rows = validate_response_table(rows, source=f"{reader.name} inputs")
        frames.append(rows)
    if not frames:
        return Inputs(pd.DataFrame(), benchmarks, notes)
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
    df = df[[c for c in COLUMNS if c in df.columns]
            + [c for c in df.columns if c not in COLUMNS]]
    df, dup_note = drop_duplicate_rows(df)
    return Inputs(df.reset_index(drop=True), benchmarks, notes + dup_note)


def load_inputs(paths: Iterable[str | Path], **options: bool) -> pd.DataFrame:
    """The response table alone (see :func:`read_inputs`); an error if it has no rows."""
    paths = list(paths)
    got = read_inputs(paths, **options)
    if got.responses.empty:
        raise ResponseTableError(f"no Pinocchio responses found in {[str(p) for p in paths]}")
    return got.responses
