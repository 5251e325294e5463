"""Per-sample scoring (parse the rating) and the run-level metrics Inspect reports.

Each sample's score value is a dict so that Inspect's default epoch reducer (``mean``) averages
every field per item across repeats, NaN-aware, before any metric sees it:

  rating      parsed rating on the scale (NaN unless the status is ``ok``)
  normalised  rating mapped onto [0, 1] (min → 0, max → 1)
  ok          1 when a rating was read, else 0 (its mean is the parse rate)
  refusal     1 when the model declined, else 0
  expected    log-probability expected rating (NaN when not requested or not available)
  mass        probability the model put on the scale's values at the answer position, before
              renormalising (NaN unless read from probabilities)

With ``reading="probabilities"`` the rating *is* the expected rating (status ``probability``);
a sample whose answer position puts no probability on the scale gets status ``no_scale_mass``.

Π_self and its interval come from the scoring engine
(:func:`pinocchio_eval.scoring.selfanchored.pi_self_estimate`, the same seeded questionnaire
bootstrap as ``pinocchio-eval score``); the metric only hands it the run's records. Means carry
standard errors clustered by questionnaire, computed by Inspect's own ``stderr(cluster=...)``.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from typing import Any

from inspect_ai.scorer import (
    SampleScore,
    Score,
    Target,
    metric,
    scorer,
    stderr,
)
from inspect_ai.solver import TaskState

from ..battery.schema import Scale
from ..parsing import parse_answer
from ..scoring.selfanchored import SelfEstimate, pi_self_estimate
from .logprobs import RatingDistribution, rating_distribution

logger = logging.getLogger(__name__)
NAN = float("nan")
# Metrics are also recomputed on partial results for the progress display, so a NaN reason
# here may be transient: logged once at info level. A run whose selection cannot give Π_self
# is warned about when it starts (the hook in _registry.py).
_said: set[str] = set()


def scale_from_metadata(meta: dict[str, Any]) -> Scale:
    """Rebuild the item's scale from sample metadata (logs are self-describing)."""
    labels = meta.get("scale_labels")
    if labels:
        return Scale(labels={int(k): str(v) for k, v in labels.items()})
    lo, hi = int(meta["scale_min"]), int(meta["scale_max"])
    return Scale(labels={v: str(v) for v in range(lo, hi + 1)})


def _distribution(state: TaskState, scale: Scale) -> tuple[RatingDistribution | None, bool]:
    """The answer-position distribution, and whether the output had log-probabilities.

    The probability-reading solver has read it already (``metadata[DISTRIBUTION]``); with
    text reading it is read here from the output's log-probabilities, if any.
    """
    from .reading import DISTRIBUTION, first_position  # lazy: cycle (scorer -> reading -> scorer)

    read = (state.metadata or {}).get(DISTRIBUTION)
    if read is not None:
        dist = read.get("distribution")
        return (RatingDistribution.from_dict(dist) if dist else None), bool(read["logprobs"])
    read = first_position(state.output) if state.output else None
    if read is None:
        return None, False
    return rating_distribution(read.content, scale.values), True


def _logprob_fields(dist: RatingDistribution | None, had_logprobs: bool, requested: bool
                    ) -> tuple[float, dict[str, Any]]:
    """Expected rating and distribution when the output carries log-probabilities."""
    if not had_logprobs:
        if not requested:
            return NAN, {}
        return NAN, {"logprobs": "unavailable: the provider returned no log-probabilities; "
                                 "the parsed rating stands alone"}
    if dist is None:
        return NAN, {"logprobs": "no probability on a scale value at the answer position"}
    return float(dist.expected or NAN), {"logprobs": "ok", "distribution": dist.to_dict()}


# ------------------------------------------------------------------ metrics
#: Samples are clustered by questionnaire for standard errors: items of one questionnaire
#: share instructions and a scale, so their answers are not independent.
CLUSTER = "questionnaire"
#: Questionnaire-bootstrap draws and seed for Π_self's interval (the scorer's defaults).
BOOTSTRAP_DRAWS = 1000
BOOTSTRAP_SEED = 0


