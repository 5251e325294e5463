"""What scoring returns: the per-model table with each method's status, notes and fits.

Each method (:mod:`.methods`, :mod:`.paper_methods`) returns a :class:`MethodResult`; the
engine collects them into one :class:`PiScores`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .axis import AxisFit
from .hygiene import CleanResponses
from .matrices import PanelData

#: The Π methods ``score_table`` computes, in their default order.
PI_METHODS = ("panel", "axis", "self")
#: Whose analysis to follow: the project's (default) or the authors' (docs/methods.md).
COMPAT = ("project", "paper")


class ScoringError(ValueError):
    """Nothing requested can be computed from this input; the message says why."""


@dataclass
class MethodResult:
    """One method's contribution: its columns (in order), status and notes.

    ``summary``, ``items`` and ``axis_fit`` are what the method learned on the way; they are
    kept even when the method was run only to serve another (Π_panel orients Π_axis).
    """

    status: str                                         # "ok…" or why not
    columns: dict[str, Any] = field(default_factory=dict)  # column -> one value per model
    notes: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    items: pd.DataFrame | None = None
    axis_fit: AxisFit | None = None


@dataclass
class PiScores:
    """Π per model by every method asked, with why a method is missing and what it learned."""

    scores: pd.DataFrame                       # one row per model
    status: dict[str, str]                     # method -> "ok" or why not
    notes: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    items: pd.DataFrame | None = None
    panel: PanelData | None = None
    axis_fit: AxisFit | None = None
    clean: CleanResponses | None = None

    def add(self, method: str, part: MethodResult, shown: bool = True) -> None:
        """Take one method's result; an unshown one adds only what it learned."""
        if part.items is not None:
            self.items = part.items
        if part.axis_fit is not None:
            self.axis_fit = part.axis_fit
        self.summary.update(part.summary)
        if not shown:
            return
        for name, values in part.columns.items():
            self.scores[name] = values
        self.status[method] = part.status
        self.notes.extend(part.notes)
