"""Per-document scoring and aggregations for the lm-eval tasks (referenced from the YAML).

lm-eval calls ``process_results(doc, results)`` once per document and then each metric's
aggregation on the list of per-document values. Generative answers go through the shared
parser; log-likelihood answers become a probability distribution over the scale values.

Π_self needs per-item answers from two conditions. lm-eval's group aggregation
(``aggregate_metric_list``) only ever sees each subtask's final number and only computes a
(weighted) mean of them, so Π_self cannot be formed there. It is formed inside one subtask
whose documents carry both conditions (``pinocchio_pi_self``): every document yields a record
``(condition, questionnaire, item_index, rating)`` and :func:`pi_self_aggregate` turns the
list into Π_self by calling the scoring engine. The group then lists ``pi_self`` in its
``aggregate_metric_list``; since exactly one child reports it, the group's "mean" is that value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..parsing import parse_answer
from .docs import scale_from_json

NAN = float("nan")
Record = tuple[str, str, int, float]


# ---------------------------------------------------------------- generative

def parse_generation(doc: dict[str, Any], text: Any) -> tuple[float | None, str]:
    """The rating on the item's scale read from the model's text, and the parse status."""
    result = parse_answer(text, scale_from_json(doc["scale_labels"]))
    return result.value, result.status


def _normalise(doc: dict[str, Any], value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return NAN
    return (value - doc["scale_min"]) / (doc["scale_max"] - doc["scale_min"])


def process_generative(doc: dict[str, Any], results: Sequence[Any]) -> dict[str, float]:
    """``rating_norm`` is NaN for unparsed answers (``nanmean`` skips them); ``parse_rate`` 0/1."""
    value, status = parse_generation(doc, results[0])
    return {"rating_norm": _normalise(doc, value), "parse_rate": float(status == "ok")}


# ---------------------------------------------------------------- log-likelihood

@dataclass(frozen=True)
class ChoiceSummary:
    """What the log-likelihoods of the scale values say about one item."""

    probabilities: dict[int, float]  # scale value -> probability, renormalised over the scale
    expected: float  # probability-weighted rating
    argmax: int  # most probable value (lowest value on ties)
    mass: float  # total unnormalised probability of all choices: how much the model "agrees"


def summarise_choices(loglikelihoods: Sequence[float], values: Sequence[int]) -> ChoiceSummary:
    """Softmax over the choices' log-likelihoods; the expected and the most probable rating."""
    ll = np.asarray(loglikelihoods, dtype=float)
    if ll.shape != (len(values),):
        raise ValueError(f"{len(ll)} log-likelihoods for {len(values)} scale values")
    top = ll.max()
    weights = np.exp(ll - top)
    probs = weights / weights.sum()
    vals = np.asarray(values, dtype=float)
    return ChoiceSummary(
        probabilities={int(v): float(p) for v, p in zip(values, probs, strict=True)},
        expected=float(probs @ vals),
        argmax=int(values[int(np.argmax(ll))]),
        mass=float(np.exp(top) * weights.sum()),
    )


def _loglikelihoods(results: Sequence[Any]) -> list[float]:
    """lm-eval hands multiple-choice results as ``(loglikelihood, is_greedy)`` pairs."""
    return [float(r[0]) if isinstance(r, (tuple, list)) else float(r) for r in results]


def process_multiple_choice(doc: dict[str, Any], results: Sequence[Any]) -> dict[str, float]:
    s = summarise_choices(_loglikelihoods(results), doc["scale_values"])
    return {"rating_norm": _normalise(doc, s.expected),
            "argmax_norm": _normalise(doc, s.argmax),
            "choice_mass": s.mass}


# ---------------------------------------------------------------- Π_self

def _record(doc: dict[str, Any], rating: float | None) -> Record:
    return (doc["condition"], doc["questionnaire"], int(doc["item_index"]),
            NAN if rating is None else float(rating))


def process_pi_self_generative(doc: dict[str, Any], results: Sequence[Any]) -> dict[str, Record]:
    value, _ = parse_generation(doc, results[0])
    rec = _record(doc, value)
    return {"pi_self": rec, "pi_self_items": rec}


def process_pi_self_multiple_choice(doc: dict[str, Any], results: Sequence[Any]
                                    ) -> dict[str, Record]:
    s = summarise_choices(_loglikelihoods(results), doc["scale_values"])
    rec = _record(doc, s.expected)
    return {"pi_self": rec, "pi_self_items": rec}


def condition_means(records: Sequence[Sequence[Any]], condition: str
                    ) -> dict[tuple[str, int], float]:
    """Per-item mean rating in one condition (repeats averaged, NaN answers skipped)."""
    from ..scoring.selfanchored import means_by_condition

    return means_by_condition(records).get(condition, {})


def _pi_self(records: Sequence[Sequence[Any]]) -> tuple[float, int]:
    from ..scoring.selfanchored import pi_self_from_records

    return pi_self_from_records(records)


def pi_self_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """Π_self of the run (NaN when no item has an answer in both conditions)."""
    return _pi_self(records)[0]


def pi_self_items_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """How many items entered Π_self (answered in both conditions and in the weight table)."""
    return float(_pi_self(records)[1])
