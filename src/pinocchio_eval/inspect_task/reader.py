"""Inspect logs → the canonical response table (DESIGN.md §4), via ``inspect_ai.log``.

One row per answered prompt (each epoch is a row; the scorer averages repeats later). Accepts
``.eval`` and ``.json`` logs, single files or folders (searched recursively), from any number
of models. Logs of other tasks are skipped with a :class:`SkippedLogWarning`; a log that cannot
be read raises :class:`InspectLogError` naming the file, because a silent zero would be worse.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from inspect_ai.log import EvalLog, EvalSample, list_eval_logs, read_eval_log

from ..responses import COLUMNS, ResponseTableError, validate_response_table
from .scorer import scale_from_metadata

_NEEDED = ("questionnaire", "item_index", "condition")
_SKIP_FIELDS = {"messages", "events", "store", "attachments"}


class InspectLogError(ResponseTableError):
    """An Inspect log is missing, truncated or corrupt; the message names the file."""


class SkippedLogWarning(UserWarning):
    """A log was not read (another task, or no samples); the message says which and why."""


def _log_files(paths: str | Path | Iterable[str | Path]) -> list[str]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    files: list[str] = []
    for p in items:
        path = Path(p)
        if path.is_dir():
            found = [info.name for info in list_eval_logs(str(path), recursive=True,
                                                            descending=False)]
            if not found:
                warnings.warn(f"{path}: no Inspect logs (.eval/.json) in this folder",
                              SkippedLogWarning, stacklevel=3)
            files += found
        elif path.is_file():
            files.append(str(path))
        else:
            raise InspectLogError(f"{path}: no such file or folder")
    return files


def _display(name: str) -> str:
    return name.removeprefix("file://")


def _read(name: str, header_only: bool) -> EvalLog:
    try:
        return read_eval_log(name, header_only=header_only, exclude_fields=_SKIP_FIELDS)
    except Exception as exc:  # zip, JSON and validation errors all mean the same to the user
        raise InspectLogError(
            f"{_display(name)}: cannot read this Inspect log ({type(exc).__name__}: {exc}). "
            "The file is truncated or corrupt; re-run the evaluation or remove the file."
        ) from exc


def is_pinocchio_log(log: EvalLog) -> bool:
    """Whether a log (header is enough) comes from this package's task."""
    meta = log.eval.metadata or {}
    name = (log.eval.task_registry_name or log.eval.task or "").rsplit("/", 1)[-1]
    return bool(meta.get("pinocchio_eval")) or name.startswith("pinocchio")


def _our_score(sample: EvalSample) -> Any:
    for score in (sample.scores or {}).values():
        if isinstance(score.value, dict) and "ok" in score.value:
            return score
    return None


def _num(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return math.nan
    return v


def _row(sample: EvalSample, log: EvalLog, name: str) -> dict[str, Any] | None:
    meta = sample.metadata or {}
    if any(k not in meta for k in _NEEDED):
        return None
    raw = sample.output.completion if sample.output else ""
    score = _our_score(sample)
    extra: dict[str, Any] = {}
    if sample.error is not None:
        status, rating = "error", math.nan
    elif score is not None:
        smeta = score.metadata or {}
        status = smeta.get("status", "ok" if score.value.get("ok") else "unparseable")
        rating = _num(score.value.get("rating"))
        dist = smeta.get("distribution")
        if dist:
            extra = {"expected_rating": dist.get("expected"), "argmax_rating": dist.get("argmax"),
                     "probabilities": json.dumps(dist.get("probabilities")),
                     "choice_mass": dist.get("coverage")}
    else:  # scored with --no-score or by another scorer: parse here, same parser
        from ..parsing import parse_answer

        parsed = parse_answer(raw, scale_from_metadata(meta))
        status = parsed.status
        rating = parsed.value if parsed.status == "ok" and parsed.value is not None else math.nan
    return {
        "model": log.eval.model, "condition": meta["condition"],
        "questionnaire": meta["questionnaire"], "item_index": int(meta["item_index"]),
        "item": meta.get("item"), "response": rating, "response_raw": raw, "status": status,
        "epoch": sample.epoch, "harness": "inspect", "task": log.eval.task,
        "log_file": _display(name), "run_started": log.eval.created, **extra,
    }


def read_inspect_logs(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read Inspect logs of the ``pinocchio`` task into a validated response table."""
    rows: list[dict[str, Any]] = []
    for name in _log_files(paths):
        header = _read(name, header_only=True)
        if not is_pinocchio_log(header):
            warnings.warn(f"{_display(name)}: skipped, it is a log of task "
                          f"'{header.eval.task}', not pinocchio", SkippedLogWarning, stacklevel=2)
            continue
        log = _read(name, header_only=False)
        if log.status != "success":
            warnings.warn(f"{_display(name)}: the run ended with status '{log.status}'; "
                          f"reading the {len(log.samples or [])} samples it holds",
                          SkippedLogWarning, stacklevel=2)
        found = [r for s in log.samples or [] if (r := _row(s, log, name)) is not None]
        if not found:
            warnings.warn(f"{_display(name)}: no pinocchio samples in this log",
                          SkippedLogWarning, stacklevel=2)
        rows += found
    if not rows:
        raise InspectLogError(f"no pinocchio samples found in {paths}")
    df = pd.DataFrame(rows)
    df = df[[c for c in COLUMNS if c in df.columns]]
    return validate_response_table(df, source=str(paths))
