"""From harness outputs to a :class:`Leaderboard`: read, score, describe, add other benchmarks.

The steps are separate functions so tests (and users with their own pipeline) can enter at any
point: a ready response table, a custom scorer, or benchmark scores from elsewhere.
"""

from __future__ import annotations

import difflib
import hashlib
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..readers import Inputs, read_inputs
from ..responses import ResponseTableError
from ..task_version import version_info
from .benchmarks import BenchmarkScore, benchmark_columns
from .merge import normalise_id
from .model import Leaderboard, finish_table
from .scores import Scorer, engine_scores


def load_responses(paths: Sequence[str | Path], all_runs: bool = False,
                   drop_unknown_items: bool = False) -> Inputs:
    """Responses, other tasks' scores and notes from Inspect logs, lm-eval outputs and tables.

    A path that holds only other benchmarks (an MMLU log next to the Pinocchio one) is not an
    error: it contributes columns, not responses. Some input must hold Pinocchio responses.
    """
    got = read_inputs(paths, all_runs=all_runs, drop_unknown_items=drop_unknown_items)
    if got.responses.empty:
        raise ResponseTableError(f"no Pinocchio responses found in {[str(p) for p in paths]}")
    return got


def response_stats(responses: pd.DataFrame) -> pd.DataFrame:
    """Per model: items answered, parse and refusal rates, conditions, harness, run date.

    Parse rate is the share of prompts with status ``ok`` (or, without a status column, with
    a numeric response); it is reported, not corrected, because a model that rarely answers
    with a number yields a Π resting on few items.
    """
    df = responses.copy()
    numeric = pd.to_numeric(df["response"], errors="coerce").notna()
    status = df["status"].astype("string") if "status" in df.columns else None
    if status is not None and status.notna().any():
        df["_ok"] = (status == "ok").fillna(numeric)
        df["_refusal"] = (status == "refusal").fillna(False)
    else:
        df["_ok"], df["_refusal"] = numeric, pd.NA
    rows = []
    for model, g in df.groupby("model", sort=True):
        answered = g.loc[pd.to_numeric(g["response"], errors="coerce").notna(),
                         ["questionnaire", "item_index"]].drop_duplicates()
        row = {"model": model, "items_answered": len(answered),
               "parse_rate": float(g["_ok"].astype(float).mean()),
               "refusal_rate": (float(g["_refusal"].astype(float).mean())
                                if g["_refusal"].notna().all() else float("nan")),
               "conditions": ",".join(sorted(g["condition"].astype(str).unique()))}
        for col, name in (("harness", "harness"), ("task", None)):
            if name and col in g.columns and g[col].notna().any():
                row[name] = ",".join(sorted(g[col].dropna().astype(str).unique()))
        if "run_started" in g.columns and g["run_started"].notna().any():
            when = pd.to_datetime(g["run_started"], errors="coerce", utc=True).max()
            row["run_date"] = when.date().isoformat() if pd.notna(when) else None
        rows.append(row)
    return pd.DataFrame(rows)


#: The engine's per-model hygiene counts; folded into rates, not shown as columns.
_COUNT_COLUMNS = ["n_rows", "n_valid", "n_refusal", "n_unparseable", "n_out_of_range",
                  "n_empty", "n_ambiguous"]


