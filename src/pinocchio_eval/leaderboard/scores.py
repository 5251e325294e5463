"""Π per model from a response table, by asking the scoring engine.

The leaderboard never computes Π itself: this module is the one seam between the board and
:mod:`pinocchio_eval.scoring`, turning whatever the engine returns into the board's column
convention (``pi_<method>``, ``pi_<method>_lo``, ``pi_<method>_hi``). Keeping it narrow means
a change in the engine's API touches one file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..scoring import PanelNorms, score_table
from .model import MethodSpec

METHODS = {
    "panel": MethodSpec(
        "panel", "Π panel",
        "the paper's per-model score: log-π-weighted mean of neutral-condition item z-scores, "
        "relative to the models scored together (adding a model changes everyone's value)"),
    "axis": MethodSpec(
        "axis", "Π axis",
        "the paper's Pinocchio Axis: PC1 of per-questionnaire first-factor scores, oriented "
        "to correlate positively with Π panel; also relative to the panel"),
    "self": MethodSpec(
        "self", "Π self",
        "self-anchored score for a single model: PC1-correlation-weighted mean difference "
        "between its neutral and human-simulation answers (frozen weights from the paper's "
        "50 models); 0 = attributes to itself what it attributes to a typical human"),
}


@dataclass
class ScoreResult:
    """Per-model Π columns plus the methods they belong to and anything worth telling."""

    table: pd.DataFrame                  # model, pi_<key>[, pi_<key>_lo, pi_<key>_hi], ...
    methods: list[MethodSpec]
    notes: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)


Scorer = Callable[..., ScoreResult]


def _methods_in(table: pd.DataFrame) -> list[MethodSpec]:
    """Methods whose column has at least one number, in the order panel, axis, self."""
    out = []
    for spec in METHODS.values():
        if spec.column in table.columns and table[spec.column].notna().any():
            out.append(spec)
    return out


def _corr_notes(summary: dict) -> list[str]:
    """The engine's method correlations as sentences (Π_self must be shown to track Π_panel)."""
    out = []
    for key, val in summary.items():
        if key.startswith("corr_") and isinstance(val, dict):
            a, b = key[5:].split("_pi_")
            out.append(f"Correlation of {a.replace('pi_', 'Π_')} with Π_{b} over {val['n']} "
                       f"models: Pearson {val['pearson']:.2f}, Spearman {val['spearman']:.2f}.")
    return out


def engine_scores(responses: pd.DataFrame, norms: str | Path | None = None,
                  bootstrap: int = 1000, seed: int = 0, catalog: object | None = None,
                  **scoring: Any) -> ScoreResult:
    """Score with :func:`pinocchio_eval.scoring.score_table` (every method the data supports).

    ``norms`` is a frozen-norms file (``PanelNorms.save``) placing models on that panel's
    scale; ``catalog`` replaces the battery as the source of scale bounds; ``scoring`` holds
    score_table's method options (compat, factors, reparse, min_parse_rate).
    """
    frozen = PanelNorms.load(norms, catalog=catalog) if norms is not None else None
    res = score_table(responses, bootstrap=bootstrap, seed=seed, norms=frozen,
                      catalog=catalog, **scoring)
    table = res.scores  # already in the board's convention: pi_<method>[_lo|_hi]
    notes = list(res.notes) + _corr_notes(res.summary)
    if frozen is not None:
        notes.insert(0, f"Π placed on the frozen panel norms in {Path(norms).name}.")
    return ScoreResult(table=table, methods=_methods_in(table), notes=notes,
                       details={"status": res.status, "summary": res.summary})
