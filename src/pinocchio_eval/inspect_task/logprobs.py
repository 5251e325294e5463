"""Expected rating from the top log-probabilities of the answer's first token(s).

A sampled answer is one draw; the probabilities the model put on each scale value at the moment
it started its number say how sure it was and give a smoother rating (the expectation).

Multi-digit scales need care. With a tokenizer that splits numbers into single digits (Gemma,
Llama), "10" is the token "1" followed by "0", so the probability of "1" at the first position
belongs partly to 1 and partly to 10. The split is only visible when the model actually produced
"1" (the next position then gives P("0" | "1")), or when the caller asked the model for the
position after "1" separately (``continuations``: what the probability-reading solver does on
multi-digit scales). Otherwise the ambiguous mass is assigned to the shorter reading and
reported as ``unresolved`` so nobody mistakes it for a measured number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

_DIGITS = re.compile(r"^\s*([0-9]+)\s*$")


class _Top(Protocol):
    token: str
    logprob: float


class _Position(Protocol):
    token: str
    logprob: float
    top_logprobs: Sequence[_Top] | None


@dataclass(frozen=True)
class RatingDistribution:
    """Probability of each scale value at the answer position, renormalised over the scale."""

    probabilities: dict[int, float]
    expected: float | None  # probability-weighted rating
    argmax: int | None  # most probable scale value
    coverage: float  # probability mass on scale values before renormalising (0..1)
    position: int  # index of the generated token the distribution was read at
    unresolved: float = 0.0  # share of the mass whose multi-digit reading could not be split
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["probabilities"] = {str(k): v for k, v in self.probabilities.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RatingDistribution:
        """Inverse of :meth:`to_dict` (JSON turned the scale values into strings)."""
        fields = dict(data)
        fields["probabilities"] = {int(k): float(v) for k, v in data["probabilities"].items()}
        fields["notes"] = list(data.get("notes") or [])
        return cls(**fields)


def _number(token: str) -> str | None:
    m = _DIGITS.match(token.replace("\u2581", " "))  # SentencePiece marks spaces with U+2581
    return m.group(1) if m else None


def _answer_position(content: Sequence[_Position]) -> int:
    """The first generated token that starts a number; else the first non-blank token; else
    the first token (a one-token reading whose most probable token is a line break still has
    its scale values among the alternatives)."""
    for i, pos in enumerate(content):
        if re.match(r"^\s*[0-9]", pos.token.replace("\u2581", " ")):
            return i
    for i, pos in enumerate(content):
        if pos.token.strip().replace("\u2581", ""):
            return i
    return 0


def _alternatives(pos: _Position) -> dict[str, float]:
    """Token → probability at one position (top list, plus the sampled token itself)."""
    probs: dict[str, float] = {}
    for top in pos.top_logprobs or []:
        probs[top.token] = max(probs.get(top.token, 0.0), math.exp(top.logprob))
    probs.setdefault(pos.token, math.exp(pos.logprob))
    return probs


def scale_prefixes(scale_values: Sequence[int]) -> list[str]:
    """Digit strings that are a scale value *and* the start of a longer one (``"1"`` of 0..10).

    Only for these does the first digit leave the rating open; the probability reading asks
    the model for the next position after each of them.
    """
    values = {str(v) for v in scale_values if v >= 0}
    return sorted({t[:n] for t in values for n in range(1, len(t))})


def _split(p: float, digits: str, nxt: Mapping[str, float], values: dict[str, int],
           mass: dict[int, float]) -> None:
    """Share ``p`` (mass on the prefix ``digits``) between it and its longer readings."""
    cont = 0.0
    for t2, p2 in nxt.items():
        d2 = _number(t2)
        if d2 is not None and digits + d2 in values:
            mass[values[digits + d2]] += p * p2
            cont += p2
        elif d2 is not None:
            cont += p2  # a longer number that is not on the scale
    if digits in values:
        mass[values[digits]] += p * max(0.0, 1.0 - cont)


def rating_distribution(content: Sequence[_Position] | None,
                        scale_values: Sequence[int],
                        continuations: Mapping[str, _Position] | None = None
                        ) -> RatingDistribution | None:
    """Distribution over ``scale_values`` from per-token top log-probabilities, or ``None``.

    ``content`` is the provider's per-token list (Inspect ``Logprobs.content``);
    ``continuations`` maps a prefix digit string (see :func:`scale_prefixes`) to the position
    read right after it. Returns ``None`` when there are no log-probabilities or no
    probability falls on the scale.
    """
    if not content:
        return None
    at = _answer_position(content)
    values = {str(v): v for v in scale_values if v >= 0}
    longer = {s: [t for t in values if t != s and t.startswith(s)] for s in
              {t[:n] for t in values for n in range(1, len(t) + 1)}}
    mass: dict[int, float] = dict.fromkeys(scale_values, 0.0)
    unresolved = 0.0
    notes: list[str] = []
    sampled = _number(content[at].token)
    for token, p in _alternatives(content[at]).items():
        digits = _number(token)
        if digits is None:
            continue
        digits = digits.lstrip("0") or "0"
        if not longer.get(digits):
            if digits in values:
                mass[values[digits]] += p
            continue
        # the token is a prefix of longer values (e.g. "1" of "10")
        if continuations and digits in continuations:
            _split(p, digits, _alternatives(continuations[digits]), values, mass)
        elif (sampled is not None and (sampled.lstrip("0") or "0") == digits
              and at + 1 < len(content)):
            _split(p, digits, _alternatives(content[at + 1]), values, mass)
        else:
            if digits in values:
                mass[values[digits]] += p
            unresolved += p
    if unresolved:
        notes.append(f"{unresolved:.3f} of the mass could be a longer number "
                     "(not generated, so not split); counted as the one-digit value")
    coverage = sum(mass.values())
    if coverage <= 0:
        return None
    probs = {v: m / coverage for v, m in mass.items()}
    expected = sum(v * p for v, p in probs.items())
    argmax = max(probs, key=lambda v: probs[v])
    return RatingDistribution(probs, expected, argmax, min(coverage, 1.0), at,
                              unresolved / coverage, notes)