def _with_stats(scores: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """Join descriptive stats onto the scores, preferring the engine's own counts.

    The engine's hygiene (which also nulls out-of-range answers) is the authority on parse
    and refusal rates; the response table only fills what the engine does not report.
    """
    t = scores.copy()
    if "refusal_rate" not in t and {"n_refusal", "n_rows"} <= set(t.columns):
        t["refusal_rate"] = t["n_refusal"] / t["n_rows"].where(t["n_rows"] > 0)
    t = t.drop(columns=[c for c in _COUNT_COLUMNS if c in t.columns])
    stats = stats.drop(columns=[c for c in stats.columns if c != "model" and c in t.columns])
    return t.merge(stats, on="model", how="outer")


def assign_benchmark_models(scores: list[BenchmarkScore], responses: pd.DataFrame
                            ) -> tuple[list[BenchmarkScore], list[str]]:
    """Put each other-task score on the model id the Pinocchio rows use.

    Within one harness both come from the same reader under one model-id rule, so the ids
    already agree. Across harnesses (an lm-eval MMLU run beside an Inspect Pinocchio run) the
    same model may be spelled differently, so an id with no exact match is matched by its
    normalised spelling when exactly one Pinocchio model fits. Unmatched scores keep their
    own id (they become rows without Π) and are named in the notes.
    """
    models = sorted(responses["model"].astype(str).unique())
    by_norm: dict[str, set[str]] = {}
    for m in models:
        by_norm.setdefault(normalise_id(m), set()).add(m)
        by_norm.setdefault(normalise_id(m.split("/")[-1]), set()).add(m)
    out, notes = [], []
    for s in scores:
        target = s.model if s.model in models else None
        if target is None:
            cands = by_norm.get(normalise_id(s.model), set()) | by_norm.get(
                normalise_id(s.model.split("/")[-1]), set())
            if len(cands) == 1:
                target = next(iter(cands))
        if target is None:
            close = difflib.get_close_matches(s.model, models, n=3, cutoff=0.5)
            notes.append(f"{s.column} for '{s.model}' ({s.source}) matched no Pinocchio model"
                         + (f"; closest: {', '.join(close)}" if close else ""))
            target = s.model
        out.append(BenchmarkScore(**{**s.__dict__, "model": target}))
    return out, sorted(set(notes))


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(inputs: Iterable[str | Path], **extra: object) -> dict:
    """Who made the board, from what, when: enough to regenerate or doubt it.

    ``task_version`` and ``battery_fingerprint`` describe the battery installed when the
    board was built (each harness log records its own in the task metadata).
    """
    return {
        "generator": f"pinocchio-eval {__version__}",
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "command": " ".join(["pinocchio-eval", *sys.argv[1:]]) if sys.argv else None,
        "inputs": [str(p) for p in inputs],
        **version_info(),
        **extra,
    }


def build_leaderboard(inputs: Sequence[str | Path], title: str | None = None,
                      norms: str | Path | None = None, bootstrap: int = 1000, seed: int = 0,
                      responses: pd.DataFrame | None = None,
                      scorer: Scorer | None = None, all_runs: bool = False,
                      drop_unknown_items: bool = False, **scoring: Any) -> Leaderboard:
    """The whole ``leaderboard build`` pipeline; ``responses``/``scorer`` override steps.

    Given ``responses``, the inputs contribute only other tasks' scores. ``scoring`` (compat,
    factors, reparse, min_parse_rate) goes to the scoring engine.
    """
    if responses is None:
        got = load_responses(inputs, all_runs=all_runs, drop_unknown_items=drop_unknown_items)
        responses = got.responses
    else:
        got = read_inputs(inputs, all_runs=all_runs) if inputs else Inputs(responses)
    found, read_notes = got.benchmarks, got.notes
    result = (scorer or engine_scores)(responses, norms=norms, bootstrap=bootstrap, seed=seed,
                                       **scoring)
    table = _with_stats(result.table, response_stats(responses))
    bench, notes = assign_benchmark_models(found, responses)
    wide = benchmark_columns(bench)
    bench_cols = [c for c in wide.columns if c != "model"]
    if bench_cols:
        table = table.merge(wide, on="model", how="outer")
        harness_of = {b.model: b.harness for b in bench}
        if "harness" not in table.columns:
            table["harness"] = pd.NA
        table["harness"] = table["harness"].fillna(table["model"].map(harness_of))
    shown = {m.key for m in result.methods}
    empty = [c for c in table.columns if c.startswith(("pi_", "n_items_", "n_questionnaires_"))
             and c.split("_")[-1 if c.startswith("n_") else 1] not in shown]
    table = table.drop(columns=empty)  # methods the data cannot support; the notes say why
    primary = result.methods[0] if result.methods else None
    table = finish_table(table, primary)
    extra = {"bootstrap": bootstrap, "seed": seed, "compat": scoring.get("compat", "project"),
             "models": int(table["model"].nunique()),
             "responses": int(len(responses))}
    if norms is not None:
        extra["norms"] = {"path": str(norms), "sha256": _file_digest(Path(norms))}
    return Leaderboard(table=table, title=title or "Pinocchio leaderboard",
                       methods=result.methods, benchmarks=sorted(bench_cols),
                       notes=[*read_notes, *result.notes, *notes],
                       provenance=provenance(inputs, **extra))
