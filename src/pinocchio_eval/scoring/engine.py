"""One call from a response table to per-model Π by every method asked, with intervals.

:func:`score_table` checks its options, cleans the input once, builds the panel once, runs
each asked method (:mod:`.methods`, or :mod:`.paper_methods` under ``compat="paper"``) and
collects their columns, statuses and notes into one :class:`~.result.PiScores`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import bootstrap as bs
from .hygiene import CleanResponses, clean_responses
from .matrices import PanelData
from .methods import Draws, axis_method, frozen_axis_method, panel_method, self_method
from .norms import PanelNorms
from .paper import PAPER_SEED, run_paper
from .paper_methods import paper_axis_method, paper_item_view, paper_panel_method
from .result import COMPAT, PI_METHODS, MethodResult, PiScores, ScoringError

#: Deprecated names (kept for one version): the result class and the method list.
ScoreResult = PiScores
METHODS = PI_METHODS

__all__ = ["COMPAT", "METHODS", "PI_METHODS", "PiScores", "ScoreResult", "ScoringError",
           "paper_item_view", "score_table"]


def _corr(a: pd.Series, b: pd.Series) -> dict[str, float | int]:
    ok = a.notna() & b.notna()
    if ok.sum() < 3 or a[ok].std() == 0 or b[ok].std() == 0:
        return {"n": int(ok.sum()), "pearson": float("nan"), "spearman": float("nan")}
    return {"n": int(ok.sum()), "pearson": float(np.corrcoef(a[ok], b[ok])[0, 1]),
            "spearman": float(a[ok].rank().corr(b[ok].rank()))}


def _check_options(asked: tuple[str, ...], compat: str, norms: PanelNorms | None) -> None:
    unknown = [m for m in asked if m not in PI_METHODS]
    if unknown:
        raise ScoringError(f"unknown method(s) {unknown}; choose from {list(PI_METHODS)}")
    if compat not in COMPAT:
        raise ScoringError(f"unknown compat {compat!r}; choose from {list(COMPAT)}")
    if compat == "paper" and norms is not None:
        raise ScoringError("paper mode scores a panel on itself, as the authors did; it "
                           "cannot use frozen norms (drop --norms or --compat paper)")


def score_table(table: pd.DataFrame | CleanResponses, methods: tuple[str, ...] | None = None,
                bootstrap: int = 0, seed: int | None = None,
                norms: PanelNorms | None = None, catalog: Any = None,
                include_superseded: bool = False, weights: pd.DataFrame | None = None,
                compat: str = "project", factors: Mapping[str, int] | None = None,
                reparse: bool = False, min_parse_rate: float | None = None) -> PiScores:
    """Score every model in ``table``.

    ``methods`` defaults to all three; a method the input cannot support gets NaN scores and
    its reason in ``status`` (never silently dropped). ``norms`` places models on a frozen
    panel's scale instead of the input's own panel. ``bootstrap`` draws give ``*_lo``/``*_hi``
    95 % percentile intervals over questionnaires. ``compat="paper"`` follows the authors'
    analysis instead of the project's (docs/methods.md); ``seed`` then defaults to theirs, 42.
    ``factors`` fixes the number of factors per questionnaire; ``reparse`` and
    ``min_parse_rate`` are passed to :func:`clean_responses`.
    """
    asked = tuple(methods or PI_METHODS)
    _check_options(asked, compat, norms)
    if seed is None:
        seed = PAPER_SEED if compat == "paper" else 0
    clean = (table if isinstance(table, CleanResponses)
             else clean_responses(table, catalog=catalog, include_superseded=include_superseded,
                                  reparse=reparse, min_parse_rate=min_parse_rate))
    panel = PanelData.from_clean(clean)
    res = PiScores(scores=pd.DataFrame({"model": panel.models}), status={},
                   notes=list(clean.notes), panel=panel, clean=clean,
                   summary={"n_models": len(panel.models), "n_items": len(panel.items),
                            "conditions": sorted(panel.matrices), "compat": compat,
                            "seed": seed})
    codes, units = panel.unit_codes("group")
    draws = Draws(bootstrap, seed, codes,
                  bs.draw_counts(len(units), bootstrap, seed) if bootstrap else None)
    orient, frozen = None, None   # the project's Π_axis orientation and frozen scores
    if compat == "paper":
        _paper_panel_axis(res, asked, draws, factors)
    else:
        orient, frozen = _project_panel(res, asked, draws, norms)
    if "self" in asked:
        res.add("self", self_method(panel, draws, weights))
    if compat != "paper" and "axis" in asked:
        res.add("axis", axis_method(panel, draws, orient, factors) if norms is None
                else frozen_axis_method(frozen, norms.axis_, draws.bootstrap))
    return _finish(res, bootstrap, seed, units)


def _project_panel(res: PiScores, asked: tuple[str, ...], draws: Draws,
                   norms: PanelNorms | None) -> tuple[pd.Series | None, pd.DataFrame | None]:
    """Π_panel (also run when only Π_axis is asked: it orients the axis). Returns the
    orientation reference and, with ``norms``, their ``transform`` of the input."""
    panel = res.panel
    assert panel is not None
    if "panel" not in asked and "axis" not in asked:
        return None, None
    frozen = None
    if norms is not None:
        frozen = norms.transform(panel, bootstrap=draws.bootstrap if "panel" in asked else 0,
                                 seed=draws.seed)
    part = panel_method(panel, draws, frozen)
    res.add("panel", part, shown="panel" in asked)
    orient = (pd.Series(part.columns["pi_panel"], index=panel.models, name="Π_panel")
              if part.status == "ok" else None)
    return orient, frozen


def _paper_panel_axis(res: PiScores, asked: tuple[str, ...], draws: Draws,
                      factors: Mapping[str, int] | None) -> None:
    """Π_panel and Π_axis the authors' way (:mod:`.paper`)."""
    panel = res.panel
    assert panel is not None and res.clean is not None
    shown = [m for m in ("panel", "axis") if m in asked]
    if not shown:
        return
    if "neutral" not in panel.matrices:
        for m in shown:
            res.add(m, MethodResult("unavailable: needs neutral answers", {f"pi_{m}": np.nan}))
        return
    run = run_paper(res.clean, seed=draws.seed, bootstrap=draws.bootstrap, factors=factors,
                    axis="axis" in asked)
    res.notes.extend(run.notes)
    res.add("panel", paper_panel_method(panel, run), shown="panel" in asked)
    if "axis" in asked:
        res.add("axis", paper_axis_method(panel, run))


