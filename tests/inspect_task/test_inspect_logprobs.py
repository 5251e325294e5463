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


# ------------------------------------------------------------------ multi-digit continuations
def test_scale_prefixes_are_the_digits_that_start_a_longer_value():
    from pinocchio_eval.inspect_task.logprobs import scale_prefixes

    assert scale_prefixes(range(1, 6)) == [] and scale_prefixes(range(1, 10)) == []
    assert scale_prefixes(range(0, 11)) == ["1"]
    assert set(scale_prefixes(range(0, 101))) == {str(d) for d in range(1, 11)}


def test_ten_split_from_a_continuation_read_separately():
    # "1" was not the generated token; the solver asked for the position after "1" itself
    content = [pos("7", {"7": 0.5, "1": 0.4, "x": 0.1})]
    after_one = pos("0", {"0": 0.25, "\n": 0.75})
    d = rating_distribution(content, range(0, 11), {"1": after_one})
    # worked by hand: mass 7 -> 0.5, 10 -> 0.4 * 0.25 = 0.1, 1 -> 0.4 * 0.75 = 0.3; total 0.9
    assert d.coverage == pytest.approx(0.9) and d.unresolved == 0
    assert d.probabilities[10] == pytest.approx(0.1 / 0.9)
    assert d.probabilities[1] == pytest.approx(0.3 / 0.9)
    assert d.expected == pytest.approx((7 * 0.5 + 10 * 0.1 + 1 * 0.3) / 0.9)


def _recorded(which: str) -> Logprob:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "gemma_cmq_answer_logprobs.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Logprob.model_validate(data[which])


def test_recorded_gemma_logits_on_a_zero_to_ten_item():
    """Gemma's own answer-position log-probabilities (CMQ item 0, recorded by llama-cpp-local):
    digits are single tokens, so 10 is "1" then "0"; the rating splits P("1") by P("0" | "1")."""
    first, after_one = _recorded("answer_position"), _recorded("after_1")
    # independent route: plain dictionaries over the ASCII digit tokens, max per spelling
    p1: dict[str, float] = {}
    for t in first.top_logprobs:
        if t.token in "0123456789" and len(t.token) == 1:
            p1[t.token] = max(p1.get(t.token, 0.0), math.exp(t.logprob))
    p_zero_after_one = max(math.exp(t.logprob) for t in after_one.top_logprobs if t.token == "0")
    p_digit_after_one = sum(max(math.exp(t.logprob) for t in after_one.top_logprobs
                                if t.token == d) for d in "0123456789")
    mass = {int(d): p for d, p in p1.items() if d != "1"}
    mass[10] = p1["1"] * p_zero_after_one
    mass[1] = p1["1"] * (1 - p_digit_after_one)  # "1" followed by another digit is off-scale
    total = sum(mass.values())
    d = rating_distribution([first], range(0, 11), {"1": after_one})
    assert d.coverage == pytest.approx(total, rel=1e-9)
    assert d.expected == pytest.approx(sum(v * m for v, m in mass.items()) / total, rel=1e-9)
    assert d.argmax == 8 and d.unresolved == 0
    # without the continuation the "1" mass cannot be split: counted as 1, and flagged
    plain = rating_distribution([first], range(0, 11))
    assert plain.unresolved == pytest.approx(p1["1"] / plain.coverage)
    assert plain.probabilities[10] == 0.0


def test_probability_reading_scores_the_expected_rating(tmp_path):
    """Solver → mock model → scorer → response table, on a 1..7 and a 0..10 questionnaire."""
    from _inspect_mock import run
    from pinocchio_eval.inspect_task.reader import read_inspect_logs
    from pinocchio_eval.inspect_task.task import pinocchio

    prompts: list[str] = []

    def attach(out):
        prompt = prompts[-1]
        if prompt.endswith(" 1"):  # the continuation after "1" on CMQ's 0..10 scale
            out.choices[0].logprobs = Logprobs(content=[pos("0", {"0": 0.5, "\n": 0.5})])
        else:
            out.choices[0].logprobs = Logprobs(content=[pos("1", {"1": 0.6, "2": 0.2, "a": 0.2})])

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "1"

    log = run(pinocchio(conditions="neutral", questionnaires="swls,cmq", reading="probabilities"),
              answer, tmp_path, with_output=attach, max_samples=1)
    assert log.status == "success"
    firsts = [p for p in prompts if not p.endswith(" 1")]
    assert len(firsts) == 10 and all(p.endswith(": ") for p in firsts)  # answer delimiter added
    assert len(prompts) == 10 + 5  # one continuation per CMQ item
    df = read_inspect_logs(tmp_path).set_index("questionnaire")
    assert set(df["status"]) == {"probability"}
    swls = df.loc["The Satisfaction with Life Scale"]
    assert swls["response"].to_numpy() == pytest.approx([(1 * 0.6 + 2 * 0.2) / 0.8] * 5)
    assert swls["choice_mass"].to_numpy() == pytest.approx([0.8] * 5)
    cmq = df.loc["CMQ Conspiracy mentality"]  # "1" splits into 1 (0.3) and 10 (0.3); 2 keeps 0.2
    assert cmq["response"].to_numpy() == pytest.approx([(0.3 + 10 * 0.3 + 2 * 0.2) / 0.8] * 5)
    assert cmq["response_raw"].eq("1").all()


def test_a_line_break_as_the_likeliest_token_still_reads_the_scale():
    # seen on BFI-2: the one-token reading's greedy token is "\n\n"; the digits are alternatives
    d = rating_distribution([pos("\n\n", {"\n\n": 0.7, "3": 0.2, "4": 0.1})], range(1, 6))
    assert d is not None and d.position == 0
    assert d.coverage == pytest.approx(0.3) and d.expected == pytest.approx(10 / 3)


def test_a_distribution_survives_the_log_round_trip():
    """The solver stores ``to_dict()`` in the sample's metadata (JSON in the log: scale values
    become strings); the scorer reads it back with ``from_dict`` to the same object."""
    import json

    from pinocchio_eval.inspect_task.logprobs import RatingDistribution

    dist = RatingDistribution({0: 0.25, 1: 0.5, 10: 0.25}, expected=3.0, argmax=1,
                              coverage=0.8, position=2, unresolved=0.1, notes=["n"])
    back = RatingDistribution.from_dict(json.loads(json.dumps(dist.to_dict())))
    assert back == dist
    assert list(back.probabilities) == [0, 1, 10]
