"""Reading numbers in an answer: signs, range statements, the leading rating, corrections.

All patterns are anchored or start only at a digit run, so their cost is linear in the text.
Text reaching here has been through :func:`.text.normalise` (every dash form is "-").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# "-" is a sign only where it cannot be a range or a separator: not after a word or digit
NUMBER = re.compile(r"(?:(?<![\w.)\]])(-)(?=\d))?(?<![\w.])(\d+(?:\.\d+)?)(?![\w]|\.\d)")
_WRAPPER = re.compile(
    r"^\s*(?:(?:my|final|the)\s+)?(?:answer|response|rating|score|choice)"
    r"\s*(?:is|would be)?\s*[:=\-]?\s*", re.I)
_LEADING = re.compile(
    r"[ \t\n]*(?:[:=][ \t\n]*)?(?:[\[(][ \t]*)?(-?\d+(?:\.\d+)?)[ \t]*(?:[\])][ \t]*)?"
    r"(?:$|\n|[.!;,][ \t]*(?:$|\n)|[-=:][ \t]*[^\d\s]|\([ \t]*[^\d\s])")
# "1. I am ..." is a base model starting a numbered list; "4. Agree" is still an answer
LIST_MARKER = re.compile(r"[ \t\n]*(\d+)\.[ \t]+([A-Za-z][^\n]*)")
_SCALE_ECHO = re.compile(r"^[ \t]*\d+[ \t]*=", re.M)
_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# a number word is read only as the whole answer, possibly after a short lead-in
_WORD_ANSWER = re.compile(
    r"^(?:i(?:'d| would| will|'ll)? (?:say|choose|pick|go with|give it|rate it|answer) )?"
    r"(?:a |an )?(" + "|".join(_WORDS) + r")$")
_LEADING_WORD = re.compile(r"^(" + "|".join(_WORDS) + r")\b")
# An explicit change of mind: the rating after the last one is the answer.
_CORRECTION = re.compile(
    r"(?:(?:^|[.!?;(\n-])[ \t]*(?:no,?[ \t]+)?(?:actually|wait)\b|\bactually,"
    r"|\bmake (?:that|it)\b|\bon (?:second|further) thoughts?\b|\bscratch that\b"
    r"|\bchange (?:that|it|my answer) to\b|\bcorrection\s*:|\bon reflection\b"
    r"|\b(?:final|revised|corrected) (?:answer|rating|response|choice|score)\b"
    r"|\banswer(?:[ \t]+is\b|[ \t]*:))")
_CORRECTION_ANY_CASE = re.compile(_CORRECTION.pattern, re.I)
_CORRECTION_WORDS = ("actually", "wait", "make ", "thought", "scratch", "change", "correction",
                     "reflection", "final", "revised", "corrected", "answer")
# words that make a rating a possibility rather than a decision
HEDGE = re.compile(r"\b(?:could|might|maybe|perhaps|possibly)\b", re.I)
# "4 - Agree", "(2) Disagree", "3: Neutral" as a line of its own: a candidate scale line
_SCALE_LINE = re.compile(r"^[ \t]*[(\[]?\d+[)\]]?[ \t]*[-=:.)][ \t]*([^\n]+)", re.M)


@dataclass(frozen=True)
class Number:
    value: float
    start: int


def without_ranges(text: str, lo: int, hi: int) -> str:
    """Drop statements of the scale's range ("from 1 to 5", "1-5", "between 1 and 5",
    "out of 5") and the top of "4 out of 5" / "4/5": none of them is a rating."""
    if str(hi) not in text:  # every pattern below needs the top of the scale
        return text
    a, b = re.escape(str(lo)), re.escape(str(hi))
    edge_a, edge_b = rf"(?<![\w.-]){a}", rf"{b}(?![\w]|\.\d)"
    text = re.sub(rf"\bbetween\s+{edge_a}\s+and\s+{edge_b}", " ", text, flags=re.I)
    text = re.sub(rf"{edge_a}\s*(?:-|to|through|thru)\s*{edge_b}", " ", text, flags=re.I)
    text = re.sub(rf"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:(?:stars?|points?)\s*)?(?:/|out of|of)\s*"
                  rf"{edge_b}", r"\1 ", text, flags=re.I)
    return re.sub(rf"\bout of\s+{edge_b}", " ", text, flags=re.I)


def find_numbers(text: str) -> tuple[Number | None, list[float]]:
    """The first number in ``text`` and every distinct value there (in order of value)."""
    first = NUMBER.search(text)
    if first is None:
        return None, []
    values = sorted({float(digits) * (-1 if sign else 1)
                     for sign, digits in set(NUMBER.findall(text))})
    value = float(first.group(2)) * (-1 if first.group(1) else 1)
    return Number(value, first.start()), values


def leading_number(text: str) -> Number | None:
    """A number that opens the answer and is followed by nothing, a break, or its label."""
    wrapper = _WRAPPER.match(text)
    start = wrapper.end() if wrapper else 0
    m = _LEADING.match(text, start)
    return Number(float(m.group(1)), m.start(1)) if m else None


def line_at(text: str, pos: int) -> tuple[str, str]:
    """The line of ``text`` that holds position ``pos``, and the text after that line."""
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return text[text.rfind("\n", 0, pos) + 1:end], text[end:]


def echoes_scale(text: str) -> bool:
    """Two or more "N = label" lines: the model repeated the scale instead of answering."""
    return len(_SCALE_ECHO.findall(text)) >= 2


def scale_lines(text: str) -> Iterator[str]:
    """What follows the number on each "N - something" line (a scale echo if they are labels)."""
    return (m.group(1) for m in _SCALE_LINE.finditer(text))


def number_word(folded: str) -> int | None:
    """The number word that is the whole answer ("Four", "I'd say three")."""
    m = _WORD_ANSWER.match(folded.strip(" ,"))
    return _WORDS[m.group(1)] if m else None


def leading_number_word(folded: str) -> int | None:
    """The number word that opens the answer ("Five - Disagree")."""
    m = _LEADING_WORD.match(folded)
    return _WORDS[m.group(1)] if m else None


def last_correction(text: str) -> re.Match[str] | None:
    lowered = text.lower()
    if not any(word in lowered for word in _CORRECTION_WORDS):
        return None
    if len(lowered) == len(text):  # the same positions: search without IGNORECASE (faster)
        found = list(_CORRECTION.finditer(lowered))
    else:
        found = list(_CORRECTION_ANY_CASE.finditer(text))
    return found[-1] if found else None
