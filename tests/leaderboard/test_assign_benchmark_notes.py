"""assign_benchmark_models: matching by the name after the org, and the notes on misses."""

from __future__ import annotations

import pandas as pd

from pinocchio_eval.leaderboard.build import assign_benchmark_models
from pinocchio_eval.readers.runs import BenchmarkScore


def _score(model: str) -> BenchmarkScore:
    return BenchmarkScore(model, "lm-eval", "mmlu", "acc", 0.5, "r.json", None)


def test_other_org_prefix_matches_by_the_model_name() -> None:
    # "hf-org/Foo-7B" is not "acme/foo-7b", but the part after "/" folds to "foo7b" for both
    responses = pd.DataFrame({"model": ["acme/foo-7b", "acme/bar-3b"]})
    assigned, notes = assign_benchmark_models([_score("hf-org/Foo-7B")], responses)
    assert [b.model for b in assigned] == ["acme/foo-7b"]
    assert notes == []


def test_miss_note_names_the_three_closest_models_best_first() -> None:
    # similarity 2*8/(8+len): abcdefgh1 .941, abcdefgh12 .889, abcdefgh123 .842, abcdefgh1234 .800
    responses = pd.DataFrame({"model": ["abcdefgh1234", "abcdefgh12", "abcdefgh1", "abcdefgh123"]})
    s = _score("abcdefgh")
    assigned, notes = assign_benchmark_models([s], responses)
    assert [b.model for b in assigned] == ["abcdefgh"]
    assert notes == [f"{s.column} for 'abcdefgh' (r.json) matched no Pinocchio model; "
                     "closest: abcdefgh1, abcdefgh12, abcdefgh123"]


def test_miss_note_lists_a_model_at_half_similarity() -> None:
    # "abcqrs" vs "abcxyz": 3 shared characters of 12 → 2*3/12 = 0.5, just at the cutoff
    s = _score("abcqrs")
    _, notes = assign_benchmark_models([s], pd.DataFrame({"model": ["abcxyz"]}))
    assert notes == [f"{s.column} for 'abcqrs' (r.json) matched no Pinocchio model; "
                     "closest: abcxyz"]


def test_miss_note_without_any_close_model_has_no_closest_part() -> None:
    s = _score("zzzzzzzz")
    _, notes = assign_benchmark_models([s], pd.DataFrame({"model": ["org/m"]}))
    assert notes == [f"{s.column} for 'zzzzzzzz' (r.json) matched no Pinocchio model"]
