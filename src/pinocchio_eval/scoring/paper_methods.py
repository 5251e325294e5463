"""Paper mode's Π_panel and Π_axis (the authors' analysis, :mod:`.paper`) as MethodResults.

The arithmetic is :func:`~.paper.run_paper`; this module only lays its output on the panel's
models, in the same columns, statuses and summary the project's methods use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import default_group
from .matrices import PanelData
from .methods import axis_summary, lacks_pair, skipped_note
from .paper import PaperRun
from .result import MethodResult


def _on_models(values: pd.Series, models: pd.Index) -> np.ndarray:
    return values.reindex(models).to_numpy()


def _interval(interval: tuple[np.ndarray, np.ndarray], index: pd.Index, models: pd.Index,
              name: str) -> dict[str, np.ndarray]:
    lo, hi = interval
    return {f"{name}_lo": _on_models(pd.Series(lo, index=index), models),
            f"{name}_hi": _on_models(pd.Series(hi, index=index), models)}


def paper_panel_method(panel: PanelData, run: PaperRun) -> MethodResult:
    """Π_panel the authors' way, with their bootstrap interval when one was drawn."""
    models = panel.models
    cols: dict[str, object] = {
        "pi_panel": _on_models(run.pi_panel, models),
        "n_items_panel": run.n_items.reindex(models).fillna(0).astype(int).to_numpy()}
    status = lacks_pair(panel, "answers in both neutral and human_simulation")
    if status is None:
        status = ("ok (paper)" if run.pi_panel.notna().any() else
                  "unavailable: no item has π > 1 with ≥ 5 answers per condition")
    if run.panel_interval is not None:
        cols.update(_interval(run.panel_interval, run.pi_panel.index, models, "pi_panel"))
    out = MethodResult(status, cols)
    if len(run.weights.weights):
        out.items = paper_item_view(panel, run)
        out.summary = {"cap": run.weights.cap, "n_weighted_items": len(run.weights.weights)}
    return out


def paper_axis_method(panel: PanelData, run: PaperRun) -> MethodResult:
    """Π_axis the authors' way: PC1 of their per-questionnaire factor scores."""
    notes = [skipped_note(run.skipped)] if run.skipped else []
    if run.pi_axis is None:
        return MethodResult("unavailable: needs ≥ 2 questionnaires with a first factor and "
                            "≥ 3 models", {"pi_axis": np.nan}, notes)
    f, models = run.factor_scores, panel.models
    assert f is not None and run.explained is not None
    cols = {"pi_axis": _on_models(run.pi_axis, models),
            "n_questionnaires_axis": f.notna().sum(axis=1).reindex(models).fillna(0)
            .astype(int).to_numpy()}
    summary = axis_summary(run.explained, run.orientation, f.shape[1])
    summary["axis_factors"] = {q: {"method": v.method, "n_factors": v.n_factors,
                                   "n_models": v.n_models} for q, v in run.factors.items()}
    if run.axis_interval is not None:
        cols.update(_interval(run.axis_interval, run.pi_axis.index, models, "pi_axis"))
    return MethodResult("ok (paper)", cols, notes, summary)


def paper_item_view(panel: PanelData, run: PaperRun) -> pd.DataFrame:
    """Paper mode's π per panel item (same columns as :func:`.items.item_table`): an MFQ part
    item shows its pooled π, and ``used`` marks the item whose text carries the weight."""
    q = panel.items.get_level_values(0)
    idx = panel.items.get_level_values(1).astype(int)
    merged = [default_group(x) or x for x in q]
    it = run.items.drop_duplicates(["questionnaire", "item_index"]).set_index(
        ["questionnaire", "item_index"])
    look = it.reindex(pd.MultiIndex.from_arrays([merged, idx]))
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
