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

import numpy as np
import pandas as pd

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


def _from_engine_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Map engine column names onto the board's: ``<col>_ci_low``/``_lower`` → ``_lo`` etc."""
    ren = {}
    for c in df.columns:
        for suffix, new in (("_ci_low", "_lo"), ("_ci_high", "_hi"), ("_lower", "_lo"),
                            ("_upper", "_hi"), ("_low", "_lo"), ("_high", "_hi")):
            if c.startswith("pi_") and c.endswith(suffix):
                ren[c] = c[: -len(suffix)] + new
    return df.rename(columns=ren)


def engine_scores(responses: pd.DataFrame, norms: str | Path | None = None,
                  bootstrap: int = 1000, seed: int = 0, catalog: object | None = None
                  ) -> ScoreResult:
    """Score with :mod:`pinocchio_eval.scoring` (every method the data supports).

    ``catalog`` replaces the battery as the source of scale bounds (tests, own instruments).
    """
    from ..scoring import hygiene, items, panel, selfanchored

    notes: list[str] = []
    if norms is not None:
        raise NotImplementedError("--norms needs the scoring engine's frozen-norms API")
    clean = hygiene.clean_responses(responses, catalog=catalog)  # type: ignore[arg-type]
    data = items.PanelData.from_clean(clean)
    out = pd.DataFrame({"model": data.models})
    try:
        out = out.merge(panel.pi_panel(data), on="model", how="left")
    except (KeyError, ValueError) as exc:
        notes.append(f"Π panel not computed: {exc}")
    try:
        from ..scoring import axis

        orient = out.set_index("model")["pi_panel"] if "pi_panel" in out else None
        _, ax = axis.fit_axis(data, seed=seed, orient_to=orient)
        out = out.merge(ax, on="model", how="left")
    except (KeyError, ValueError, np.linalg.LinAlgError) as exc:
        notes.append(f"Π axis not computed: {exc}")
    try:
        out = out.merge(selfanchored.pi_self(responses, catalog=catalog), on="model", how="left")
    except (KeyError, ValueError) as exc:
        notes.append(f"Π self not computed: {exc}")
    out = _from_engine_frame(out)
    if bootstrap:
        notes.append("95% intervals are not shown: the scoring engine's bootstrap is not "
                     "available in this version.")
    return ScoreResult(table=out, methods=_methods_in(out), notes=notes,
                       details={"counts": clean.counts})
