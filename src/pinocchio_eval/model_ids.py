"""Matching model ids spelt different ways (``Llama-3.1-70B-Instruct`` against
``meta-llama/llama-3.1-70b-instruct``): exact id, then an id folded to lower-case letters and
digits, then the part after the last ``/`` when that is unambiguous. Used by the leaderboard
merge and by the comparison with the paper's board, so both match ids by one rule.
"""

from __future__ import annotations

import difflib


def normalise_id(s: str) -> str:
    """A model id folded to lower-case letters and digits, for matching spellings."""
    return "".join(ch for ch in str(s).lower() if ch.isalnum())


def _base(s: str) -> str:
    return normalise_id(str(s).rstrip("/").split("/")[-1])


def match_ids(rows: list[str], models: list[str]) -> tuple[dict[str, tuple[str, str]],
                                                            dict[str, list[str]]]:
    """Map table ids onto scored model ids; return (matches, unmatched with closest ids)."""
    by_norm: dict[str, set[str]] = {}
    by_base: dict[str, set[str]] = {}
    for m in models:
        by_norm.setdefault(normalise_id(m), set()).add(m)
        by_base.setdefault(_base(m), set()).add(m)
    matched: dict[str, tuple[str, str]] = {}
    unmatched: dict[str, list[str]] = {}
    for r in rows:
        if r in models:
            matched[r] = (r, "exact")
        elif len(by_norm.get(normalise_id(r), ())) == 1:
            matched[r] = (next(iter(by_norm[normalise_id(r)])), "normalised id")
        elif len(by_base.get(_base(r), ())) == 1:
            matched[r] = (next(iter(by_base[_base(r)])), "name after '/'")
        else:
            unmatched[r] = difflib.get_close_matches(r, models, n=3, cutoff=0.4) or \
                difflib.get_close_matches(_base(r), [_base(m) for m in models], n=3,
                                          cutoff=0.4)
    return matched, unmatched
