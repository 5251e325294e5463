"""Which variants a label's shape yields: bare numbers and number ranges are never variants,
the head moves only on two- and three-word labels, and a scale's own forms of one value never
grade that value.

``_variants`` is called uncached; ``LabelIndex`` is built directly (not through the cached
``label_index``), so every test exercises the construction itself.
"""

from __future__ import annotations

from pinocchio_eval.parsing.labels import LabelIndex, _variants


def test_number_range_in_a_parenthesis_is_not_a_variant() -> None:
    # "Rarely (1-2)": the hyphen folds to a clause break, so the whole is "rarely 1 2" and the
    # content is "1 2" -- two numbers, which together are still a bare number: not a label.
    # The part before the parenthesis gives "rarely". No qualifier (no spaced dash), no head.
    assert _variants("Rarely (1-2)") == {"rarely 1 2", "rarely"}


def test_bare_number_range_label_has_no_variant() -> None:
    # "1 - 2" folds to "1 2" (dash dropped): only digits once the space is gone
    assert _variants("1 - 2") == set()


def test_signed_number_labels_have_no_variant() -> None:
    # the sign is punctuation to the folding ("-" a clause break, "+" dropped, the Unicode
    # minus first becomes "-"), so each label is the bare number 3 or 2: never a variant
    assert _variants("-3") == set()
    assert _variants("+2") == set()
    assert _variants("\u22123") == set()


def test_four_word_label_gets_no_head_moved_form() -> None:
    # "Agree a little bit" leads with the head "agree", but only labels of two or three
    # words are reordered; four words stay as they are.
    assert _variants("Agree a little bit") == {"agree a little bit"}


def test_three_word_label_ending_in_a_head_moves_the_head_to_the_front() -> None:
    # words: ["a", "little", "disagree"]; the last word is the head, so it moves to the
    # front: "disagree" + "a little" -> "disagree a little". The middle word "little" is no
    # head, and the first word "a" is none either.
    assert _variants("A little disagree") == {"a little disagree", "disagree a little"}


def test_forms_of_one_value_do_not_grade_that_value_in_an_index() -> None:
    # "Agree (strongly)" gives value 2 the phrases "agree strongly", "strongly agree",
    # "agree" and "strongly". "strongly agree" ends with " agree", but it is the same value,
    # so "agree" has no grading words ("disagree" is no " agree"-ended form: no space).
    index = LabelIndex(((1, "Disagree"), (2, "Agree (strongly)")))
    assert index.phrases["agree"] == 2 and index.phrases["strongly agree"] == 2
    assert index.graded_by["agree"] == frozenset()
    # hence "really agree" names value 2: "really" is not a step towards another value
    hits = index.find("I really agree")
    assert [(h.value, h.phrase, h.names) for h in hits] == [(2, "agree", True)]
