"""The adversarial answer set (tests/data/parsing_adversarial.yaml) on the real battery scales.

Run this file as a script to print the tally (right / wrong value / wrongly accepted /
wrongly rejected / wrong status) instead of the pass/fail list:

    PYTHONPATH=src python tests/parsing/test_parsing_adversarial.py
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from pinocchio_eval.battery import Scale, get_battery
from pinocchio_eval.parsing import STATUSES, ParseResult, parse_answer

DATA = Path(__file__).resolve().parents[1] / "data" / "parsing_adversarial.yaml"


def load_cases() -> list[tuple[str, str, int | str, str]]:
    rows = yaml.safe_load(DATA.read_text(encoding="utf-8"))["answers"]
    cases = []
    for row in rows:
        questionnaire, text, expected, *rest = row
        if not (isinstance(expected, int) or expected in STATUSES):
            raise ValueError(f"{DATA.name}: {row!r}: expected must be a rating or a status")
        cases.append((questionnaire, text, expected, rest[0] if rest else "default"))
    return cases


@cache
def scale_for(questionnaire: str, scale: str) -> Scale:
    return get_battery().get(questionnaire).scales[scale]


def classify(expected: int | str, result: ParseResult) -> str:
    """One of: right, wrong value, wrongly accepted, wrongly rejected, wrong status."""
    if isinstance(expected, int):
        if result.status != "ok":
            return "wrongly rejected"
        return "right" if result.value == expected else "wrong value"
    if result.status == "ok":
        return "wrongly accepted"
    return "right" if result.status == expected else "wrong status"


CASES = load_cases()


def test_the_set_is_large_and_spread():
    assert len(CASES) >= 150
    questionnaires = {q for q, *_ in CASES}
    assert {"epq-r", "sms", "cmq", "asi", "bfi-2"} <= questionnaires  # yes/no, 0-10, 0-based


def _safe_id(text: object) -> str:
    """A test id mutmut can pass back to pytest: no quotes, backslashes or non-ASCII."""
    return re.sub(r"[^0-9A-Za-z_.:-]+", "_", str(text)).strip("_")[:40] or "blank"


@pytest.mark.parametrize("questionnaire,text,expected,scale", CASES,
                         ids=[_safe_id(f"{q}:{t[:30]}") for q, t, *_ in CASES])
def test_adversarial_answer(questionnaire, text, expected, scale):
    result = parse_answer(text, scale_for(questionnaire, scale))
    assert classify(expected, result) == "right", result


def tally() -> Counter:
    return Counter(classify(expected, parse_answer(text, scale_for(q, scale)))
                   for q, text, expected, scale in CASES)


if __name__ == "__main__":
    counts = tally()
    print(f"{len(CASES)} answers: " + ", ".join(
        f"{k} {counts.get(k, 0)}" for k in
        ("right", "wrong value", "wrongly accepted", "wrongly rejected", "wrong status")))
    for q, text, expected, scale in CASES:
        result = parse_answer(text, scale_for(q, scale))
        verdict = classify(expected, result)
        if verdict != "right":
            print(f"  {verdict:<17} {q:<13} {text[:50]!r:<54} expected {expected}, "
                  f"got {result.value if result.status == 'ok' else result.status}")
