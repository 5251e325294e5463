"""Properties of the answer parser over every scale of every built-in instrument.

For each value v with label L: the usual renderings of v or L read as v, a negated L never
reads as v, and any text around them never makes the parser raise or leave the scale.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinocchio_eval._resources import tasks_dir
from pinocchio_eval.battery import Scale, load_instruments
from pinocchio_eval.parsing import STATUSES, parse_answer

INSTRUMENTS = load_instruments(tasks_dir() / "battery")
SCALES: list[tuple[str, Scale]] = [(f"{inst.id}:{name}", scale) for inst in INSTRUMENTS
                                   for name, scale in inst.scales.items()]
LABELLED = [(sid, scale, value, label) for sid, scale in SCALES
            for value, label in scale.labels.items()]
RENDERINGS = ["{v}", "{v} - {L}", "{L}", "**{v}**", "Answer: {v}", "I'd say {v}."]
NEGATIONS = ["I don't {L}", "not {L}"]
CASINGS = [str, str.lower, str.upper, str.capitalize]


def test_every_instrument_and_scale_is_covered():
    assert len(INSTRUMENTS) == 48
    assert len(LABELLED) == sum(len(scale.labels) for _, scale in SCALES) > 250


def _safe_id(text: object) -> str:
    """A test id mutmut can pass back to pytest: no quotes, backslashes or non-ASCII."""
    return re.sub(r"[^0-9A-Za-z_.:-]+", "_", str(text)).strip("_")[:40] or "blank"


@pytest.mark.parametrize("rendering", RENDERINGS, ids=_safe_id)
def test_every_rendering_of_every_value_reads_as_that_value(rendering):
    wrong = []
    for sid, scale, value, label in LABELLED:
        result = parse_answer(rendering.format(v=value, L=label), scale)
        if (result.status, result.value) != ("ok", value):
            wrong.append(f"{sid} {rendering.format(v=value, L=label)!r}: {result.status} "
                         f"{result.value} ({result.detail})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("negation", NEGATIONS, ids=_safe_id)
def test_a_negated_label_never_reads_as_its_value(negation):
    wrong = [f"{sid} {negation.format(L=label)!r}"
             for sid, scale, value, label in LABELLED
             if parse_answer(negation.format(L=label), scale).value == value]
    assert not wrong, "\n".join(wrong)


labelled = st.sampled_from(LABELLED)


@settings(max_examples=300, deadline=None)
@given(case=labelled, rendering=st.sampled_from(RENDERINGS), casing=st.sampled_from(CASINGS),
       end=st.sampled_from(["", ".", "!", "\n", "  ", " \n\n"]))
def test_renderings_survive_case_and_trailing_punctuation(case, rendering, casing, end):
    _, scale, value, label = case
    result = parse_answer(casing(rendering.format(v=value, L=label)) + end, scale)
    assert (result.status, result.value) == ("ok", value), result


@settings(max_examples=300, deadline=None)
@given(case=labelled, negation=st.sampled_from(NEGATIONS + ["I do not {L}", "I can't say {L}",
                                                             "I would never say {L}"]),
       casing=st.sampled_from(CASINGS))
def test_negations_in_any_case_never_read_as_the_value(case, negation, casing):
    _, scale, value, label = case
    assert parse_answer(casing(negation.format(L=label)), scale).value != value


prose = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z")),
                max_size=120)


@settings(max_examples=300, deadline=None)
@given(case=labelled, rendering=st.sampled_from(RENDERINGS + NEGATIONS), before=prose,
       after=prose)
def test_any_surrounding_text_never_raises_or_leaves_the_scale(case, rendering, before, after):
    _, scale, value, label = case
    text = before + rendering.format(v=value, L=label) + after
    result = parse_answer(text, scale)
    assert result.status in STATUSES and result.raw == text
    assert "parser error" not in result.detail
    if result.status == "ok":
        assert result.value is not None and scale.contains(result.value)
    else:
        assert result.value is None
