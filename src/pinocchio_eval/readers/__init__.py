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

from ..responses import ResponseTableError, read_response_table

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".tsv")


@dataclass(frozen=True)
class Reader:
    name: str
    detect: Callable[[Path], bool]
    read: Callable[[Path], pd.DataFrame]


def _is_table(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in TABLE_SUFFIXES


_READERS: list[Reader] = [Reader("response-table", _is_table, read_response_table)]


def register_reader(reader: Reader, first: bool = True) -> None:
    """Add a reader (adapters call this at import); ``first`` puts it ahead of the others."""
    global _READERS
    others = [r for r in _READERS if r.name != reader.name]
    _READERS = [reader, *others] if first else [*others, reader]


def readers() -> list[Reader]:
    return list(_READERS)


def _is_lmeval_file(path: Path) -> bool:
    return path.suffix == ".json" and path.name.startswith("results")


def _inspect_files(path: Path) -> list[Path]:
    """Inspect logs at or under ``path`` (``.eval`` archives and JSON logs)."""
    candidates = [path] if path.is_file() else sorted(path.rglob("*"))
    return [p for p in candidates if p.is_file() and (
        p.suffix == ".eval" or (p.suffix == ".json" and not _is_lmeval_file(p)
                                and "samples_" not in p.name))]


def _lmeval_files(path: Path) -> list[Path]:
    """lm-eval result files (``results_*.json``, written with ``--output_path``)."""
    candidates = [path] if path.is_file() else sorted(path.rglob("results*.json"))
    return [p for p in candidates if p.is_file() and _is_lmeval_file(p)]


def _split_variants(df: pd.DataFrame) -> pd.DataFrame:
    """Keep a model's generative and log-likelihood runs apart.

    Scored together they would count as repeated samples of one item, so where one model has
    both, its log-likelihood rows become the model ``"<name> (log-likelihood)"``.
    """
    if "variant" not in df.columns:
        return df
    both = df.groupby("model")["variant"].nunique()
    mixed = df["model"].isin(both[both > 1].index) & (df["variant"] == "loglikelihood")
    if mixed.any():
        df = df.copy()
        df.loc[mixed, "model"] = df.loc[mixed, "model"] + " (log-likelihood)"
    return df


def _is_harness_output(path: Path) -> bool:
    if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        return False
    return bool(_lmeval_files(path) or _inspect_files(path))


def _read_harness_output(path: Path) -> pd.DataFrame:
    """Inspect logs and lm-eval outputs found at ``path``; a folder may hold both."""
    frames = []
    lmeval = _lmeval_files(path)
    if lmeval:
        from ..lmeval.reader import read_lm_eval

        frames.append(_split_variants(read_lm_eval(path if path.is_dir() else lmeval)))
    if _inspect_files(path):
        try:
            from ..inspect_task.reader import read_inspect_logs
        except ImportError as exc:
            raise ResponseTableError(f"{path}: reading Inspect logs needs inspect-ai: "
                                     "pip install 'pinocchio-eval[inspect]'") from exc
        frames.append(read_inspect_logs(path))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)


_READERS.append(Reader("harness-output", _is_harness_output, _read_harness_output))


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
    frames = [load_input(p) for p in paths]
    if not frames:
        raise ResponseTableError("no input given")
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
