"""Reading scale labels in an answer: whole labels, their common variants, and negation.

A label matches as a unit ("Neither agree nor disagree" is the midpoint, not "agree" plus
"disagree"); at any position the longest label wins, so "strongly agree" is never also read
as "agree". A label preceded by a negation in the same clause ("I don't agree", "can't say I
agree") is kept but marked negated: it never yields its value. A degree word next to a label
that the scale also grades ("Totally agree" beside "Agree" and "Strongly agree") marks it
graded: it lies between two values and names neither.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .text import fold

# Words a label may lead or end with that can move to the other end: "Agree strongly" is
# "Strongly agree", "Oppose somewhat" is "Somewhat oppose".
_HEADS = frozenset({"agree", "disagree", "true", "false", "untrue", "oppose", "favor", "favour"})
_CONNECTIVES = frozenset({"nor", "or", "and", "not", "no", "neither", ","})
# Phrasings of one and the same midpoint: a scale with one of them accepts them all.
_MIDPOINT = frozenset({"neutral", "neither agree nor disagree", "neither agree or disagree",
                       "neither disagree nor agree"})
_NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "without", "hardly"})
# a negation does not reach past a clause break or a contrast ("not sure, but I agree")
_STOPS = frozenset({",", "but", "though", "although", "however", "yet"})
_WINDOW = 5  # words before a label searched for a negation
# Degree words. Next to a label that the scale also offers in a stronger (or weaker) graded
# form, they put the answer between two values: "Totally agree" where both "Agree" and
# "Strongly agree" exist is neither.
_STRONGER = frozenset({"strongly", "very", "extremely", "totally", "completely", "absolutely",
                       "fully", "entirely", "really", "definitely", "certainly", "highly",
                       "wholeheartedly", "utterly", "truly", "exactly", "quite"})
_WEAKER = frozenset({"somewhat", "slightly", "mildly", "mostly", "moderately", "fairly",
                     "rather", "partly", "partially", "little", "generally", "largely"})
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$", re.S)
_QUALIFIER = re.compile(r"\s*(?:,|\s[-\u2013\u2014]\s)\s*")


class LabelHit(NamedTuple):
    value: int
    phrase: str  # the label variant that matched, folded
    start: int  # position in the folded text
    negated: bool
    graded: bool = False  # a degree word next to it falls between this and a graded label

    @property
    def names(self) -> bool:
        """Whether the hit names its value (not negated, not shifted by a degree word)."""
        return not (self.negated or self.graded)


def _variants(label: str) -> set[str]:
    """The label, its part before a parenthesis or qualifier, each side of a slash, the
    parenthesis' content, and the head-moved reordering of short modifier+head labels."""
    forms = {label}
    paren = _PAREN.match(label)
    if paren:
        forms |= {paren.group(1), paren.group(2)}
    for form in list(forms):
        forms |= set(form.split("/"))
    for form in list(forms):
        forms.add(_QUALIFIER.split(form, maxsplit=1)[0])
    folded = {_words(f) for f in forms}
    out = {f for f in folded if f and not f.replace(" ", "").lstrip("-").isdigit()}
    for form in list(out):
        words = form.split()
        if 2 <= len(words) <= 3 and not _CONNECTIVES & set(words):
            if words[0] in _HEADS:
                out.add(" ".join(words[1:] + words[:1]))
            if words[-1] in _HEADS:
                out.add(" ".join(words[-1:] + words[:-1]))
    if out & _MIDPOINT:
        out |= _MIDPOINT
    return out


class LabelIndex:
    """Every usable label variant of one scale and a single pattern that finds them."""

    def __init__(self, labels: tuple[tuple[int, str], ...]) -> None:
        full = {value: _words(label) for value, label in labels}
        claims: dict[str, set[int]] = {}
        for value, label in labels:
            for variant in _variants(label):
                claims.setdefault(variant, set()).add(value)
        self.phrases: dict[str, int] = {}
        for phrase, values in claims.items():
            owners = {v for v in values if full[v] == phrase}
            if len(values) == 1:
                self.phrases[phrase] = next(iter(values))
            elif len(owners) == 1:  # a short form of one label is another's full label
                self.phrases[phrase] = owners.pop()
            # otherwise the variant is shared by several values: it names none of them
        self.graded_by = {p: _grading_words(p, v, self.phrases) for p, v in self.phrases.items()}
        alternatives = [r"(?: ,)? ".join(map(re.escape, p.split()))
                        for p in sorted(self.phrases, key=len, reverse=True)]
        self.pattern = (re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")
                        if alternatives else None)

    def find(self, text: str) -> list[LabelHit]:
        """All label hits in ``text`` (leftmost, longest first; hits never overlap)."""
        if self.pattern is None:
            return []
        folded = fold(text)
        words = folded.split(" ")
        hits: list[LabelHit] = []
        index = pos = 0  # word index of the current hit, and where it was counted up to
        for match in self.pattern.finditer(folded):
            index += folded.count(" ", pos, match.start())
            pos = match.start()
            phrase = match.group().replace(" ,", "")
            before = words[max(0, index - _WINDOW):index]
            after = index + match.group().count(" ") + 1
            around = {before[-1] if before else "", words[after] if after < len(words) else ""}
            hits.append(LabelHit(self.phrases[phrase], phrase, match.start(), _negated(before),
                                 bool(around & self.graded_by[phrase])))
        return [h for i, h in enumerate(hits) if not _negates_next(h, hits[i + 1:i + 2], folded)]


def _grading_words(phrase: str, value: int, phrases: dict[str, int]) -> frozenset[str]:
    """Degree words that move ``phrase`` towards another value's graded form of it."""
    words: set[str] = set()
    for other, other_value in phrases.items():
        if other_value == value or other == phrase:
            continue
        if other.endswith(" " + phrase):
            extra = other[:-len(phrase)].split()
        elif other.startswith(phrase + " "):
            extra = other[len(phrase):].split()
        else:
            continue
        if _STRONGER & set(extra):
            words |= _STRONGER
        if _WEAKER & set(extra):
            words |= _WEAKER
    return frozenset(words)


def _words(label: str) -> str:
    """The folded label without clause breaks: the key a label variant is known by."""
    return " ".join(w for w in fold(label).split() if w != ",")


def _negates_next(hit: LabelHit, later: list[LabelHit], folded: str) -> bool:
    """A label that is itself a negation word ("Never", "No") and negates the next label in
    its clause ("I would never say never") is that negation, not an answer."""
    if hit.phrase not in _NEGATORS or not later or not later[0].negated:
        return False
    between = folded[hit.start + len(hit.phrase):later[0].start].split()
    return len(between) < _WINDOW and not _STOPS & set(between)


def _negated(before: list[str]) -> bool:
    """Whether a negation among the words before a label reaches it."""
    for word in reversed(before):
        if word in _STOPS:
            return False
        if word in _NEGATORS:
            return True
    return False


@lru_cache(maxsize=512)
def _index(labels: tuple[tuple[int, str], ...]) -> LabelIndex:
    return LabelIndex(labels)


def label_index(labels: dict[int, str]) -> LabelIndex:
    return _index(tuple(sorted(labels.items())))
