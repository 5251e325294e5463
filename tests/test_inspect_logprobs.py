"""Expected rating from top log-probabilities, single- and multi-digit scales."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.model import Logprob, Logprobs, TopLogprob  # noqa: E402

from pinocchio_eval.inspect_task.logprobs import rating_distribution  # noqa: E402


def pos(token: str, alts: dict[str, float]) -> Logprob:
    return Logprob(token=token, logprob=math.log(alts.get(token, 1e-9)),
                   top_logprobs=[TopLogprob(token=t, logprob=math.log(p)) for t, p in alts.items()])


def test_single_digit_scale_expectation_and_renormalisation():
    d = rating_distribution([pos("4", {"4": 0.5, "5": 0.3, "Yes": 0.2})], range(1, 6))
    assert d.coverage == pytest.approx(0.8)
    assert d.probabilities[4] == pytest.approx(0.625) and d.argmax == 4
    assert d.expected == pytest.approx(4 * 0.625 + 5 * 0.375)


def test_skips_leading_whitespace_and_sentencepiece_marks():
    d = rating_distribution([pos("\n", {"\n": 0.9, "3": 0.1}),
                             pos("\u25813", {"\u25813": 0.6, " 2": 0.4})], range(1, 6))
    assert d.position == 1 and d.expected == pytest.approx(0.6 * 3 + 0.4 * 2)


def test_ten_split_from_the_next_token_when_one_was_generated():
    # 0..10 scale, digits tokenised one by one: P(1)=0.5 at first, then P("0"|"1")=0.4
    content = [pos("1", {"1": 0.5, "7": 0.5}), pos("0", {"0": 0.4, "\n": 0.6})]
    d = rating_distribution(content, range(0, 11))
    assert d.probabilities[10] == pytest.approx(0.2)
    assert d.probabilities[1] == pytest.approx(0.3)
    assert d.probabilities[7] == pytest.approx(0.5)
    assert d.unresolved == 0


def test_ten_as_one_token_and_unresolved_prefix_mass_is_reported():
    d = rating_distribution([pos("10", {"10": 0.6, "1": 0.4})], range(0, 11))
    # "1" was not generated, so whether it meant 1 or 10 is unknown: counted as 1, flagged
    assert d.probabilities[10] == pytest.approx(0.6) and d.probabilities[1] == pytest.approx(0.4)
    assert d.unresolved == pytest.approx(0.4) and d.notes


def test_one_to_nine_has_no_prefix_ambiguity():
    d = rating_distribution([pos("9", {"9": 0.7, "1": 0.3})], range(1, 10))
    assert d.unresolved == 0 and d.expected == pytest.approx(0.7 * 9 + 0.3)


def test_nothing_on_the_scale_or_no_logprobs():
    assert rating_distribution([pos("Yes", {"Yes": 0.9, "No": 0.1})], range(1, 6)) is None
    assert rating_distribution(None, range(1, 6)) is None


def test_scorer_stores_expected_rating_or_says_unavailable(tmp_path):
    from _inspect_mock import run
    from pinocchio_eval.inspect_task.task import pinocchio

    def attach(out):
        out.choices[0].logprobs = Logprobs(content=[pos("4", {"4": 0.75, "2": 0.25})])
    log = run(pinocchio(conditions="neutral", questionnaires="swls", logprobs=True),
              lambda p: "4", tmp_path, with_output=attach)
    score = log.samples[0].scores["pinocchio_scorer"]
    assert score.value["expected"] == pytest.approx(3.5)
    assert score.metadata["distribution"]["argmax"] == 4
    log = run(pinocchio(conditions="neutral", questionnaires="swls", logprobs=True),
              lambda p: "4", tmp_path / "none")
    score = log.samples[0].scores["pinocchio_scorer"]
    assert math.isnan(score.value["expected"]) and "unavailable" in score.metadata["logprobs"]
    assert score.value["rating"] == 4
