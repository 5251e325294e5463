"""Headline scores of the *other* tasks found next to the Pinocchio runs, as board columns.

A user who runs ``inspect eval-set pinocchio_eval/pinocchio mmlu`` or
``lm_eval --tasks pinocchio,hellaswag`` wants one table with Π beside the standard scores. The
harness readers (:mod:`pinocchio_eval.readers`) already read those scores in the same pass as
the Pinocchio rows, with the same model ids and the same choice of run; this module only lays
them out: one ``<task>:<metric>`` column per score, Pinocchio tasks never among them (Π comes
from the scorer, not from a harness metric).
"""

from __future__ import annotations

import pandas as pd

from ..readers.runs import BenchmarkScore

__all__ = ["BenchmarkScore", "benchmark_frame", "benchmark_columns"]


def benchmark_frame(scores: list[BenchmarkScore]) -> pd.DataFrame:
    """Long table of the scores (one row each), for joining onto the leaderboard."""
    cols = ["model", "harness", "task", "metric", "column", "value", "stderr", "source",
            "run_date"]
    return pd.DataFrame([{**s.__dict__, "column": s.column} for s in scores], columns=cols)


def benchmark_columns(scores: list[BenchmarkScore]) -> pd.DataFrame:
    """Wide table model × ``task:metric``; a score found twice keeps its most recent run."""
    long = benchmark_frame(scores)
    if long.empty:
        return pd.DataFrame(columns=["model"])
    long = long.sort_values("run_date", na_position="first", kind="stable")
    wide = long.drop_duplicates(["model", "column"], keep="last").pivot(
        index="model", columns="column", values="value")
    return wide.reset_index().rename_axis(columns=None)
