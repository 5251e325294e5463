"""Π_self: a single model's score from its own neutral vs human-simulation answers.

Π_self = Σ_i r_i (x̄_i,neutral − x̄_i,human) / s_i  /  Σ_i |r_i|, over items present in both
conditions and in the frozen weight table (r_i = the item's correlation with the paper's PC1,
s_i = its SD across the paper's 50 models). No other model is needed, so harness adapters
(an Inspect metric, an lm-eval aggregation) call :func:`pi_self_estimate` on one run's records
(Π_self with its questionnaire-bootstrap interval, through the same engine as
``pinocchio-eval score``).

The weight table and its two rules (a weight applies only to its own item text; superseded
instruments are left out unless asked for) live in :mod:`.weights`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .hygiene import clean_responses
from .matrices import PanelData
from .weights import (  # noqa: F401  (re-exported: the weight table's old import path)
    WEIGHTS_FILE,
    Key,
    battery_text,
    load_item_weights,
    read_item_weights,
    superseded_names,
    text_applies,
    weight_arrays,
)


def pi_self_from_means(neutral: Mapping[Key, float] | pd.Series,
                       human: Mapping[Key, float] | pd.Series,
                       weights: pd.DataFrame | None = None,
                       texts: Mapping[Key, str] | None = None, text_mode: str = "corrected",
                       include_superseded: bool = False) -> tuple[float, int]:
    """Π_self of ONE model from its per-item mean answers in the two conditions.

    ``neutral`` and ``human`` map ``(questionnaire, item_index)`` to the model's mean answer
    (repeated samples already averaged; missing or NaN entries are skipped). Questionnaire
    names are the battery's (MFQ parts as ``..._1``/``..._2``). ``weights`` defaults to the
    shipped table. ``texts`` (item → text shown) or else ``text_mode`` says which text the
    model answered, so a weight is used only on its own text; superseded instruments are left
    out unless ``include_superseded``. Returns ``(pi_self, n_items)``; ``pi_self`` is NaN when
    no item qualifies. The arithmetic is :func:`self_scores` on a one-model panel, so an item
    with r = 0 (no information) is not counted, as in ``score``.
    """
    keys, r, s, allowed = weight_arrays(weights)
    use = text_applies(list(keys), allowed, texts, text_mode)
    if not include_superseded:
        use &= ~keys.get_level_values(0).isin(superseded_names())
    n = pd.Series(neutral, dtype=float).reindex(keys).to_numpy()
    h = pd.Series(human, dtype=float).reindex(keys).to_numpy()
    score, n_items = self_scores(n[None, :], h[None, :], np.where(use, r, 0.0), s)
    return float(score[0]), int(n_items[0])


def means_by_condition(records: Iterable[Sequence[Any]]) -> dict[str, dict[Key, float]]:
    """Records ``(condition, questionnaire, item_index, rating)`` → condition → item → mean.

    Repeats are averaged and missing ratings (None, NaN) skipped: the per-item means
    :func:`pi_self_from_means` takes, from whatever a harness collected during one run.
    """
    acc: dict[str, dict[Key, list[float]]] = defaultdict(lambda: defaultdict(list))
    for cond, questionnaire, item_index, rating in records:
        if rating is not None and math.isfinite(float(rating)):
            acc[str(cond)][(str(questionnaire), int(item_index))].append(float(rating))
    return {c: {k: float(np.mean(v)) for k, v in d.items()} for c, d in acc.items()}


def pi_self_from_records(records: Iterable[Sequence[Any]],
                         weights: pd.DataFrame | None = None, text_mode: str = "corrected",
                         include_superseded: bool = False) -> tuple[float, int]:
    """Π_self of one run from its per-sample records (see :func:`means_by_condition`).

    ``text_mode`` is the battery text mode the run administered (it decides which item texts
    the model saw); superseded instruments in the run are left out, as ``score`` does.
    """
    means = means_by_condition(records)
    return pi_self_from_means(means.get("neutral", {}), means.get("human_simulation", {}),
                              weights, text_mode=text_mode,
                              include_superseded=include_superseded)


def self_matrices(items: pd.MultiIndex, weights: pd.DataFrame | None = None,
                  texts: pd.Series | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Align the weight table to a panel's item axis: (r, s, in_table mask) per item.

    ``texts`` (aligned to ``items``; NA where unknown) restricts each weight to its own text.
    """
    keys, r, s, allowed = weight_arrays(weights)
    if allowed is not None:
        shown = None
        if texts is not None:
            shown = {k: t for k, t in zip(items, texts, strict=True) if isinstance(t, str)}
        keep = text_applies(list(keys), allowed, shown)
        keys, r, s = keys[keep], r[keep], s[keep]
    pos = keys.get_indexer(items)
    found = pos >= 0
    r_al = np.where(found, r[pos], 0.0)
    s_al = np.where(found, s[pos], 1.0)
    return r_al, s_al, found


