"""Text clean-up before reading: reasoning blocks, Unicode look-alikes, markdown, folding.

Everything here runs in linear time: no pattern can rescan the text from many starting
points (a 1 MB answer must parse in milliseconds, not minutes).
"""

from __future__ import annotations

import re
import unicodedata

_REASONING_TAG = re.compile(r"<(/?)(?:think|thinking|reasoning)\s*>", re.I)
# every Unicode minus, hyphen and dash form becomes "-": before a digit it is a sign
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"),
                        "-")
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u2032"), "'")
_SPACES = re.compile(r"  +")
_BLANK_LINES = re.compile(r"\n\s*\n")
_MARKDOWN = re.compile(r"[*_`#>|~]+")
_CONTRACTION = re.compile(r"\b(?:(can)'?t|(can)not|(wo)n'?t|(sha)n'?t|(\w+)n't)\b")
_FULL_FORMS = {"can": "can", "wo": "will", "sha": "shall"}
# punctuation that ends a clause: a negation before it does not reach past it
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}/\\\-\"\n]+")
_BREAK_RUN = re.compile(r",(?: ,)+")
_OTHER = re.compile(r"[^\w\s',]+|(?<![\w])'|'(?![\w])")


def strip_reasoning(text: str) -> str:
    """The text outside reasoning blocks.

    Balanced ``<think>…</think>`` blocks are dropped; a closing tag with no opening one (the
    chat template ate it) means everything before it was reasoning; an unclosed opening tag
    means the answer was never reached, so everything after it is dropped.
    """
    parts = _REASONING_TAG.split(text)  # text, then (slash or "", text) per tag
    kept, depth = [parts[0]], 0
    for i in range(1, len(parts), 2):
        if not parts[i]:  # an opening tag
            depth += 1
        elif depth:
            depth -= 1
        else:  # a closing tag with no opening one
            kept = []
        if depth == 0:
            kept.append(parts[i + 1])
    return "".join(kept)


def compact(text: str) -> str:
    """Runs of spaces become one space and runs of blank lines one blank line: layout that
    carries no meaning must not count towards the length limit or cost time."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()


def normalise(text: str) -> str:
    """NFKC, one dash and one apostrophe, no markdown emphasis/code/heading/quote marks."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_APOSTROPHES)
    return _MARKDOWN.sub(" ", text).strip()


def _full_form(m: re.Match[str]) -> str:
    stem = next(g for g in m.groups() if g is not None)
    return f"{_FULL_FORMS.get(stem, stem)} not"


def fold(text: str) -> str:
    """Lower-case words separated by single spaces, clause breaks kept as a "," token.

    "Can't say True/False." → "can not say true , false ,". Labels and answers are folded
    the same way, so a label matches whatever punctuation the model put around it.
    """
    text = text.casefold().translate(_DASHES).translate(_APOSTROPHES)
    if "n't" in text or "cannot" in text or "cant" in text or "wont" in text:
        text = _CONTRACTION.sub(_full_form, text)
    text = _CLAUSE_BREAK.sub(" , ", text)
    return _BREAK_RUN.sub(",", " ".join(_OTHER.sub(" ", text).split()))
