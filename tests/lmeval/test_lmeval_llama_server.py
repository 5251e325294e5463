"""The echo-logprob fast path gives what llama-cpp-python's full sort would give."""

from __future__ import annotations

import numpy as np

from pinocchio_eval.lmeval import llama_server as ls


def test_top_pairs_equal_the_head_of_the_full_sort():
    row = np.random.default_rng(1).normal(size=ls.MIN_VOCAB * 2).astype(np.float32)
    full = sorted(zip(row, range(len(row)), strict=True), reverse=True)
    fast = ls._sorted(ls._zip(row, range(len(row))), reverse=True)
    assert fast == full[: ls.TOP_K]
    assert fast[:10] == full[:10]


def test_other_uses_of_zip_and_sorted_are_untouched():
    short = np.arange(5.0)
    assert list(ls._zip(short, range(5))) == list(zip(short, range(5), strict=True))
    assert ls._sorted([3, 1, 2]) == [1, 2, 3]
    row = np.zeros(ls.MIN_VOCAB)
    assert len(list(ls._zip(row, range(len(row))))) == ls.MIN_VOCAB  # still iterable
    assert ls._sorted(ls._zip(row, range(len(row))), key=lambda p: p[1])[0] == (0.0, 0)
