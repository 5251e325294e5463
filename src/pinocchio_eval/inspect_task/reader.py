"""Inspect logs → Pinocchio response rows and other tasks' headline scores, via ``inspect_ai.log``.

One reader for everything in an Inspect log folder: a log of the ``pinocchio`` task gives one
row per answered prompt (each epoch is a row; the scorer averages repeats later); a log of any
other task gives its first scorer's first metric (Inspect's own ordering) with its stderr, for
the leaderboard's extra columns. Accepts ``.eval`` and ``.json`` logs, single files or folders
(searched recursively), from any number of models. Which run of a task counts is decided by
:func:`pinocchio_eval.readers.runs.select_runs`; the model id is the one Inspect recorded.

A log that cannot be read raises :class:`InspectLogError` naming the file: a silent zero would
be worse. What was extracted from each log is cached (:mod:`pinocchio_eval.readers.cache`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..parsing import parse_answer
from ..readers import Reader, register_reader
from ..readers.cache import extract_many
from ..readers.runs import BenchmarkScore, RunPart, select_runs
from ..responses import COLUMNS, ResponseTableError, validate_response_table

if TYPE_CHECKING:  # Inspect is imported only when a log must actually be parsed
    from inspect_ai.log import EvalLog, EvalSample

_NEEDED = ("questionnaire", "item_index", "condition")
_SKIP_FIELDS = {"messages", "events", "store", "attachments"}
_ZIP_MAGIC = b"PK\x03\x04"


class InspectLogError(ResponseTableError):
    """An Inspect log is missing, truncated or corrupt; the message names the file."""


def _looks_like_json_log(path: Path) -> bool:
    """An Inspect JSON log opens with its ``version`` field; other JSON files do not."""
    try:
        with path.open("rb") as fh:
            head = fh.read(256).lstrip()
    except OSError:
        return False
    return head.startswith(b"{") and head[1:].lstrip().startswith(b'"version"')


def _is_lmeval_file(path: Path) -> bool:
    return path.name.startswith(("results", "samples_"))


def log_files(path: Path) -> list[Path]:
    """Inspect logs at or under ``path``: ``.eval`` archives and JSON logs.

    A JSON file named directly is taken as a log (and reading it says if it is not one); in a
    folder only JSON files that open like an Inspect log are, as folders hold other JSON too.
    """
    if path.is_file():
        if path.suffix == ".eval":
            return [path]
        if path.suffix == ".json" and not _is_lmeval_file(path):
            return [path]
        return []
    if not path.is_dir():
        return []
    found = [p for p in path.rglob("*") if p.is_file() and (
        p.suffix == ".eval" or (p.suffix == ".json" and not _is_lmeval_file(p)
                                and _looks_like_json_log(p)))]
    return sorted(found)


def _check_kind(path: Path) -> None:
    """A clear word for a file that is not an Inspect log at all (not 'corrupt')."""
    with path.open("rb") as fh:
        head = fh.read(256)
    if path.suffix == ".eval" and not head.startswith(_ZIP_MAGIC):
        raise InspectLogError(f"{path}: not an Inspect log (an .eval log is a zip archive); "
                              "remove it from the inputs or re-run the evaluation")
    if path.suffix == ".json" and not _looks_like_json_log(path):
        raise InspectLogError(f"{path}: a JSON file but not an Inspect log (no 'version' "
                              "field at the start) nor an lm-eval results file; remove it "
                              "from the inputs")


def read_eval_log(path: str, **options: Any) -> EvalLog:
    """Inspect's own log reader, imported on first use."""
    try:
        from inspect_ai.log import read_eval_log as inspect_read  # lazy: optional (inspect_ai)
    except ImportError as exc:
        raise InspectLogError(f"{path}: reading Inspect logs needs inspect-ai: "
                              "pip install 'pinocchio-eval[inspect]'") from exc
    return inspect_read(path, **options)


