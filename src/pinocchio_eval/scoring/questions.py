"""The paper's further questions of Π, run on a scored panel: one entry point for the commands.

Given a :class:`~pinocchio_eval.scoring.result.PiScores` and optional model facts, this adds
to the result (never recomputing Π itself):

- the fact columns (provider, family, release_date, parent) beside the scores;
- ``summary["groups"]``: Π by provider and family, with the between-provider share of variance;
- ``summary["release_trend"]``: Π against release date per method, with and without the
  influential models;
- ``summary["panel_resample"]`` and per-model columns: how much Π_panel/Π_axis depend on the
  panel (see :mod:`.resample`);
- ``summary["fine_tunes"]``: ΔΠ of each model whose ``parent`` is also in the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .compare import compare_models
from .facts import model_facts
from .providers import METHOD_COLUMNS, group_analysis
from .resample import resample
from .result import PiScores, ScoringError
from .trend import public, release_trend


def parse_resample(value: str | None) -> str | int | None:
    """``loo``, a positive integer, or nothing; anything else is a one-line error."""
    if value is None or value == "":
        return None
    if value.strip().lower() == "loo":
        return "loo"
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 2:
        raise ScoringError(f"--panel-resample {value!r}: use 'loo' or a number of bootstrap "
                           "refits ≥ 2 (e.g. 200)")
    return n


def fine_tunes(table: pd.DataFrame, facts: pd.DataFrame, n_boot: int, seed: int,
               catalog: Any = None, top: int = 5, **clean: bool) -> list[dict[str, Any]]:
    """ΔΠ_self of every model over its parent, when both are scored; ``clean`` (the
    ``include_superseded`` and ``reparse`` the scores were cleaned with) keeps the two alike."""
    out = []
    present = set(facts.index)
    for child, parent in facts["parent"].dropna().items():
        if parent not in present:
            continue
        try:
            cmp = compare_models(table, parent, child, n_boot=n_boot, seed=seed,
                                 catalog=catalog, **clean)
        except ScoringError as exc:
            out.append({"a": parent, "b": child, "error": str(exc)})
            continue
        out.append(cmp.to_dict(top=top))
    return out


def analyse(result: PiScores, table: pd.DataFrame, info: pd.DataFrame | None,
            default_provider: Callable[[str], str], panel_resample: str | int | None = None,
            n_boot: int = 1000, seed: int = 0, catalog: Any = None,
            include_superseded: bool = False, reparse: bool = False) -> PiScores:
    """Add the group, trend, panel-dependence and fine-tune analyses to ``result`` in place.

    ``include_superseded`` and ``reparse`` must be those ``result`` was scored with: the
    fine-tunes' ΔΠ cleans the same table again.
    """
    scores = result.scores
    facts = model_facts(scores["model"], info, default_provider)
    s = result.summary
    s["groups"] = group_analysis(scores, facts, n_boot=n_boot, seed=seed)
    if facts["release_date"].notna().sum() >= 3:
        t = scores.set_index("model")
        ids, dates = pd.Series(t.index, index=t.index), facts["release_date"].reindex(t.index)
        s["release_trend"] = {col: public(release_trend(ids, dates, t[col]))
                              for col in METHOD_COLUMNS if col in t and t[col].notna().any()}
    if panel_resample is not None:
        # the refits use the project's method on the inputs' own panel: scores placed on
        # frozen norms ("ok (frozen norms)") or fitted the paper's way ("ok (paper)") are not
        # what they would resample
        p_status = str(result.status.get("panel", "not asked"))
        if result.panel is None or p_status != "ok":
            raise ScoringError("--panel-resample needs Π_panel fitted on the inputs' own panel "
                               f"with the project's method (panel: {p_status}); it does not "
                               "apply with --norms or --compat paper")
        methods = tuple(m for m in ("panel", "axis") if f"pi_{m}" in scores
                        and result.status.get(m) == "ok")
        rs = resample(result.panel, scores, panel_resample, seed=seed, methods=methods)
        scores = scores.merge(rs.columns, on="model", how="left")
        s["panel_resample"] = rs.stability
        if "pi_self_lo" in scores and "pi_self_hi" in scores:
            w = (scores["pi_self_hi"] - scores["pi_self_lo"]).dropna()
            s["panel_resample"]["pi_self"] = {
                "median_spearman": 1.0, "note": "no panel: the same under every refit",
                "median_interval_width": float(np.median(w)) if len(w) else None}
    fine = (fine_tunes(table, facts, n_boot, seed, catalog,
                       include_superseded=include_superseded, reparse=reparse)
            if facts["parent"].notna().any() else [])
    if fine:
        s["fine_tunes"] = fine
    shown = facts[["provider", "family", "release_date", "parent"]].copy()
    shown["release_date"] = shown["release_date"].dt.strftime("%Y-%m-%d")
    keep = [c for c in shown.columns if c == "provider" or shown[c].notna().any()]
    result.scores = scores.merge(shown[keep].reset_index(), on="model", how="left")
    return result
