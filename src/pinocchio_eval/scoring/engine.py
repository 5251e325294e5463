"""One call from a response table to per-model Π by every method asked, with intervals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import bootstrap as bs
from .axis import AxisFit, fit_axis, group_scores
from .factors import unused_note
from .hygiene import CleanResponses, clean_responses
from .items import PanelData, item_table
from .norms import PinocchioScorer
from .panel import fit_panel, weighted_scores, zscores
from .paper import PAPER_SEED, run_paper
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


COMPAT = ("project", "paper")


def score_table(table: pd.DataFrame | CleanResponses, methods: tuple[str, ...] | None = None,
                bootstrap: int = 0, seed: int | None = None,
                norms: PinocchioScorer | None = None, catalog: Any = None,
                include_superseded: bool = False, weights: pd.DataFrame | None = None,
                compat: str = "project", factors: Mapping[str, int] | None = None,
                reparse: bool = False, min_parse_rate: float | None = None) -> ScoreResult:
    """Score every model in ``table``.

    ``methods`` defaults to all three; a method the input cannot support gets NaN scores and
    its reason in ``status`` (never silently dropped). ``norms`` places models on a frozen
    panel's scale instead of the input's own panel. ``bootstrap`` draws give ``*_lo``/``*_hi``
    95 % percentile intervals over questionnaires. ``compat="paper"`` follows the authors'
    analysis instead of the project's (docs/methods.md); ``seed`` then defaults to theirs, 42.
    ``factors`` fixes the number of factors per questionnaire; ``reparse`` and
    ``min_parse_rate`` are passed to :func:`clean_responses`.
    """
    asked = tuple(methods or METHODS)
    unknown = [m for m in asked if m not in METHODS]
    if unknown:
        raise ScoringError(f"unknown method(s) {unknown}; choose from {list(METHODS)}")
    if compat not in COMPAT:
        raise ScoringError(f"unknown compat {compat!r}; choose from {list(COMPAT)}")
    if compat == "paper" and norms is not None:
        raise ScoringError("paper mode scores a panel on itself, as the authors did; it "
                           "cannot use frozen norms (drop --norms or --compat paper)")
    if seed is None:
        seed = PAPER_SEED if compat == "paper" else 0
    clean = (table if isinstance(table, CleanResponses)
             else clean_responses(table, catalog=catalog, include_superseded=include_superseded,
                                  reparse=reparse, min_parse_rate=min_parse_rate))
    panel = PanelData.from_clean(clean)
    out = pd.DataFrame({"model": panel.models})
    status: dict[str, str] = {}
    notes = list(clean.notes)
    summary: dict[str, Any] = {"n_models": len(panel.models), "n_items": len(panel.items),
                               "conditions": sorted(panel.matrices), "compat": compat,
                               "seed": seed}
    conds = set(panel.matrices)
    codes, units = panel.unit_codes("group")
    counts = bs.draw_counts(len(units), bootstrap, seed) if bootstrap else None
    res = ScoreResult(scores=out, status=status, notes=notes, summary=summary, panel=panel,
                      clean=clean)
    if compat == "paper":
        if "panel" in asked or "axis" in asked:
            _paper_panel_axis(res, asked, bootstrap, seed, factors)
        _self(res, asked, weights, codes, counts)
        return _finish(res, bootstrap, seed, units)

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

    _self(res, asked, weights, codes, counts)
    if "axis" in asked:
        _axis(res, norms, conds, panel_series, seed, bootstrap, counts, factors)
    return _finish(res, bootstrap, seed, units)


def _paper_panel_axis(res: ScoreResult, asked: tuple[str, ...], bootstrap: int, seed: int,
                      factors: Mapping[str, int] | None) -> None:
    """Π_panel and Π_axis the authors' way (:mod:`.paper`), into the result's columns."""
    panel, out, status, summary = res.panel, res.scores, res.status, res.summary
    assert panel is not None and res.clean is not None
    models = panel.models
    if "neutral" not in panel.matrices:
        for m in ("panel", "axis"):
            if m in asked:
                status[m], out[f"pi_{m}"] = "unavailable: needs neutral answers", np.nan
        return
    run = run_paper(res.clean, seed=seed, bootstrap=bootstrap, factors=factors,
                    axis="axis" in asked)
    res.notes.extend(run.notes)
    if len(run.weights.weights):
        res.items = paper_item_view(panel, run)
        summary["cap"] = run.weights.cap
        summary["n_weighted_items"] = len(run.weights.weights)
    if "panel" in asked:
        out["pi_panel"] = run.pi_panel.reindex(models).to_numpy()
        out["n_items_panel"] = run.n_items.reindex(models).fillna(0).astype(int).to_numpy()
        if "human_simulation" not in panel.matrices:
            status["panel"] = ("unavailable: needs answers in both neutral and "
                               f"human_simulation (input has {sorted(panel.matrices)})")
        elif run.pi_panel.notna().any():
            status["panel"] = "ok (paper)"
        else:
            status["panel"] = "unavailable: no item has π > 1 with ≥ 5 answers per condition"
        if run.panel_interval is not None:
            lo, hi = run.panel_interval
            idx = run.pi_panel.index
            out["pi_panel_lo"] = pd.Series(lo, index=idx).reindex(models).to_numpy()
            out["pi_panel_hi"] = pd.Series(hi, index=idx).reindex(models).to_numpy()
    if "axis" in asked:
        if run.skipped:
            res.notes.append("axis: questionnaire(s) without a first factor: "
                             + "; ".join(f"{k} ({v})" for k, v in run.skipped.items()))
        if run.pi_axis is None:
            out["pi_axis"] = np.nan
            status["axis"] = ("unavailable: needs ≥ 2 questionnaires with a first factor and "
                              "≥ 3 models")
            return
        out["pi_axis"] = run.pi_axis.reindex(models).to_numpy()
        f = run.factor_scores
        assert f is not None and run.explained is not None
        out["n_questionnaires_axis"] = f.notna().sum(axis=1).reindex(models).fillna(0)\
            .astype(int).to_numpy()
        status["axis"] = "ok (paper)"
        summary["pc1_variance"] = float(run.explained[0])
        summary["pc2_variance"] = (float(run.explained[1]) if len(run.explained) > 1
                                   else float("nan"))
        summary["axis_orientation"] = run.orientation
        summary["axis_questionnaires"] = f.shape[1]
        summary["axis_factors"] = {q: {"method": v.method, "n_factors": v.n_factors,
                                       "n_models": v.n_models} for q, v in run.factors.items()}
        if run.axis_interval is not None:
            lo, hi = run.axis_interval
            out["pi_axis_lo"] = pd.Series(lo, index=run.pi_axis.index).reindex(models).to_numpy()
            out["pi_axis_hi"] = pd.Series(hi, index=run.pi_axis.index).reindex(models).to_numpy()


def paper_item_view(panel: PanelData, run: Any) -> pd.DataFrame:
    """Paper mode's π per panel item (same columns as :func:`item_table`): an MFQ part item
    shows its pooled π, and ``used`` marks the item whose text carries the weight."""
    from .catalog import default_group

    q = panel.items.get_level_values(0)
    idx = panel.items.get_level_values(1).astype(int)
    merged = [default_group(x) or x for x in q]
    it = run.items.drop_duplicates(["questionnaire", "item_index"]).set_index(
        ["questionnaire", "item_index"])
    key = pd.MultiIndex.from_arrays([merged, idx])
    look = it.reindex(key)
    w = run.weights.weights.reindex(pd.MultiIndex.from_arrays(
        [merged, panel.item_text.astype(str).to_numpy()])).to_numpy(dtype=float)
    pi = look["pi"].to_numpy(dtype=float)
    return pd.DataFrame({
        "questionnaire": q, "item_index": idx, "item": panel.item_text.to_numpy(),
        "n_neutral": look["n_neutral"].to_numpy(),
        "n_human_simulation": look["n_human_simulation"].to_numpy(),
        "var_neutral": look["var_neutral"].to_numpy(),
        "var_human_simulation": look["var_human_simulation"].to_numpy(),
        "pi": pi, "log_pi": np.log(np.where(pi > 0, pi, np.nan)),
        "weight": w, "capped": pi > run.weights.cap, "used": np.isfinite(w) & (w > 0),
    })


def _self(res: ScoreResult, asked: tuple[str, ...], weights: pd.DataFrame | None,
          codes: np.ndarray, counts: np.ndarray | None) -> None:
    """Π_self (the same in both compat modes: the authors had no single-model score)."""
    panel, out, status, notes = res.panel, res.scores, res.status, res.notes
    assert panel is not None
    conds = set(panel.matrices)
    if "self" in asked:
        r, s, found = self_matrices(panel.items, weights, panel.item_text)
        if not {"neutral", "human_simulation"} <= conds:
            status["self"] = ("unavailable: needs the same model in neutral and "
                              f"human_simulation (input has {sorted(conds)})")
            out["pi_self"] = np.nan
        elif not found.any():
            status["self"] = ("unavailable: no input item is in the frozen weight table "
                              "(items match by questionnaire, position and item text)")
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



def _axis(res: ScoreResult, norms: PinocchioScorer | None, conds: set[str],
          panel_series: pd.Series | None, seed: int, bootstrap: int,
          counts: np.ndarray | None, factors: Mapping[str, int] | None) -> None:
    panel, out, status, notes, summary = (res.panel, res.scores, res.status, res.notes,
                                          res.summary)
    assert panel is not None
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
            note = unused_note(dict(factors or {}), set(panel.groups.values()))
            if note:
                notes.append(note)
            afit, ax = fit_axis(panel, seed, orient_to=panel_series, factors=factors)
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


def _finish(res: ScoreResult, bootstrap: int, seed: int, units: list[str]) -> ScoreResult:
    """Refuse an input where nothing worked; add notes, method agreement and counts."""
    status, notes, summary, out = res.status, res.notes, res.summary, res.scores
    assert res.clean is not None
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
        if summary.get("compat") == "paper":
            summary["bootstrap"]["procedure"] = (
                "the authors' for Π_panel and Π_axis: each drawn questionnaire used once, "
                "π weights fixed, draws rescaled to the scores' mean and SD; Π_self the "
                "project's")
    res.scores = out.merge(res.clean.counts, on="model", how="left")
    return res
