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
_MARKDOWN = re.compile(r"[*_`#>|~]+")
_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b|\bcannot\b"), "can not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
)
# punctuation that ends a clause: a negation before it does not reach past it
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}/\\\-\"\n]+")
_OTHER = re.compile(r"[^\w\s',]+|(?<![\w])'|'(?![\w])")


def strip_reasoning(text: str) -> str:
    """The text outside reasoning blocks.

    Balanced ``<think>…</think>`` blocks are dropped; a closing tag with no opening one (the
    chat template ate it) means everything before it was reasoning; an unclosed opening tag
    means the answer was never reached, so everything after it is dropped.
    """
    kept: list[str] = []
    pos = depth = 0
    for tag in _REASONING_TAG.finditer(text):
        if not tag.group(1):  # opening
            if depth == 0:
                kept.append(text[pos:tag.start()])
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                pos = tag.end()
        else:  # a closing tag with no opening one
            kept, pos = [], tag.end()
    if depth == 0:
        kept.append(text[pos:])
    return "".join(kept)


def normalise(text: str) -> str:
    """NFKC, one dash and one apostrophe, no markdown emphasis/code/heading/quote marks."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_APOSTROPHES)
    return _MARKDOWN.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case words separated by single spaces, clause breaks kept as a "," token.

    "Can't say True/False." → "can not say true , false ,". Labels and answers are folded
    the same way, so a label matches whatever punctuation the model put around it.
    """
    text = text.casefold().translate(_DASHES).translate(_APOSTROPHES)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    text = _CLAUSE_BREAK.sub(" , ", text)
    words: list[str] = []
    for word in _OTHER.sub(" ", text).split():
        if word != "," or (words and words[-1] != ","):
            words.append(word)
    return " ".join(words)