def _read(path: Path, header_only: bool) -> EvalLog:
    try:
        return read_eval_log(str(path), header_only=header_only, exclude_fields=_SKIP_FIELDS)
    except InspectLogError:
        raise
    except Exception as exc:  # zip, JSON and validation errors all mean the same to the user
        first = " ".join(str(exc).split())[:200]
        raise InspectLogError(
            f"{path}: cannot read this Inspect log ({type(exc).__name__}: {first}). "
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
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _row(sample: EvalSample) -> dict[str, Any] | None:
    meta = sample.metadata or {}
    if any(k not in meta for k in _NEEDED):
        return None
    raw = sample.output.completion if sample.output else ""
    score = _our_score(sample)
    extra: dict[str, Any] = {}
    if sample.error is not None:
        status, rating = "error", math.nan
    elif score is not None:  # the scorer's own reading; its status passes through unchanged
        smeta = score.metadata or {}
        status = smeta.get("status", "ok" if score.value.get("ok") else "unparseable")
        rating = _num(score.value.get("rating"))
        dist = smeta.get("distribution")
        if dist:
            extra = {"expected_rating": dist.get("expected"), "argmax_rating": dist.get("argmax"),
                     "probabilities": json.dumps(dist.get("probabilities")),
                     "choice_mass": dist.get("coverage")}
    else:  # scored with --no-score or by another scorer: parse here, same parser
        # lazy: optional (inspect_ai, which .scorer imports)
        from .scorer import scale_from_metadata

        parsed = parse_answer(raw, scale_from_metadata(meta))
        status = parsed.status
        rating = parsed.value if parsed.status == "ok" and parsed.value is not None else math.nan
    return {"condition": meta["condition"], "questionnaire": meta["questionnaire"],
            "item_index": int(meta["item_index"]), "item": meta.get("item"),
            "response": rating, "response_raw": raw, "status": status,
            "epoch": sample.epoch, **extra}


def _benchmark(log: EvalLog) -> dict[str, Any] | None:
    """The first scorer's first metric (and that scorer's stderr), as Inspect orders them."""
    if log.results is None or not log.results.scores:
        return None
    first = log.results.scores[0]
    metrics = [(k, m) for k, m in (first.metrics or {}).items() if k != "stderr"]
    if not metrics:
        return None
    name, metric = metrics[0]
    value = _num(metric.value)
    if math.isnan(value):
        return None
    err = first.metrics.get("stderr")
    return {"metric": name, "value": value, "stderr": _num(err.value) if err else None}


def extract_log(path: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """Header facts and Pinocchio rows of one log (rows empty for other tasks); cacheable."""
    _check_kind(path)
    header = _read(path, header_only=True)
    ev = header.eval
    facts: dict[str, Any] = {
        "task": str(ev.task).rsplit("/", 1)[-1], "model": str(ev.model),
        "task_args": json.dumps(ev.task_args or {}, sort_keys=True, default=str),
        "status": str(header.status), "created": str(ev.created),
        "pinocchio": is_pinocchio_log(header), "benchmark": None}
    if not facts["pinocchio"]:
        facts["benchmark"] = _benchmark(header)
        return facts, pd.DataFrame()
    log = _read(path, header_only=False)
    rows = [r for s in log.samples or [] if (r := _row(s)) is not None]
    return facts, pd.DataFrame(rows)


def _part(path: Path, facts: dict[str, Any], rows: pd.DataFrame) -> RunPart:
    started = facts["created"]
    # start time to the second, plus the log's own id: two runs can start in the same second
    log_id = path.stem.rsplit("_", 1)[-1][:8]
    label = f"{started[:19]} {log_id}" if started and started != "None" else path.stem
    part = RunPart(harness="inspect", task=facts["task"], model=facts["model"],
                   source=str(path), started=started, complete=facts["status"] == "success",
                   status=facts["status"], identity=facts["task_args"], run=label)
    if facts["pinocchio"] and not rows.empty:
        part.responses = rows.assign(model=facts["model"], harness="inspect",
                                     task=facts["task"], log_file=str(path),
                                     run_started=started, run=label)
    bench = facts.get("benchmark")
    if bench:
        part.benchmarks = [BenchmarkScore(
            model=facts["model"], harness="inspect", task=facts["task"],
            metric=bench["metric"], value=float(bench["value"]), source=str(path),
            run_date=started, stderr=bench.get("stderr"))]
    return part


def read_parts(files: list[Path]) -> list[RunPart]:
    """One :class:`RunPart` per log (what the dispatcher needs)."""
    return [_part(p, facts, rows)
            for p, (facts, rows) in zip(files, extract_many(files, "inspect", extract_log),
                                        strict=True)]


def read_inspect_logs(paths: str | Path | Iterable[str | Path],
                      all_runs: bool = False) -> pd.DataFrame:
    """The Pinocchio rows of Inspect logs as a validated response table.

    By default each (task, arguments, model) keeps its latest complete run; ``all_runs``
    keeps every run (see :func:`pinocchio_eval.readers.runs.select_runs`).
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    files: list[Path] = []
    for p in map(Path, items):
        if not p.exists():
            raise InspectLogError(f"{p}: no such file or folder")
        files += log_files(p)
    kept, _ = select_runs(read_parts(files), all_runs=all_runs)
    frames = [k.responses for k in kept if k.responses is not None]
    if not frames:
        raise InspectLogError(f"no pinocchio samples found in {[str(i) for i in items]}")
    df = pd.concat(frames, ignore_index=True)
    df = df[[c for c in COLUMNS if c in df.columns]]
    return validate_response_table(df, source=", ".join(map(str, items)))


register_reader(Reader("inspect", log_files, read_parts))
