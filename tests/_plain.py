"""Slow, plain-Python re-computations of the Π formulas (DESIGN §2), for cross-checking.

The engine works on dense numpy matrices with masks and matrix products; these functions walk
dictionaries with ``for`` loops and the ``statistics`` module instead, so a slip in the
vectorised code (a wrong ddof, a dropped absolute value, a lost multiplicity) cannot be
reproduced here by accident. Data layout everywhere: ``{model: {(questionnaire, item): value}}``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping

Key = tuple[str, int]
Answers = Mapping[str, Mapping[Key, float]]


def column(data: Answers, key: Key) -> list[float]:
    """Every model's answer to one item (models without it are left out)."""
    return [answers[key] for answers in data.values() if key in answers]


def keys_of(*datas: Answers) -> list[Key]:
    return sorted({k for data in datas for answers in data.values() for k in answers})


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), written out."""
    vals = sorted(values)
    pos = (len(vals) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (pos - lo) * (vals[hi] - vals[lo])


def item_pis(neutral: Answers, human: Answers, min_models: int = 5) -> dict[Key, float]:
    """π_i = sample variance across models, neutral over human_simulation."""
    out = {}
    for k in keys_of(neutral, human):
        n, h = column(neutral, k), column(human, k)
        if len(n) >= min_models and len(h) >= min_models and statistics.variance(h) > 0:
            out[k] = statistics.variance(n) / statistics.variance(h)
    return out


def panel_weights(pis: Mapping[Key, float], mult: Mapping[Key, int] | None = None,
                  q: float = 99.0) -> dict[Key, float]:
    """ln(min(π, cap)) for items with a positive weight; the cap is taken over the multiset
    in which item k occurs ``mult[k]`` times (a bootstrap draw), by default once each."""
    mult = mult or {}
    multiset = [p for k, p in pis.items() for _ in range(mult.get(k, 1))]
    if not multiset:
        return {}
    cap = percentile(multiset, q)
    out = {}
    for k, p in pis.items():
        if p > 0 and math.log(min(p, cap)) > 0:
            out[k] = math.log(min(p, cap))
    return out


def panel_scores(neutral: Answers, weights: Mapping[Key, float],
                 norms: Answers | None = None,
                 mult: Mapping[Key, int] | None = None) -> dict[str, float]:
    """Σ m·w·z / Σ m·w with z from ``norms`` (default: the scored panel itself, ddof 0)."""
    norms = neutral if norms is None else norms
    mult = mult or {}
    out = {}
    for model, answers in neutral.items():
        num = den = 0.0
        for k, w in weights.items():
            col = column(norms, k)
            sd = statistics.pstdev(col) if col else 0.0
            if k in answers and sd > 0:
                m = mult.get(k, 1)
                num += m * w * (answers[k] - statistics.fmean(col)) / sd
                den += m * w
        out[model] = num / den if den > 0 else math.nan
    return out


def pi_panel(neutral: Answers, human: Answers, q: float = 99.0,
             mult: Mapping[Key, int] | None = None) -> dict[str, float]:
    return panel_scores(neutral, panel_weights(item_pis(neutral, human), mult, q), mult=mult)


def pi_self(neutral: Mapping[Key, float], human: Mapping[Key, float],
            table: Mapping[Key, tuple[float, float]],
            mult: Mapping[Key, int] | None = None) -> float:
    """Σ m·r·(n − h)/√var / Σ m·|r| over items in both conditions and the table (var > 0)."""
    mult = mult or {}
    num = den = 0.0
    for k, (r, var) in table.items():
        if var > 0 and k in neutral and k in human:
            m = mult.get(k, 1)
            num += m * r * (neutral[k] - human[k]) / math.sqrt(var)
            den += m * abs(r)
    return num / den if den > 0 else math.nan


def long_table(**conditions: Answers) -> list[dict]:
    """Rows of a response table from ``condition=answers`` keyword arguments."""
    rows = []
    for cond, data in conditions.items():
        for model, answers in data.items():
            for (q, i), v in answers.items():
                rows.append({"model": model, "condition": cond, "questionnaire": q,
                             "item_index": i, "item": f"{q} #{i}", "response": v})
    return rows
