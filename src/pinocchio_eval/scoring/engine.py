"""One call from a response table to per-model Π by every method asked, with intervals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import bootstrap as bs
from .axis import AxisFit, fit_axis, group_scores
from .hygiene import CleanResponses, clean_responses
from .items import PanelData, item_table
from .norms import PinocchioScorer
from .panel import fit_panel, weighted_scores, zscores
from .selfanchored import self_matrices, self_scores

METHODS = ("panel", "axis", "self")


class ScoringError(ValueError):
    """Nothing requested can be computed from this input; the message says why."""


@dataclass
class ScoreResult:
    scores: pd.DataFrame                       # one row per model
    status: dict[str, str]                     # method -> "ok" or why not
    notes: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    items: pd.DataFrame | None = None
    panel: PanelData | None = None
    axis_fit: AxisFit | None = None
    clean: CleanResponses | None = None


def _corr(a: pd.Series, b: pd.Series) -> dict[str, float | int]:
    ok = a.notna() & b.notna()
    if ok.sum() < 3 or a[ok].std() == 0 or b[ok].std() == 0:
        return {"n": int(ok.sum()), "pearson": float("nan"), "spearman": float("nan")}
    return {"n": int(ok.sum()), "pearson": float(np.corrcoef(a[ok], b[ok])[0, 1]),
            "spearman": float(a[ok].rank().corr(b[ok].rank()))}


def score_table(table: pd.DataFrame | CleanResponses, methods: tuple[str, ...] | None = None,
                bootstrap: int = 0, seed: int = 0, norms: PinocchioScorer | None = None,
                catalog: Any = None, include_superseded: bool = False,
                weights: pd.DataFrame | None = None) -> ScoreResult:
    """Score every model in ``table``.

    ``methods`` defaults to all three; a method the input cannot support gets NaN scores and
    its reason in ``status`` (never silently dropped). ``norms`` places models on a frozen
    panel's scale instead of the input's own panel. ``bootstrap`` draws give ``*_lo``/``*_hi``
    95 % percentile intervals over questionnaires.
    """
    asked = tuple(methods or METHODS)
    unknown = [m for m in asked if m not in METHODS]
    if unknown:
        raise ScoringError(f"unknown method(s) {unknown}; choose from {list(METHODS)}")
    clean = (table if isinstance(table, CleanResponses)
             else clean_responses(table, catalog=catalog, include_superseded=include_superseded))
    panel = PanelData.from_clean(clean)
    out = pd.DataFrame({"model": panel.models})
    status: dict[str, str] = {}
    notes = list(clean.notes)
    summary: dict[str, Any] = {"n_models": len(panel.models), "n_items": len(panel.items),
                               "conditions": sorted(panel.matrices)}
    conds = set(panel.matrices)
    codes, units = panel.unit_codes("group")
    counts = bs.draw_counts(len(units), bootstrap, seed) if bootstrap else None
    res = ScoreResult(scores=out, status=status, notes=notes, summary=summary, panel=panel,
                      clean=clean)

    # ---------------------------------------------------------------- panel
    panel_series = None
    if "panel" in asked or "axis" in asked:
        if norms is not None:
            z = norms.neutral_z(panel)
            pi, w = norms.panel_.pi, norms.panel_.weights
            ncodes = np.unique(np.array([panel.groups.get(q, q) for q in
                                         norms.items_.get_level_values(0)]),
                               return_inverse=True)[1]
            p_status = "ok (frozen norms)"
        else:
            z = pi = w = None
            n_both = int(np.sum(~np.isnan(panel.matrix("neutral")).all(axis=1)
                                & ~np.isnan(panel.matrix("human_simulation")).all(axis=1)))
            if not {"neutral", "human_simulation"} <= conds:
                p_status = ("unavailable: needs answers in both neutral and human_simulation "
                            f"(input has {sorted(conds)})")
            elif n_both < 5:
                p_status = (f"unavailable: needs ≥ 5 models answering in both neutral and "
                            f"human_simulation (input has {n_both})")
            else:
                fit = fit_panel(panel)
                if not (fit.weights > 0).any():
                    p_status = "unavailable: no item has π > 1 with ≥ 5 models per condition"
                else:
                    z = zscores(panel.matrix("neutral"), fit.mean, fit.sd)
                    pi, w, ncodes = fit.pi, fit.weights, codes
                    p_status = "ok"
                    res.items = item_table(panel)
                    summary["cap"] = res.items.attrs["cap"]
                    summary["n_weighted_items"] = int(res.items["used"].sum())
        if z is not None:
            score, n = weighted_scores(z, w)
            panel_series = pd.Series(score, index=panel.models, name="Π_panel")
            if "panel" in asked:
                out["pi_panel"] = score
                out["n_items_panel"] = n
                if counts is not None:
                    nunits = ncodes.max() + 1
                    c = counts if norms is None else bs.draw_counts(nunits, bootstrap, seed)
                    out["pi_panel_lo"], out["pi_panel_hi"] = bs.interval(
                        bs.panel_draws(z, pi, ncodes, c))
        if "panel" in asked:
            status["panel"] = p_status
            if z is None:
                out["pi_panel"] = np.nan

    # ---------------------------------------------------------------- self
    if "self" in asked:
        r, s, found = self_matrices(panel.items, weights, panel.item_text)
        if not {"neutral", "human_simulation"} <= conds:
            status["self"] = ("unavailable: needs the same model in neutral and "
                              f"human_simulation (input has {sorted(conds)})")
            out["pi_self"] = np.nan
        elif not found.any():
            status["self"] = "unavailable: no input item is in the frozen weight table"
            out["pi_self"] = np.nan
        else:
            neu, hum = panel.matrix("neutral"), panel.matrix("human_simulation")
            score, n = self_scores(neu, hum, r, s)
            out["pi_self"], out["n_items_self"] = score, n
            status["self"] = "ok"
            missing = [m for m, v in zip(panel.models, n, strict=True) if v == 0]
            if missing:
                notes.append("no Π_self for model(s) lacking one of the two conditions: "
                             + ", ".join(map(str, missing)))
            if counts is not None:
                out["pi_self_lo"], out["pi_self_hi"] = bs.interval(
                    bs.self_draws(neu, hum, r, s, codes, counts))

    # ---------------------------------------------------------------- axis
    if "axis" in asked:
        out["pi_axis"] = np.nan
        if norms is not None:
            if norms.axis_ is None:
                status["axis"] = "unavailable: the norms file has no axis"
            else:
                sc = norms.transform(panel)
                out["pi_axis"] = sc["pi_axis"].to_numpy()
                out["n_questionnaires_axis"] = sc["n_questionnaires_axis"].to_numpy()
                status["axis"] = "ok (frozen norms)"
                res.axis_fit = norms.axis_
                if counts is not None:
                    notes.append("no interval for Π_axis under frozen norms (the reference "
                                 "panel's questionnaire scores are not stored)")
        elif "neutral" not in conds:
            status["axis"] = "unavailable: needs neutral answers"
        else:
            try:
                afit, ax = fit_axis(panel, seed, orient_to=panel_series)
            except ValueError as exc:
                status["axis"] = f"unavailable: {exc}"
            else:
                res.axis_fit = afit
                out["pi_axis"] = ax["pi_axis"].to_numpy()
                out["n_questionnaires_axis"] = ax["n_questionnaires_axis"].to_numpy()
                status["axis"] = "ok"
                summary["pc1_variance"] = float(afit.explained[0])
                summary["pc2_variance"] = (float(afit.explained[1]) if len(afit.explained) > 1
                                           else float("nan"))
                summary["axis_orientation"] = afit.orientation
                summary["axis_questionnaires"] = len(afit.groups)
                if afit.skipped:
                    notes.append("axis: questionnaire(s) without a first factor: "
                                 + "; ".join(f"{k} ({v})" for k, v in afit.skipped.items()))
                if counts is not None:
                    f = group_scores(panel.matrix("neutral"), afit.groups)
                    c = bs.draw_counts(len(afit.groups), bootstrap, seed)
                    out["pi_axis_lo"], out["pi_axis_hi"] = bs.interval(
                        bs.axis_draws(f, out["pi_axis"].to_numpy(), c))

    if not any(v.startswith("ok") for v in status.values()):
        raise ScoringError("no requested method can be computed from this input: "
                           + "; ".join(f"{k}: {v}" for k, v in status.items()))
    for k, v in status.items():
        if not v.startswith("ok"):
            notes.append(f"{k}: {v}")
    idx = out.set_index("model")
    for a, b in (("pi_self", "pi_panel"), ("pi_axis", "pi_panel"), ("pi_self", "pi_axis")):
        if a in idx and b in idx and idx[a].notna().any() and idx[b].notna().any():
            summary[f"corr_{a}_{b}"] = _corr(idx[a], idx[b])
    if bootstrap:
        summary["bootstrap"] = {"draws": bootstrap, "seed": seed, "level": bs.LEVEL,
                                "unit": "questionnaire (MFQ parts merged)",
                                "n_units": len(units)}
    res.scores = out.merge(clean.counts, on="model", how="left")
    return res
