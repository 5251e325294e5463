"""Headline scores of the *other* tasks found next to the Pinocchio runs.

A user who runs ``inspect eval-set pinocchio_eval/pinocchio mmlu`` or
``lm_eval --tasks pinocchio,hellaswag`` wants one table with Π beside the standard scores, so
the leaderboard reads every non-Pinocchio task in the same inputs:

- Inspect logs: the first metric of the first scorer (Inspect's own ordering), read through
  ``inspect_ai.log`` with ``header_only`` so sample data is never loaded;
- lm-eval ``results*.json``: every metric of every task, with group aggregates used in place
  of their subtasks (an MMLU run gives one ``mmlu`` column, not 57).

Pinocchio tasks are skipped here: Π comes from the scorer, not from a harness metric.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

INSPECT_SUFFIXES = (".eval", ".json")


@dataclass(frozen=True)
class BenchmarkScore:
    """One number for one model on one other task."""

    model: str
    harness: str          # "inspect" or "lm-eval"
    task: str
    metric: str
    value: float
    source: str           # the file it came from
    run_date: str | None = None

    @property
    def column(self) -> str:
        return f"{self.task}:{self.metric}"


def is_pinocchio_task(name: str) -> bool:
    """True for the battery's own tasks in either harness (``pinocchio``, ``pinocchio_*``)."""
    return "pinocchio" in str(name).lower()


def _is_lmeval_results(path: Path) -> bool:
    return path.suffix == ".json" and path.name.startswith("results")


def _candidate_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file()
                          and f.suffix in INSPECT_SUFFIXES)
        elif p.is_file():
            out.append(p)
    return out


def _inspect_log(path: Path) -> list[BenchmarkScore]:
    try:
        from inspect_ai.log import read_eval_log
    except ImportError:  # inspect not installed: nothing of Inspect's can be here
        return []
    try:
        log = read_eval_log(str(path), header_only=True)
    except Exception:  # not an Inspect log (any JSON can sit in a folder)
        return []
    task = str(log.eval.task)
    if is_pinocchio_task(task) or log.results is None or not log.results.scores:
        return []
    first = log.results.scores[0]
    if not first.metrics:
        return []
    name, metric = next(iter(first.metrics.items()))
    value = float(metric.value)
    if math.isnan(value):
        return []
    task_name = task.split("/")[-1]
    return [BenchmarkScore(model=str(log.eval.model), harness="inspect", task=task_name,
                           metric=name,
                           value=value, source=str(path), run_date=str(log.eval.created))]


def _metric_name(key: str) -> str:
    """``acc,none`` → ``acc``; ``exact_match,strict-match`` → ``exact_match(strict-match)``."""
    metric, _, filt = key.partition(",")
    return metric if filt in ("", "none") else f"{metric}({filt})"


def _skipped_subtasks(doc: dict) -> set[str]:
    """Subtasks whose group aggregate is also reported (show the group, not each part)."""
    results = doc.get("results", {})
    skip: set[str] = set()
    for group, subs in (doc.get("group_subtasks") or {}).items():
        if group in results or is_pinocchio_task(group):
            skip.update(subs)
    return skip


def lmeval_model_id(doc: dict) -> str:
    """The model as lm-eval recorded it (``model_name``; else ``pretrained=``/``model=``)."""
    if doc.get("model_name"):
        return str(doc["model_name"])
    args = (doc.get("config") or {}).get("model_args") or ""
    if isinstance(args, dict):
        for k in ("pretrained", "model", "path"):
            if k in args:
                return str(args[k])
    for part in str(args).split(","):
        k, _, v = part.partition("=")
        if k.strip() in ("pretrained", "model", "path") and v:
            return v.strip()
    return str((doc.get("config") or {}).get("model") or "unknown")


def _lmeval_results(path: Path) -> list[BenchmarkScore]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, dict):
        return []
    model = lmeval_model_id(doc)
    date = doc.get("date")
    run_date = (datetime.fromtimestamp(float(date), tz=timezone.utc).isoformat()
                if isinstance(date, (int, float)) else None)
    skip = _skipped_subtasks(doc)
    out = []
    for task, metrics in results.items():
        if is_pinocchio_task(task) or task in skip or not isinstance(metrics, dict):
            continue
        for key, value in metrics.items():
            if "_stderr" in key or key == "alias" or not isinstance(value, (int, float)):
                continue
            if isinstance(value, bool) or math.isnan(float(value)):
                continue
            out.append(BenchmarkScore(model=model, harness="lm-eval", task=task,
                                      metric=_metric_name(key), value=float(value),
                                      source=str(path), run_date=run_date))
    return out


def find_benchmarks(paths: Iterable[str | Path]) -> list[BenchmarkScore]:
    """Every other task's headline score in the given files and folders."""
    found: list[BenchmarkScore] = []
    for f in _candidate_files(paths):
        if _is_lmeval_results(f):
            found += _lmeval_results(f)
        elif f.suffix in INSPECT_SUFFIXES:
            found += _inspect_log(f)
    return found


def benchmark_frame(scores: list[BenchmarkScore]) -> pd.DataFrame:
    """Long table of the scores (one row each), for joining onto the leaderboard."""
    cols = ["model", "harness", "task", "metric", "column", "value", "source", "run_date"]
    return pd.DataFrame([{**s.__dict__, "column": s.column} for s in scores], columns=cols)