def _value(s: SampleScore, key: str) -> float:
    v = s.score.value
    if isinstance(v, dict):
        x = v.get(key)
        return float(x) if isinstance(x, int | float) and x is not None else NAN
    return NAN


def _mean_and_clustered_stderr(scores: list[SampleScore], key: str) -> tuple[float, float]:
    """Mean of one score field and its standard error clustered by questionnaire.

    The standard error is Inspect's own ``stderr(cluster=...)`` applied to the field's
    values (samples where the field is NaN are left out of both numbers).
    """
    kept = []
    for s in scores:
        x = _value(s, key)
        if not math.isnan(x):
            # model_construct: our own values, already checked. Every field is given: a
            # missing one makes pydantic inspect its default factory's signature, per object
            # (measured ~0.9 ms per sample over the run's metrics).
            kept.append(SampleScore.model_construct(
                score=Score.model_construct(value=x, answer=None, explanation=None,
                                            reason=None, metadata=None, history=[]),
                sample_id=s.sample_id, scorer=None,
                sample_metadata={CLUSTER: (s.sample_metadata or {}).get(CLUSTER, "?")}))
    if not kept:
        return NAN, NAN
    mean = sum(float(k.score.value) for k in kept) / len(kept)  # type: ignore[arg-type]
    return mean, float(stderr(cluster=CLUSTER)(kept))  # type: ignore[arg-type]


@metric
def parse_rate() -> Any:
    """Share of samples (items × conditions, repeats averaged) with a rating on the scale,
    with its standard error clustered by questionnaire (``parse_rate_stderr``)."""
    def compute(scores: list[SampleScore]) -> dict[str, float]:
        mean, se = _mean_and_clustered_stderr(scores, "ok")
        return {"parse_rate": mean, "parse_rate_stderr": se}
    return compute


@metric
def refusal_rate() -> Any:
    """Share of samples where the model declined to rate."""
    def compute(scores: list[SampleScore]) -> float:
        return _mean_and_clustered_stderr(scores, "refusal")[0]
    return compute


@metric
def scale_mass() -> Any:
    """Mean probability on the scale's values at the answer position (probability reading)."""
    def compute(scores: list[SampleScore]) -> float:
        return _mean_and_clustered_stderr(scores, "mass")[0]
    return compute


@metric
def mean_by_condition() -> Any:
    """Mean normalised rating (0 = scale minimum, 1 = maximum) per condition, each with a
    standard error clustered by questionnaire (``mean_<condition>_stderr``)."""
    def compute(scores: list[SampleScore]) -> dict[str, float]:
        groups: dict[str, list[SampleScore]] = defaultdict(list)
        for s in scores:
            groups[(s.sample_metadata or {}).get("condition", "?")].append(s)
        out: dict[str, float] = {}
        for cond, members in groups.items():
            out[f"mean_{cond}"], out[f"mean_{cond}_stderr"] = _mean_and_clustered_stderr(
                members, "normalised")
        return out
    return compute


def _records(scores: list[SampleScore]) -> list[tuple[str, str, int, float]]:
    """(condition, questionnaire, item_index, rating) per sample, for the scoring engine."""
    out = []
    for s in scores:
        meta = s.sample_metadata or {}
        if "questionnaire" in meta and "item_index" in meta:
            out.append((meta.get("condition", "?"), meta["questionnaire"],
                        int(meta["item_index"]), _value(s, "rating")))
    return out


