"""Label variants and degree words, checked on the uncached helpers with hand-worked results.

``label_index`` caches whole indexes, so these tests call ``_variants`` and ``_grading_words``
themselves: a cached index built earlier in the process would otherwise hide their behaviour.
"""

from __future__ import annotations

from pinocchio_eval.parsing.labels import _STRONGER, _WEAKER, _grading_words, _variants


def test_plain_label_gets_its_head_moved_form() -> None:
    # "Agree strongly" folds to "agree strongly"; it leads with the head "agree", so the
    # head moves to the end: "strongly agree". Nothing else: no slash, parenthesis, qualifier.
    assert _variants("Agree strongly") == {"agree strongly", "strongly agree"}


def test_single_word_label_is_only_itself() -> None:
    assert _variants("Sometimes") == {"sometimes"}


def test_slash_label_gives_the_whole_and_each_side() -> None:
    # "Often/Sometimes": the whole folds to "often sometimes" (the slash is a clause break,
    # dropped from the key), and each side stands alone; neither word is a head.
    assert _variants("Often/Sometimes") == {"often sometimes", "often", "sometimes"}


def test_parenthesis_gives_the_whole_the_part_before_and_the_content() -> None:
    # whole: "agree somewhat" (+ head-moved "somewhat agree"); before: "agree";
    # content: "somewhat"
    assert _variants("Agree (somewhat)") == {"agree somewhat", "somewhat agree", "agree",
                                              "somewhat"}


def test_parenthesised_number_is_not_a_variant() -> None:
    # "Rarely (2)": the whole stays ("rarely 2") and the part before gives "rarely"; the
    # content "2" is a bare number, never a label variant
    assert _variants("Rarely (2)") == {"rarely 2", "rarely"}


def test_qualifier_after_a_dash_is_dropped_in_one_variant() -> None:
    # whole: "disagree a little" (3 words, leads with the head: "a little disagree");
    # the part before " - ": "disagree"
    assert _variants("Disagree - a little") == {"disagree a little", "a little disagree",
                                                 "disagree"}


def test_slash_inside_a_parenthesis_is_split_too() -> None:
    # "Never (no/none)": whole "never no none"; before "never"; content "no none". Every
    # form is then split at its slash: the whole into "never no" and "none", the content
    # into "no" and "none". No word is a head, so nothing is head-moved.
    assert _variants("Never (no/none)") == {"never no none", "never", "no none", "never no",
                                            "no", "none"}


def test_midpoint_phrasing_brings_every_midpoint_phrasing() -> None:
    assert _variants("Neutral") == {"neutral", "neither agree nor disagree",
                                    "neither agree or disagree", "neither disagree nor agree"}


def test_stronger_prefix_form_of_another_value_gives_stronger_words() -> None:
    phrases = {"agree": 4, "strongly agree": 5}
    got = _grading_words("agree", 4, phrases)
    assert got == _STRONGER
    assert "totally" in got and "somewhat" not in got


def test_weaker_prefix_form_of_another_value_gives_weaker_words() -> None:
    phrases = {"agree": 4, "somewhat agree": 3}
    got = _grading_words("agree", 4, phrases)
    assert got == _WEAKER
    assert "slightly" in got and "totally" not in got


def test_stronger_suffix_form_of_another_value_counts_too() -> None:
    # "agree strongly" starts with "agree ": the extra word "strongly" is a stronger one
    assert _grading_words("agree", 4, {"agree": 4, "agree strongly": 5}) == _STRONGER


def test_weaker_suffix_form_of_another_value_counts_too() -> None:
    assert _grading_words("agree", 4, {"agree slightly": 3, "agree": 4}) == _WEAKER


def test_both_directions_collect_both_vocabularies_in_either_order() -> None:
    weak_first = {"somewhat agree": 3, "agree": 4, "strongly agree": 5}
    strong_first = {"strongly agree": 5, "agree": 4, "somewhat agree": 3}
    assert _grading_words("agree", 4, weak_first) == _STRONGER | _WEAKER
    assert _grading_words("agree", 4, strong_first) == _STRONGER | _WEAKER


def test_forms_of_the_same_value_do_not_grade_it() -> None:
    # "totally agree" is another form of the same value 4: it is no other value's grade
    assert _grading_words("agree", 4, {"agree": 4, "totally agree": 4}) == frozenset()


def test_same_value_entries_first_do_not_stop_the_search() -> None:
    # the phrase itself and a same-value form come before the graded form of value 5
    phrases = {"agree": 4, "agree fully": 4, "strongly agree": 5}
    assert _grading_words("agree", 4, phrases) == _STRONGER


def test_unrelated_phrases_first_do_not_stop_the_search() -> None:
    # "disagree" neither ends with " agree" nor starts with "agree ": skipped, search goes on
    phrases = {"disagree": 2, "neutral": 3, "agree": 4, "agree strongly": 5}
    assert _grading_words("agree", 4, phrases) == _STRONGER


def test_non_degree_extra_words_grade_nothing() -> None:
    # "do not agree" ends with " agree", but "do not" holds no degree word
    assert _grading_words("agree", 4, {"agree": 4, "do not agree": 2}) == frozenset()


def test_no_other_phrases_means_no_grading_words() -> None:
    assert _grading_words("agree", 4, {"agree": 4}) == frozenset()
