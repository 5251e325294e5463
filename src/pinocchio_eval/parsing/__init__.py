"""Turn a model's free-text answer into a rating on the questionnaire's scale, or an honest
failure status. Never raises, never returns a rating outside the scale, never guesses.

Statuses:
  ok            a rating on the scale was found
  refusal       the model declined (and gave no usable rating)
  unparseable   text with no rating we can read (a negated label, "I don't agree", is one)
  out_of_range  a single number, but not on the scale (e.g. the 754 the paper saw)
  ambiguous     several different candidate ratings, a number contradicted by its label, or a
                correction with no rating after it; we do not pick one
  empty         no text at all (or only a reasoning block)

How an answer is read, in order (docs/parsing.md has the full rules): reasoning blocks are
dropped; after an explicit correction or declaration ("…actually, make that 2", "Final answer:
4") only the text after the last one counts; the scale's range ("from 1 to 5", "out of 5") is
not a rating; then a leading number, a single number, a single scale label, or a number word
as the whole answer. A number contradicted by a label, a negated label ("I don't agree"), a
degree word between two graded labels ("Totally agree" next to "Agree" and "Strongly agree")
and a hedged second rating never become a rating.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..battery.schema import Scale
from .labels import LabelIndex, label_index
from .numbers import (
    HEDGE,
    LIST_MARKER,
    Number,
    echoes_scale,
    find_numbers,
    last_correction,
    leading_number,
    leading_number_word,
    line_at,
    number_word,
    scale_lines,
    without_ranges,
)
from .text import compact, fold, normalise, strip_reasoning

__all__ = ["MAX_ANSWER_CHARS", "STATUSES", "ParseResult", "parse_answer"]

STATUSES = ("ok", "refusal", "unparseable", "out_of_range", "ambiguous", "empty")
#: Longest answer (after reasoning blocks are removed and runs of spaces or blank lines are
#: squeezed) a rating is read from. An answer is a
#: number or a short sentence; 20,000 characters is about 80 times the Inspect task's default
#: max_tokens. Longer text is reported as unparseable, never skimmed for a number, and the
#: limit keeps every answer's parse time bounded (benchmarks/bench_parsing.py).
MAX_ANSWER_CHARS = 20_000
_READ = ("ok", "out_of_range")  # statuses that read a number from the answer

_REFUSAL = re.compile(
    r"\b(?:as an ai|as a language model|as an? (?:large )?language model|i(?:'m| am) an ai"
    r"|i (?:do not|don't|cannot|can't|can not) (?:have|experience|feel|answer|provide|"
    r"respond|rate|give|assign|choose|select|pick|possess)"
    r"|i(?: am|'m) (?:not able|unable) to|i(?:'d| would) rather not|i must decline"
    r"|i (?:won't|will not) (?:answer|provide|rate)|not applicable|n/a\b|refuse[ds]?\b"
    r"|no personal (?:experiences?|feelings?|emotions?)|lack (?:personal|subjective))",
    re.I)


@dataclass(frozen=True)
class ParseResult:
    value: float | None
    status: str
    raw: str
    number: float | None = None  # the number read, even when it is off the scale
    hedged: bool = False  # refusal-like language, but a rating was still given
    detail: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def parse_answer(text: object, scale: Scale) -> ParseResult:
    """Read one rating from ``text`` on ``scale``; see the module docstring for statuses."""
    raw = "" if text is None else str(text)
    try:
        return _parse(raw, scale)
    except Exception as exc:  # pragma: no cover - defensive: parsing must never crash a run
        return ParseResult(None, "unparseable", raw, detail=f"parser error: {exc}")


@dataclass(frozen=True)
class _Reading:
    """What one stretch of text says, before it becomes a ParseResult."""

    status: str
    number: float | None = None
    detail: str = ""


def _parse(raw: str, scale: Scale) -> ParseResult:
    body = compact(strip_reasoning(raw))
    if len(body) > MAX_ANSWER_CHARS:
        return ParseResult(None, "unparseable", raw, detail=(
            f"the answer is {len(body):,} characters long (without reasoning blocks and "
            f"repeated spaces or blank lines); a rating is read from at most "
            f"{MAX_ANSWER_CHARS:,}"))
    body = normalise(body)
    if not body:
        return ParseResult(None, "empty", raw, detail="no answer text")
    refusal = bool(_REFUSAL.search(body)) or (
        len(body) < 10 and fold(body) in {"r", "refused", "refuse"})
    reading = _read_with_corrections(body, scale)
    if reading.status == "ok":
        return ParseResult(reading.number, "ok", raw, reading.number, hedged=refusal,
                           detail=reading.detail)
    if refusal and reading.status in ("unparseable", "ambiguous"):
        return ParseResult(None, "refusal", raw, reading.number,
                           detail=f"declined to give a rating ({reading.detail})")
    return ParseResult(None, reading.status, raw, reading.number, detail=reading.detail)


def _read_with_corrections(body: str, scale: Scale) -> _Reading:
    """A later explicit correction wins; one that gives no rating makes the answer ambiguous."""
    marker = last_correction(body)
    if marker is None:
        return _read(body, scale)
    tail = body[marker.end():]
    after = _read(tail, scale)
    said = marker.group().strip(" .!?;(-:")
    if after.status in _READ and HEDGE.search(tail):
        return _Reading("ambiguous", None, f"after {said!r} only a possible rating: "
                        f"{after.detail} {after.number:g}")
    if after.status in _READ:
        return _Reading(after.status, after.number, f"after {said!r}: {after.detail}")
    before = _read(body[:marker.start()], scale)
    if before.status in _READ:
        return _Reading("ambiguous", None, f"{before.detail} {before.number:g}, then "
                        f"{said!r} with no rating after it")
    # no rating on either side of the marker: say why (an ambiguity first)
    return after if after.status == "ambiguous" else before


def _read(body: str, scale: Scale) -> _Reading:
    if not body.strip():
        return _Reading("unparseable", None, "no text")
    index = label_index(scale.labels)
    if echoes_scale(body) or _labelled_lines(body, index) >= 2:
        return _Reading("ambiguous", None, "the answer repeats the scale")
    listed = LIST_MARKER.match(body)
    if listed and not index.find(listed.group(2)):
        return _Reading("unparseable", float(listed.group(1)),
                        "starts a numbered list, not an answer")
    text = without_ranges(body, scale.min, scale.max)
    lead = leading_number(text)
    if lead is not None:
        line, rest = line_at(text, lead.start)
        _, later = find_numbers(rest) if HEDGE.search(rest) else (None, [])
        others = [f"{v:g}" for v in later if v != lead.value and scale.contains(v)]
        if others:
            return _Reading("ambiguous", None, f"leading number {lead.value:g}, then possibly "
                            f"{', '.join(others)}")
        return _number_reading(lead, line, scale, "leading number")
    first, distinct = find_numbers(text)
    if first is not None and len(distinct) == 1:
        return _number_reading(first, text, scale, "single number")
    if len(distinct) > 1:
        on_scale = [f"{v:g}" for v in distinct if scale.contains(v)]
        return _Reading("ambiguous", None, f"several numbers {[f'{v:g}' for v in distinct]} "
                        f"(on the scale: {on_scale})")
    return _label_reading(body, scale)


def _labelled_lines(body: str, index: LabelIndex, enough: int = 2) -> int:
    """How many "N - label" lines the text has, counting no further than ``enough``."""
    count = 0
    for rest in scale_lines(body):
        count += bool(index.find(rest))
        if count >= enough:
            break
    return count


def _label_reading(body: str, scale: Scale) -> _Reading:
    """The one scale label the text names, or why there is none."""
    hits = label_index(scale.labels).find(body)
    named = sorted({h.value for h in hits if h.names})
    graded = sorted({h.phrase for h in hits if h.graded and not h.negated})
    folded = fold(body)
    word = leading_number_word(folded)
    if len(named) == 1 and not graded and word in (None, named[0]):
        return _Reading("ok", float(named[0]), "scale label")
    if len(named) == 1 and not graded:
        return _Reading("ambiguous", None, f"the number word {word} but the label of {named[0]}")
    if named or graded:
        why = f"several scale labels {named}" if len(named) > 1 else (
            f"a degree word puts {graded} between two values of the scale")
        return _Reading("ambiguous", None, why)
    if hits:
        negated = sorted({h.phrase for h in hits})
        return _Reading("unparseable", None, f"negated scale label {negated}: not a rating")
    word = number_word(folded)
    if word is not None:
        return _number_reading(Number(float(word), 0), "", scale, "number word")
    return _Reading("unparseable", None, "no rating found")


def _number_reading(number: Number, context: str, scale: Scale, how: str) -> _Reading:
    """A number on the scale, unless it is off the scale or ``context`` names another label."""
    if not scale.contains(number.value):
        return _Reading("out_of_range", number.value,
                        f"{number.value:g} is outside the scale {scale.min}..{scale.max}")
    named = {h.value for h in label_index(scale.labels).find(context) if h.names}
    if named and number.value not in named:
        return _Reading("ambiguous", None, f"the number {number.value:g} but the label of "
                        f"{sorted(named)}")
    return _Reading("ok", number.value, how)
