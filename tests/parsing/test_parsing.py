"""The answer parser: a table of the answers models really give, plus properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinocchio_eval.battery.schema import Scale
from pinocchio_eval.parsing import STATUSES, parse_answer

LIKERT5 = Scale(labels={1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree",
                        5: "Strongly agree"})
ZERO_TEN = Scale(labels={i: f"{i * 10} percent" for i in range(11)})
BINARY = Scale(labels={0: "Yes", 1: "No"})

CASES = [
    # (text, scale, expected value, expected status)
    ("4", LIKERT5, 4, "ok"),
    ("4.", LIKERT5, 4, "ok"),
    (" 4 \n", LIKERT5, 4, "ok"),
    ("**4**", LIKERT5, 4, "ok"),
    ("`3`", LIKERT5, 3, "ok"),
    ("Answer: 4", LIKERT5, 4, "ok"),
    ("My response: 2", LIKERT5, 2, "ok"),
    ("**Answer:** 5", LIKERT5, 5, "ok"),
    ("Final answer: 1", LIKERT5, 1, "ok"),
    ("4 - Agree", LIKERT5, 4, "ok"),
    ("4 (Agree)", LIKERT5, 4, "ok"),
    ("4 = Agree", LIKERT5, 4, "ok"),
    ("2, Disagree", LIKERT5, 2, "ok"),
    ("Strongly agree", LIKERT5, 5, "ok"),
    ("strongly disagree.", LIKERT5, 1, "ok"),
    ("I would say I strongly agree", LIKERT5, 5, "ok"),
    ("Agree", LIKERT5, 4, "ok"),
    ("<think>It could be 2 or 3, hmm.</think>\n3", LIKERT5, 3, "ok"),
    ("<thinking>maybe 1</thinking>**5**", LIKERT5, 5, "ok"),
    ("I'd rate it 4 out of 5", LIKERT5, 4, "ok"),
    ("4/5", LIKERT5, 4, "ok"),
    ("Three", LIKERT5, 3, "ok"),
    ("10", ZERO_TEN, 10, "ok"),
    ("0", ZERO_TEN, 0, "ok"),
    ("7 out of 10", ZERO_TEN, 7, "ok"),
    ("0", BINARY, 0, "ok"),
    ("No", BINARY, 1, "ok"),
    ("3\n\nStatement:\nI remember being 5 years old", LIKERT5, 3, "ok"),
    # refusals
    ("As an AI, I don't have feelings.", LIKERT5, None, "refusal"),
    ("I'm an AI language model and cannot answer this.", LIKERT5, None, "refusal"),
    ("I don't have personal experiences, so I can't rate this.", LIKERT5, None, "refusal"),
    ("N/A", LIKERT5, None, "refusal"),
    ("R", LIKERT5, None, "refusal"),
    ("As an AI I cannot choose between 1 and 5.", LIKERT5, None, "refusal"),
    # several numbers: never guess
    ("3 or 4", LIKERT5, None, "ambiguous"),
    ("Somewhere between 2 and 4, I'd say", LIKERT5, None, "ambiguous"),
    ("1 = Strongly disagree\n2 = Disagree\n3 = Neutral", LIKERT5, None, "ambiguous"),
    # off the scale (the paper saw 754 and 88)
    ("754", LIKERT5, None, "out_of_range"),
    ("88", ZERO_TEN, None, "out_of_range"),
    ("6", LIKERT5, None, "out_of_range"),
    ("-1", LIKERT5, None, "out_of_range"),
    ("2", BINARY, None, "out_of_range"),
    # nothing there
    ("", LIKERT5, None, "empty"),
    ("   \n ", LIKERT5, None, "empty"),
    (None, LIKERT5, None, "empty"),
    ("<think>I need to consider 3", LIKERT5, None, "empty"),
    ("The weather is nice today.", LIKERT5, None, "unparseable"),
    ("\n1. I am often", LIKERT5, None, "unparseable"),  # a base model starting a list
    ("4. Agree", LIKERT5, 4, "ok"),
    ("???", LIKERT5, None, "unparseable"),
]


def _safe_id(text: object) -> str:
    """A test id mutmut can pass back to pytest: no quotes, backslashes or non-ASCII."""
    return re.sub(r"[^0-9A-Za-z_.:-]+", "_", str(text)).strip("_")[:40] or "blank"


@pytest.mark.parametrize("text,scale,value,status", CASES, ids=[_safe_id(c[0]) for c in CASES])
def test_parse_table(text, scale, value, status):
    result = parse_answer(text, scale)
    assert result.status == status, result
    assert result.value == value
    assert result.raw == ("" if text is None else text)


def test_hedged_answer_keeps_rating_and_flags_it():
    result = parse_answer("As an AI I don't have feelings, but functionally 2", LIKERT5)
    assert (result.value, result.status, result.hedged) == (2, "ok", True)


def test_out_of_range_keeps_the_number_it_read():
    result = parse_answer("754", LIKERT5)
    assert result.number == 754 and result.value is None


scales = st.builds(
    lambda lo, width: Scale(labels={v: f"label {v}" for v in range(lo, lo + width + 1)}),
    st.integers(min_value=-2, max_value=3), st.integers(min_value=1, max_value=10))


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=200), scale=scales)
def test_never_raises_and_never_off_scale(text, scale):
    result = parse_answer(text, scale)
    assert result.status in STATUSES
    if result.value is not None:
        assert scale.min <= result.value <= scale.max
        assert result.status == "ok"
    else:
        assert result.status != "ok"


@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=0, max_value=10),
       wrapper=st.sampled_from(["{}", "{}.", "**{}**", "Answer: {}", "My response: {}",
                                "<think>x</think>{}", "{}\n", "Rating = {}"]))
def test_wrapped_on_scale_numbers_are_read(value, wrapper):
    result = parse_answer(wrapper.format(value), ZERO_TEN)
    assert (result.value, result.status) == (value, "ok")


def test_reasoning_blocks_balanced_orphan_and_unclosed():
    from pinocchio_eval.parsing.text import strip_reasoning

    assert strip_reasoning("a<think>b</think>c") == "ac"
    assert strip_reasoning("a<think>b<think>c</think>d</think>e") == "ae"  # nested
    assert strip_reasoning("maybe 2? No, 4.</think>\n\n4") == "\n\n4"  # opening tag eaten
    assert strip_reasoning("x</think>y</think>z") == "z"
    assert strip_reasoning("4<think>still thinking about 2") == "4"
    assert strip_reasoning("<THINKING>x</Thinking>5") == "5"


def test_an_answer_longer_than_the_limit_is_reported_not_skimmed():
    from pinocchio_eval.parsing import MAX_ANSWER_CHARS

    long = "4 " + "word " * (MAX_ANSWER_CHARS // 5)
    result = parse_answer(long, LIKERT5)
    assert (result.status, result.value) == ("unparseable", None)
    assert f"{MAX_ANSWER_CHARS:,}" in result.detail
    # a long reasoning block does not count: only the answer after it does
    assert parse_answer("<think>" + "x" * 2 * MAX_ANSWER_CHARS + "</think>4", LIKERT5).value == 4


@pytest.mark.parametrize("minus", ["-", "\u2212", "\u2013", "\u2014", "\u2012", "\ufe63",
                                   "\uff0d"], ids=lambda c: f"U+{ord(c):04X}")
def test_every_minus_form_is_a_sign(minus):
    result = parse_answer(f"{minus}2", LIKERT5)
    assert (result.status, result.number) == ("out_of_range", -2)


def test_a_correction_wins_and_one_without_a_rating_is_ambiguous():
    assert parse_answer("3. Actually, make that 5.", LIKERT5).value == 5
    later = parse_answer("2 - Disagree\nFinal answer: 4 - Agree", LIKERT5)
    assert (later.value, later.status) == (4, "ok") and "final answer" in later.detail
    unsure = parse_answer("4\nWait, I am not sure any more.", LIKERT5)
    assert (unsure.value, unsure.status) == (None, "ambiguous")
    # "actually" inside a sentence is not a change of mind
    assert parse_answer("I actually agree: 4", LIKERT5).value == 4


def test_a_number_contradicted_by_its_label_is_ambiguous_not_the_number():
    result = parse_answer("2 (Strongly agree)", LIKERT5)
    assert (result.value, result.status) == (None, "ambiguous")
    assert parse_answer("2 (Disagree)", LIKERT5).value == 2


def test_labels_are_read_on_plain_numeric_scales_only_as_numbers():
    numeric = Scale(labels={v: str(v) for v in range(1, 6)})  # what response tables use
    assert parse_answer("Agree", numeric).status == "unparseable"
    assert parse_answer("I'd say 4", numeric).value == 4


def test_layout_neither_counts_towards_the_limit_nor_changes_the_reading():
    assert parse_answer("I think\n" + "\n" * 40_000 + "4", LIKERT5).value == 4
    assert parse_answer("Maybe" + " " * 1_000_000 + "4", LIKERT5).value == 4
    assert parse_answer(" \n" * 500_000, LIKERT5).status == "empty"


def test_parser_details_name_how_the_rating_was_read():
    got = parse_answer("I would rate it 3 overall", LIKERT5)   # no leading number
    assert (got.value, got.status, got.detail) == (3, "ok", "single number")
    got = parse_answer("Agree", LIKERT5)
    assert (got.value, got.status, got.detail) == (4, "ok", "scale label")
    got = parse_answer("Agree. Also disagree.", LIKERT5)
    assert (got.value, got.status) == (None, "ambiguous")
    assert got.detail == "several scale labels [2, 4]"


def test_numbered_list_keeps_its_first_number():
    got = parse_answer("2. Because the question is hard\n3. And long", LIKERT5)
    assert (got.value, got.status, got.number) == (None, "unparseable", 2.0)
    assert got.detail == "starts a numbered list, not an answer"


def test_hedged_later_number_makes_a_leading_number_ambiguous():
    got = parse_answer("3\nbut maybe 4", LIKERT5)
    assert (got.value, got.status) == (None, "ambiguous")
    assert got.detail == "leading number 3, then possibly 4"
    got = parse_answer("3\nmaybe 3 again", LIKERT5)   # the same number again: still 3
    assert (got.value, got.status) == (3, "ok")


# --- surviving mutants (wave 5): number words, tabs, "never say never", the safety net ---

FREQUENCY = Scale(labels={1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Always"})


def test_number_word_with_trailing_punctuation_is_still_the_whole_answer() -> None:
    # "Four." and "I would say four," each say 4 and nothing else: the full stop and the
    # comma are punctuation around the word, not another word
    for text in ("Four.", "I would say four,"):
        got = parse_answer(text, LIKERT5)
        assert (got.value, got.status, got.detail) == (4, "ok", "number word"), text


def test_tabs_are_layout_and_do_not_count_towards_the_length_limit() -> None:
    # 20,001 tabs between "I rate it" and "4": a reader sees "I rate it 4". Squeezed to one
    # space the answer is 11 characters, far under the 20,000 limit, so it reads as 4
    # rather than "too long".
    got = parse_answer("I rate it" + "\t" * 20_001 + "4", LIKERT5)
    assert (got.value, got.status) == (4, "ok")


def test_never_say_never_is_a_negation_and_the_later_label_is_the_answer() -> None:
    # "Never say never" is an idiom: the first "never" negates the second, and neither is
    # the answer. After the semicolon the model gives "often" plainly, so the answer is
    # Often = 4.
    got = parse_answer("Never say never; I would say often.", FREQUENCY)
    assert (got.value, got.status, got.detail) == (4, "ok", "scale label")


def test_never_say_never_alone_is_a_negated_label_not_a_parser_error() -> None:
    # "I would never say never" gives no frequency: the second "never" is negated by the
    # first, which is itself only the negation; the reading explains that
    got = parse_answer("I would never say never", FREQUENCY)
    assert (got.value, got.status) == (None, "unparseable")
    assert got.detail == "negated scale label ['never']: not a rating"


def test_several_numbers_give_no_number_and_name_the_candidates() -> None:
    # "It could be 2, or maybe 4": two different ratings, so no rating and no single
    # number read; the detail lists both, and both lie on the 1..5 scale
    got = parse_answer("It could be 2, or maybe 4", LIKERT5)
    assert (got.value, got.status, got.number) == (None, "ambiguous", None)
    assert got.detail == "several numbers ['2', '4'] (on the scale: ['2', '4'])"


def test_a_parser_crash_becomes_an_unparseable_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    import pinocchio_eval.parsing as parsing

    def broken(raw: str, scale: Scale) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(parsing, "_parse", broken)
    got = parse_answer("4", LIKERT5)
    assert (got.value, got.status, got.raw) == (None, "unparseable", "4")
    assert got.detail == "parser error: boom"
