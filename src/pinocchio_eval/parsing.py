"""Turn a model's free-text answer into a rating on the questionnaire's scale, or an honest
failure status. Never raises, never returns a rating outside the scale.

Statuses:
  ok            a rating on the scale was found
  refusal       the model declined (and gave no usable rating)
  unparseable   text with no rating we can read
  out_of_range  a single number, but not on the scale (e.g. the 754 the paper saw)
  ambiguous     several different candidate ratings; we do not guess
  empty         no text at all (or only a reasoning block)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from .battery.schema import Scale

STATUSES = ("ok", "refusal", "unparseable", "out_of_range", "ambiguous", "empty")


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


_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_OPEN_THINK = re.compile(r"<(think|thinking|reasoning)>.*", re.S | re.I)
_WRAPPER = re.compile(
    r"^\s*(?:(?:my|final|the)\s+)?(?:answer|response|rating|score|choice)"
    r"\s*(?:is|would be)?\s*[:=\-]?\s*", re.I)
_NUMBER = re.compile(r"(?<![\w.])(-)?(\d+(?:[.,]\d+)?)(?![\w])")
_OUT_OF = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d+)(?![\w.])", re.I)
# "1. I am ..." is a base model starting a numbered list; "4. Agree" is still an answer
_LIST_MARKER = re.compile(r"^\s*(\d+)\.[ \t]+([A-Za-z].*)")
_SCALE_ECHO = re.compile(r"^\s*\d+\s*=", re.M)
_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)
_REFUSAL = re.compile(
    r"\b(?:as an ai|as a language model|as an? (?:large )?language model|i(?:'m| am) an ai"
    r"|i (?:do not|don't|cannot|can't|can not) (?:have|experience|feel|answer|provide|"
    r"respond|rate|give|assign|choose|select|pick|possess)"
    r"|i (?:am|'m) (?:not able|unable) to|i(?:'d| would) rather not|i must decline"
    r"|i (?:won't|will not) (?:answer|provide|rate)|not applicable|n/a\b|refuse[ds]?\b"
    r"|no personal (?:experiences?|feelings?|emotions?)|lack (?:personal|subjective))",
    re.I)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w\s']", " ", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


def _clean(text: str) -> str:
    text = _THINK.sub(" ", text)
    text = _OPEN_THINK.sub(" ", text)  # an unclosed reasoning block never reached an answer
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[*_`#>|]+", " ", text)  # markdown emphasis, code, headings, quotes
    return text.strip()


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _leading_number(text: str) -> float | None:
    """A number that opens the answer and is followed by nothing, a break, or its label."""
    body = _WRAPPER.sub("", text, count=1)
    m = re.match(r"\s*[\[(]?\s*(-?\d+(?:\.\d+)?)\s*[\])]?\s*(?:$|\n|[.!;,]\s*(?:$|\n)"
                 r"|[-–—=:]\s*[^\d\s]|\(\s*[^\d\s])", body)
    return float(m.group(1)) if m else None


def _label_match(text: str, scale: Scale) -> list[int]:
    folded = f" {_fold(text)} "
    labels = {value: _fold(label) for value, label in scale.labels.items()}
    exact = [v for v, lab in labels.items() if lab and folded.strip() == lab]
    if exact:
        return exact
    found = [v for v, lab in labels.items() if lab and f" {lab} " in folded]
    # "strongly agree" also contains "agree": keep only labels not inside another found one
    return [v for v in found
            if not any(v != w and labels[v] in labels[w] for w in found)]


def parse_answer(text: object, scale: Scale) -> ParseResult:
    """Read one rating from ``text`` on ``scale``; see the module docstring for statuses."""
    try:
        return _parse(text, scale)
    except Exception as exc:  # pragma: no cover - defensive: parsing must never crash a run
        return ParseResult(None, "unparseable", str(text), detail=f"parser error: {exc}")


def _parse(text: object, scale: Scale) -> ParseResult:
    raw = "" if text is None else str(text)
    body = _clean(raw)
    if not body:
        return ParseResult(None, "empty", raw, detail="no answer text")
    refusal = bool(_REFUSAL.search(body)) or _fold(body) in {"r", "refused", "refuse"}

    def verdict(number: float, how: str) -> ParseResult:
        if scale.contains(number):
            return ParseResult(number, "ok", raw, number, hedged=refusal, detail=how)
        return ParseResult(None, "out_of_range", raw, number,
                           detail=f"{number:g} is outside the scale {scale.min}..{scale.max}")

    if len(_SCALE_ECHO.findall(body)) >= 2:
        return ParseResult(None, "ambiguous", raw, detail="the answer repeats the scale")
    listed = _LIST_MARKER.match(body)
    if listed and not _label_match(listed.group(2), scale):
        return ParseResult(None, "unparseable", raw, float(listed.group(1)),
                           detail="starts a numbered list, not an answer")
    lead = _leading_number(body)
    if lead is not None:
        return verdict(lead, "leading number")

    # "4 out of 5", "4/5": the second number is the scale's top, not a second answer
    out_of = [(float(a), float(b)) for a, b in _OUT_OF.findall(body)]
    if out_of and all(b == scale.max for _, b in out_of):
        candidates = {a for a, _ in out_of}
        body_wo = _OUT_OF.sub(" ", body)
    else:
        candidates, body_wo = set(), body
    for sign, digits in _NUMBER.findall(body_wo):
        candidates.add(-_num(digits) if sign else _num(digits))

    if len(candidates) == 1:
        return verdict(candidates.pop(), "single number")
    if len(candidates) > 1:
        on_scale = sorted(c for c in candidates if scale.contains(c))
        status = "refusal" if refusal else "ambiguous"
        return ParseResult(None, status, raw,
                           detail=f"several numbers {sorted(candidates)} (on scale: {on_scale})")

    labels = _label_match(body, scale)
    if len(labels) == 1:
        return ParseResult(float(labels[0]), "ok", raw, float(labels[0]), hedged=refusal,
                           detail="scale label")
    words = {_WORDS[w.lower()] for w in _WORD_NUMBER.findall(body)}
    if len(words) == 1 and not labels:
        return verdict(float(words.pop()), "number word")
    if refusal:
        return ParseResult(None, "refusal", raw, detail="declined to give a rating")
    if len(labels) > 1:
        return ParseResult(None, "ambiguous", raw, detail=f"several scale labels {labels}")
    return ParseResult(None, "unparseable", raw, detail="no rating found")
