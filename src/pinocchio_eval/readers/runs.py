"""Runs, not files: what every harness reader hands back, and which of it is kept.

A log folder grows: a failed run and its rerun, ``inspect eval-retry``, the same task run again
next week, lm-eval's ``results_<date>.json`` piling up. Counting all of it would make a
failed run's errors and a rerun's answers "repeats" of one model. So each reader reports
:class:`RunPart` objects (one task of one run for one model) and :func:`select_runs` keeps,
per (harness, task, task arguments, model), the latest complete run, as ``inspect eval-set``
does; whatever it skips is named in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd


@dataclass(frozen=True)
class BenchmarkScore:
    """One headline number of another task (MMLU, HellaSwag, ...) for one model."""

    model: str
    harness: str          # "inspect" or "lm-eval"
    task: str
    metric: str
    value: float
    source: str           # the file it came from
    run_date: str | None = None
    stderr: float | None = None

    @property
    def column(self) -> str:
        return f"{self.task}:{self.metric}"


@dataclass
class RunPart:
    """One task of one run for one model: its Pinocchio rows and/or its headline scores."""

    harness: str
    task: str
    model: str
    source: str                           # the file it was read from
    started: str | None = None            # ISO time the run started
    complete: bool = True                 # the run finished (Inspect status "success")
    status: str = "success"
    identity: str = ""                    # task arguments: different ones = different tasks
    run: str = ""                         # the run's label (its start time, else its file)
    responses: pd.DataFrame | None = None
    benchmarks: list[BenchmarkScore] = field(default_factory=list)
    reader: str = ""                      # set by the dispatcher: which reader made it

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.harness, self.task, self.identity, self.model)


def _order(part: RunPart) -> tuple[bool, str, str]:
    return (part.complete, part.started or "", part.source)


def _relabel(part: RunPart) -> RunPart:
    """Under ``all_runs``: the model id carries the run, so runs stay separate rows."""
    model = f"{part.model} [run {part.run or part.source}]"
    rows = part.responses.assign(model=model) if part.responses is not None else None
    return replace(part, model=model, responses=rows,
                   benchmarks=[replace(b, model=model) for b in part.benchmarks])


def select_runs(parts: list[RunPart], all_runs: bool = False
                ) -> tuple[list[RunPart], list[str]]:
    """Keep the latest complete run per (harness, task, arguments, model); say what was left.

    Response tables (harness ``table``) are always kept. With ``all_runs`` every run is kept
    and where a model has several runs of one task, each of those runs becomes its own model id
    ``"<model> [run <label>]"`` so its answers are never averaged with another run's.
    """
    groups: dict[tuple[str, str, str, str], list[RunPart]] = {}
    kept: list[RunPart] = []
    for p in parts:
        if p.harness == "table":
            kept.append(p)
        else:
            groups.setdefault(p.key, []).append(p)
    notes: list[str] = []
    several: set[tuple[str, str, str, str]] = set()
    chosen: list[RunPart] = []
    for key, runs in groups.items():
        harness, task, _, model = key
        runs = sorted(runs, key=_order)
        latest = runs[-1]
        if all_runs:
            chosen += runs
            if len(runs) > 1:
                several.add(key)
                notes.append(f"{len(runs)} runs of {harness} task '{task}' for '{model}' "
                             "kept separately (--all-runs)")
            continue
        chosen.append(latest)
        if not latest.complete:
            notes.append(f"no complete run of {harness} task '{task}' for '{model}': using "
                         f"{latest.source} (status {latest.status})")
        for old in runs[:-1]:
            why = "an older run" if old.complete else f"an incomplete run ({old.status})"
            notes.append(f"skipped {old.source}: {why} of {harness} task '{task}' for "
                         f"'{model}'; the latest complete run is {latest.source} "
                         "(--all-runs keeps every run)")
    for p in chosen:
        kept.append(_relabel(p) if p.key in several else p)
    return kept, sorted(set(notes))


def drop_duplicate_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows identical in every column (a file given twice, a row pasted twice)."""
    dup = df.duplicated(keep="first")
    n = int(dup.sum())
    if not n:
        return df, []
    return df[~dup], [f"dropped {n} row(s) identical to an earlier row (same model, item, "
                      "answer and source); each answer is counted once"]