def pi_self_value(scores: list[SampleScore], draws: int = 0, seed: int = BOOTSTRAP_SEED
                  ) -> SelfEstimate:
    """Π_self of one run (with its interval when ``draws``); NaN with a reason when it
    cannot be had."""
    records = _records(scores)
    present = {r[0] for r in records}
    missing = [c for c in ("neutral", "human_simulation") if c not in present]
    if missing:
        return SelfEstimate(NAN, NAN, NAN, 0, (
            f"pi_self is NaN: the run has no {' or '.join(missing)} samples; Π_self compares "
            "neutral with human_simulation answers (-T conditions=neutral,human_simulation)"))
    modes = {(s.sample_metadata or {}).get("text_mode") for s in scores} - {None}
    est = pi_self_estimate(records, draws=draws, seed=seed,
                           text_mode=modes.pop() if len(modes) == 1 else "corrected")
    if est.n_items == 0:
        return SelfEstimate(NAN, NAN, NAN, 0, (
            "pi_self is NaN: no item has a usable rating in both conditions and a weight in "
            f"scorers/pc1_item_weights.csv ({est.reason})"))
    return est


@metric
def pi_self(bootstrap: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED) -> Any:
    """Self-anchored Π (neutral vs human_simulation, frozen PC1 item weights) with its 95 %
    interval over a seeded questionnaire bootstrap (``pi_self_lo``, ``pi_self_hi``) and the
    number of items it rests on (``pi_self_items``); the engine computes all four."""
    def compute(scores: list[SampleScore]) -> dict[str, float]:
        est = pi_self_value(scores, int(bootstrap), int(seed))
        if est.reason and est.reason not in _said:
            _said.add(est.reason)
            logger.info(est.reason)
        return {"pi_self": est.value, "pi_self_lo": est.lo, "pi_self_hi": est.hi,
                "pi_self_items": float(est.n_items)}
    return compute


# ------------------------------------------------------------------ scorer
@scorer(metrics=[pi_self(), parse_rate(), refusal_rate(), mean_by_condition(), scale_mass()],
        name="pinocchio_scorer")
def pinocchio_scorer(logprobs: bool = False, reading: str = "text") -> Any:
    """Rate the answer on the item's scale; keep the status and raw text.

    ``reading="text"`` parses the generated answer; with ``logprobs`` (or whenever the output
    happens to carry log-probabilities) the expected rating and the distribution over the
    scale are stored beside it. ``reading="probabilities"`` scores the expected rating itself.
    """
    by_probability = reading == "probabilities"

    async def score(state: TaskState, target: Target) -> Score:
        meta = state.metadata or {}
        scale = scale_from_metadata(meta)
        text = state.output.completion if state.output else ""
        dist, had = _distribution(state, scale)
        expected, extra = _logprob_fields(dist, had, logprobs or by_probability)
        mass = dist.coverage if dist is not None else NAN
        if by_probability:
            ok = dist is not None
            rating = float(dist.expected) if ok and dist.expected is not None else NAN
            status = "probability" if ok else "no_scale_mass"
            return Score(
                value={"rating": rating, "normalised": scale.normalise(rating) if ok else NAN,
                       "ok": float(ok), "refusal": 0.0, "expected": expected,
                       "mass": mass if ok else 0.0},
                answer=text,
                explanation=(f"expected rating {rating:.3f} from probabilities; "
                             f"{mass:.3f} of the mass on the scale") if ok else extra["logprobs"],
                metadata={"status": status, **extra})
        parsed = parse_answer(text, scale)
        rating = parsed.value if parsed.status == "ok" and parsed.value is not None else NAN
        norm = scale.normalise(rating) if not math.isnan(rating) else NAN
        return Score(
            value={"rating": rating, "normalised": norm,
                   "ok": 1.0 if parsed.status == "ok" else 0.0,
                   "refusal": 1.0 if parsed.status == "refusal" else 0.0,
                   "expected": expected, "mass": mass},
            answer=parsed.raw,
            explanation=f"{parsed.status}: {parsed.detail}" if parsed.detail else parsed.status,
            metadata={"status": parsed.status, "number": parsed.number,
                      "hedged": parsed.hedged, **extra})
    return score