def self_scores(neutral: np.ndarray, human: np.ndarray, r: np.ndarray, s: np.ndarray,
                unit_weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Π_self for a models × items panel; ``unit_weights`` (n_items[, draws])."""
    d = (neutral - human) / s
    has = ~np.isnan(d) & (r != 0)
    contrib = np.where(has, d, 0.0) * r
    mult = np.ones(len(r)) if unit_weights is None else unit_weights
    num = contrib @ mult
    den = (has * np.abs(r)) @ mult
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return score, has.sum(axis=1)


def pi_self(table: pd.DataFrame, weights: pd.DataFrame | None = None,
            catalog: object | None = None) -> pd.DataFrame:
    """Π_self for every model in a response table (harness-independent entry point).

    ``table`` is a canonical response table (see :mod:`pinocchio_eval.responses`); it goes
    through the same hygiene as the panel methods. Returns one row per model with
    ``pi_self`` and ``n_items_self``; models without both conditions get NaN.
    """
    panel = PanelData.from_clean(clean_responses(table, catalog=catalog))  # type: ignore[arg-type]
    r, s, _ = self_matrices(panel.items, weights, panel.item_text)
    score, n = self_scores(panel.matrix("neutral"), panel.matrix("human_simulation"), r, s)
    return pd.DataFrame({"model": panel.models, "pi_self": score, "n_items_self": n})


@dataclass(frozen=True)
class SelfEstimate:
    """Π_self of one run with its questionnaire-bootstrap interval (NaN and a reason if none)."""

    value: float
    lo: float
    hi: float
    n_items: int
    reason: str = ""  # empty when the estimate exists


def pi_self_estimate(records: Iterable[Sequence[Any]], draws: int = 1000, seed: int = 0,
                     text_mode: str = "corrected") -> SelfEstimate:
    """Π_self and its 95 % interval from one run's per-sample records, for harness metrics.

    Goes through :func:`~pinocchio_eval.scoring.engine.score_table` (same hygiene, same
    seeded questionnaire bootstrap as ``pinocchio-eval score``), so a harness shows the very
    numbers the scorer would give for the same answers. ``text_mode`` is the battery text
    mode the run administered: it decides which item texts the weights are checked against.
    """
    # lazy: cycle (engine -> methods -> selfanchored -> engine): Π_self is an engine method
    from .engine import ScoringError, score_table

    rows = [(str(c), str(q), int(i), np.nan if r is None else float(r))
            for c, q, i, r in records]
    nan = float("nan")
    if not rows:
        return SelfEstimate(nan, nan, nan, 0, "no scored samples yet")
    table = pd.DataFrame(rows, columns=["condition", "questionnaire", "item_index", "response"])
    table.insert(0, "model", "run")
    texts = [battery_text(q, i, text_mode) for q, i in zip(table["questionnaire"],
                                                           table["item_index"], strict=True)]
    if any(isinstance(t, str) for t in texts):
        table["item"] = texts
    try:
        res = score_table(table, methods=("self",), bootstrap=int(draws), seed=int(seed))
    except ScoringError as exc:
        return SelfEstimate(nan, nan, nan, 0, str(exc))
    row = res.scores.iloc[0]
    n = int(row["n_items_self"]) if "n_items_self" in row and pd.notna(row["n_items_self"]) else 0
    if n == 0:  # the engine may call that "ok" (it scored the run): say what is missing
        status = res.status.get("self", "ok")
        return SelfEstimate(nan, nan, nan, 0, status if status != "ok" else
                            "no weighted item has a rating in both conditions")
    lo = float(row.get("pi_self_lo", nan)) if draws else nan
    hi = float(row.get("pi_self_hi", nan)) if draws else nan
    return SelfEstimate(float(row["pi_self"]), lo, hi, n)
