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

Uncertainty. lm-eval stores a metric's standard error under ``<metric>_stderr`` and prints it
in its table's "Stderr" column. Its own estimate treats documents as independent (or is
missing, for custom aggregations such as Π_self). Here each document also reports a
``<metric>_stderr`` value whose aggregation gives the estimate this project stands behind:
a standard error clustered by questionnaire for the means, and for Π_self the engine's
seeded questionnaire bootstrap (``pi_self_lo``/``pi_self_hi``, its 95 % interval, and
``pi_self_stderr``). lm-eval writes its own ``<metric>_stderr`` entry right after aggregating
``<metric>``; ours, listed after it in ``process_results``, is aggregated later and replaces
it. That ordering is lm-eval behaviour (``evaluator_utils``), checked by
``tests/lmeval/test_lmeval_harness.py``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..parsing import parse_answer
from ..scoring.selfanchored import means_by_condition, pi_self_estimate
from .docs import scale_from_json

logger = logging.getLogger(__name__)
NAN = float("nan")
#: ``(condition, questionnaire, item_index, rating, text_mode)`` per Π_self document.
Record = tuple[str, str, int, float, str]
#: Questionnaire-bootstrap draws and seed for Π_self's interval (as in ``pinocchio-eval score``).
BOOTSTRAP_DRAWS = 1000
BOOTSTRAP_SEED = 0
#: A 95 % normal interval spans ±1.96 standard errors.
_Z95 = 1.959963984540054


# ---------------------------------------------------------------- clustered means

def clustered_stderr(items: Sequence[Sequence[Any]]) -> float:
    """Standard error of the mean of ``(cluster, value)`` pairs, clustered by ``cluster``.

    Same estimator as Inspect's ``stderr(cluster=...)`` (sandwich form with the finite-
    cluster correction C/(C-1)); NaN values are left out, one cluster gives 0.
    """
    pairs = [(c, float(v)) for c, v in items if v is not None and math.isfinite(float(v))]
    if not pairs:
        return NAN
    values = np.array([v for _, v in pairs])
    codes = np.unique(np.array([str(c) for c, _ in pairs]), return_inverse=True)[1]
    n_clusters = int(codes.max()) + 1
    if n_clusters < 2:
        return 0.0
    sums = np.bincount(codes, weights=values - values.mean(), minlength=n_clusters)
    return float(np.sqrt(np.sum(sums ** 2) * n_clusters / (n_clusters - 1)) / len(values))


def nanmean(items: Sequence[float]) -> float:
    """Mean skipping NaN (a plain function, so lm-eval does not bootstrap it needlessly:
    the clustered standard error replaces its estimate)."""
    xs = np.asarray(items, dtype=float)
    xs = xs[~np.isnan(xs)]
    return float(xs.mean()) if xs.size else NAN


def _with_stderr(doc: dict[str, Any], values: dict[str, float]) -> dict[str, Any]:
    """Each value followed by its ``<name>_stderr`` item, clustered by questionnaire."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        out[name] = value
        out[f"{name}_stderr"] = (doc["questionnaire"], value)
    return out


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
    return _with_stderr(doc, {"rating_norm": _normalise(doc, value),
                              "parse_rate": float(status == "ok")})


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
    return {**_with_stderr(doc, {"rating_norm": _normalise(doc, s.expected)}),
            "argmax_norm": _normalise(doc, s.argmax),
            "choice_mass": s.mass}


# ---------------------------------------------------------------- Π_self

def _record(doc: dict[str, Any], rating: float | None) -> Record:
    return (doc["condition"], doc["questionnaire"], int(doc["item_index"]),
            NAN if rating is None else float(rating), doc.get("text_mode") or "corrected")


def _split(records: Sequence[Sequence[Any]]) -> tuple[list[tuple[Any, ...]], str]:
    """The 4-field records the engine takes, and the run's text mode (one mode per run;
    records without one, or a mix, count as the default "corrected")."""
    modes = {str(r[4]) for r in records if len(r) > 4}
    mode = modes.pop() if len(modes) == 1 else "corrected"
    return [tuple(r[:4]) for r in records], mode


#: Every Π_self metric a document feeds, in the order lm-eval must aggregate them
#: (``pi_self_stderr`` after ``pi_self``, see the module doc).
PI_SELF_METRICS = ("pi_self", "pi_self_stderr", "pi_self_lo", "pi_self_hi", "pi_self_items")


def _pi_self_items(rec: Record) -> dict[str, Record]:
    return dict.fromkeys(PI_SELF_METRICS, rec)


def process_pi_self_generative(doc: dict[str, Any], results: Sequence[Any]) -> dict[str, Record]:
    value, _ = parse_generation(doc, results[0])
    return _pi_self_items(_record(doc, value))


def process_pi_self_multiple_choice(doc: dict[str, Any], results: Sequence[Any]
                                    ) -> dict[str, Record]:
    s = summarise_choices(_loglikelihoods(results), doc["scale_values"])
    return _pi_self_items(_record(doc, s.expected))


def condition_means(records: Sequence[Sequence[Any]], condition: str
                    ) -> dict[tuple[str, int], float]:
    """Per-item mean rating in one condition (repeats averaged, NaN answers skipped)."""
    return means_by_condition(_split(records)[0]).get(condition, {})


def _estimate(records: Sequence[Sequence[Any]], draws: int = BOOTSTRAP_DRAWS):  # noqa: ANN202
    rows, mode = _split(records)
    return pi_self_estimate(rows, draws=draws, seed=BOOTSTRAP_SEED, text_mode=mode)


def pi_self_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """Π_self of the run (NaN when no item has an answer in both conditions, with a warning
    that says why: a NaN in the results table alone would not)."""
    est = _estimate(records, draws=0)
    if est.reason:
        logger.warning("pinocchio: pi_self is NaN for this run: %s", est.reason)
    return est.value


def pi_self_items_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """How many items entered Π_self (answered in both conditions and in the weight table)."""
    return float(_estimate(records, draws=0).n_items)


def pi_self_lo_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """Lower end of Π_self's 95 % questionnaire-bootstrap interval (seeded)."""
    return _estimate(records).lo


def pi_self_hi_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """Upper end of Π_self's 95 % questionnaire-bootstrap interval (seeded)."""
    return _estimate(records).hi


def pi_self_stderr_aggregate(records: Sequence[Sequence[Any]]) -> float:
    """Π_self's standard error as lm-eval shows it: the 95 % interval's width / (2 × 1.96)."""
    est = _estimate(records)
    return (est.hi - est.lo) / (2 * _Z95)