def _finish(res: PiScores, bootstrap: int, seed: int, units: list[str]) -> PiScores:
    """Refuse an input where nothing worked; add notes, method agreement and counts."""
    status, notes, summary = res.status, res.notes, res.summary
    assert res.clean is not None
    if not any(v.startswith("ok") for v in status.values()):
        raise ScoringError("no requested method can be computed from this input: "
                           + "; ".join(f"{k}: {v}" for k, v in status.items()))
    notes.extend(f"{k}: {v}" for k, v in status.items() if not v.startswith("ok"))
    idx = res.scores.set_index("model")
    for a, b in (("pi_self", "pi_panel"), ("pi_axis", "pi_panel"), ("pi_self", "pi_axis")):
        if a in idx and b in idx and idx[a].notna().any() and idx[b].notna().any():
            summary[f"corr_{a}_{b}"] = _corr(idx[a], idx[b])
    if bootstrap:
        summary["bootstrap"] = {"draws": bootstrap, "seed": seed, "level": bs.LEVEL,
                                "unit": "questionnaire (MFQ parts merged)",
                                "n_units": len(units)}
        if summary.get("compat") == "paper":
            summary["bootstrap"]["procedure"] = (
                "the authors' for Π_panel and Π_axis: each drawn questionnaire used once, "
                "π weights fixed, draws rescaled to the scores' mean and SD; Π_self the "
                "project's")
    res.scores = res.scores.merge(res.clean.counts, on="model", how="left")
    return res
