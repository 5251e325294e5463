"""The project's three Π methods on one panel, each a function returning a MethodResult.

Formulas: docs/methods.md. Paper mode's Π_panel and Π_axis are in :mod:`.paper_methods`;
Π_self is the same in both modes (the authors had no single-model score).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import bootstrap as bs
from .axis import AxisFit, fit_axis, group_scores
from .factors import unused_note
from .items import item_table
from .matrices import PanelData
from .panel import score_panel
from .result import MethodResult
from .selfanchored import self_matrices, self_scores

PAIR = ("neutral", "human_simulation")


@dataclass(frozen=True)
class Draws:
    """The questionnaire bootstrap shared by every method of one scoring run."""

    bootstrap: int              # number of draws (0: no intervals)
    seed: int
    codes: np.ndarray           # resampling unit of each panel item
    counts: np.ndarray | None   # (draws, units) multiplicities, None without a bootstrap


def lacks_pair(panel: PanelData, needs: str) -> str | None:
    """Why a method that compares the two conditions cannot run (None if it can)."""
    if set(PAIR) <= set(panel.matrices):
        return None
    return f"unavailable: needs {needs} (input has {sorted(panel.matrices)})"


def panel_method(panel: PanelData, draws: Draws,
                 frozen: pd.DataFrame | None = None) -> MethodResult:
    """Π_panel on the input's own panel, or the frozen norms' scores (``frozen``)."""
    if frozen is not None:
        cols = [c for c in ("pi_panel", "n_items_panel", "pi_panel_lo", "pi_panel_hi")
                if c in frozen]
        return MethodResult("ok (frozen norms)", {c: frozen[c].to_numpy() for c in cols})
    why = lacks_pair(panel, "answers in both neutral and human_simulation")
    n_both = int(np.sum(~np.isnan(panel.matrix(PAIR[0])).all(axis=1)
                        & ~np.isnan(panel.matrix(PAIR[1])).all(axis=1)))
    if why is None and n_both < 5:
        why = ("unavailable: needs ≥ 5 models answering in both neutral and "
               f"human_simulation (input has {n_both})")
    if why is not None:
        return MethodResult(why, {"pi_panel": np.nan})
    own = score_panel(panel)
    if not own.usable:
        return MethodResult("unavailable: no item has π > 1 with ≥ 5 models per condition",
                            {"pi_panel": np.nan})
    items = item_table(panel)
    cols = {"pi_panel": own.score.to_numpy(), "n_items_panel": own.n_items}
    if draws.counts is not None:
        cols["pi_panel_lo"], cols["pi_panel_hi"] = bs.interval(
            bs.panel_draws(own.z, own.fit.pi, draws.codes, draws.counts))
    return MethodResult("ok", cols, items=items, summary={
        "cap": items.attrs["cap"], "n_weighted_items": int(items["used"].sum())})


def self_method(panel: PanelData, draws: Draws,
                weights: pd.DataFrame | None = None) -> MethodResult:
    """Π_self of every model from its own two conditions and the frozen weight table."""
    r, s, found = self_matrices(panel.items, weights, panel.item_text)
    why = lacks_pair(panel, "the same model in neutral and human_simulation")
    if why is None and not found.any():
        why = ("unavailable: no input item is in the frozen weight table "
               "(items match by questionnaire, position and item text)")
    if why is not None:
        return MethodResult(why, {"pi_self": np.nan})
    neu, hum = panel.matrix(PAIR[0]), panel.matrix(PAIR[1])
    score, n = self_scores(neu, hum, r, s)
    out = MethodResult("ok", {"pi_self": score, "n_items_self": n})
    missing = [m for m, v in zip(panel.models, n, strict=True) if v == 0]
    if missing:
        out.notes.append("no Π_self for model(s) lacking one of the two conditions: "
                         + ", ".join(map(str, missing)))
    if draws.counts is not None:
        out.columns["pi_self_lo"], out.columns["pi_self_hi"] = bs.interval(
            bs.self_draws(neu, hum, r, s, draws.codes, draws.counts))
    return out


def axis_method(panel: PanelData, draws: Draws, orient_to: pd.Series | None = None,
                factors: Mapping[str, int] | None = None) -> MethodResult:
    """Π_axis fitted on the input's own panel, oriented to Π_panel where there is one."""
    if "neutral" not in panel.matrices:
        return MethodResult("unavailable: needs neutral answers", {"pi_axis": np.nan})
    note = unused_note(dict(factors or {}), set(panel.groups.values()))
    notes = [note] if note else []
    try:
        afit, ax = fit_axis(panel, draws.seed, orient_to=orient_to, factors=factors)
    except ValueError as exc:
        return MethodResult(f"unavailable: {exc}", {"pi_axis": np.nan}, notes)
    out = MethodResult("ok", {"pi_axis": ax["pi_axis"].to_numpy(),
                              "n_questionnaires_axis": ax["n_questionnaires_axis"].to_numpy()},
                       notes, summary=axis_summary(afit.explained, afit.orientation,
                                                   len(afit.groups)), axis_fit=afit)
    if afit.skipped:
        out.notes.append(skipped_note(afit.skipped))
    if draws.counts is not None:
        out.columns["pi_axis_lo"], out.columns["pi_axis_hi"] = _axis_interval(panel, afit,
                                                                              out, draws)
    return out


def _axis_interval(panel: PanelData, afit: AxisFit, out: MethodResult,
                   draws: Draws) -> tuple[np.ndarray, np.ndarray]:
    f = group_scores(panel.matrix("neutral"), afit.groups)
    counts = bs.draw_counts(len(afit.groups), draws.bootstrap, draws.seed)
    return bs.interval(bs.axis_draws(f, out.columns["pi_axis"], counts))


def frozen_axis_method(frozen: pd.DataFrame | None, axis_fit: AxisFit | None,
                       bootstrap: int) -> MethodResult:
    """Π_axis on frozen norms' scale (``frozen`` is their ``transform`` of the input)."""
    if frozen is None or axis_fit is None or "pi_axis" not in frozen:
        return MethodResult("unavailable: the norms file has no axis", {"pi_axis": np.nan})
    out = MethodResult("ok (frozen norms)", {
        "pi_axis": frozen["pi_axis"].to_numpy(),
        "n_questionnaires_axis": frozen["n_questionnaires_axis"].to_numpy()},
        axis_fit=axis_fit)
    if bootstrap:
        out.notes.append("no interval for Π_axis under frozen norms (the reference "
                         "panel's questionnaire scores are not stored)")
    return out


def axis_summary(explained: np.ndarray, orientation: str, n_questionnaires: int
                 ) -> dict[str, object]:
    """The axis facts a report shows, the same in both modes."""
    return {"pc1_variance": float(explained[0]),
            "pc2_variance": float(explained[1]) if len(explained) > 1 else float("nan"),
            "axis_orientation": orientation, "axis_questionnaires": n_questionnaires}


def skipped_note(skipped: Mapping[str, str]) -> str:
    return ("axis: questionnaire(s) without a first factor: "
            + "; ".join(f"{k} ({v})" for k, v in skipped.items()))
