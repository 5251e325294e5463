"""``python -m pinocchio_eval.lmeval.llama_server``: llama_cpp.server with fast echo log-probs.

lm-eval's ``gguf`` model scores a continuation by asking the server to echo the prompt with
log-probabilities (``echo=True, logprobs=10``). llama-cpp-python (0.3.x) builds the top-k
alternatives of every echoed position by sorting the whole vocabulary in pure Python,
``sorted(zip(logprobs, range(n_vocab)), reverse=True)``. With Gemma's 262,144-token vocabulary
and ~200-token prompts that is about a minute per request, i.e. days for the battery.

This launcher swaps that one step for ``numpy.argpartition``: inside ``llama_cpp.llama`` only,
``zip(array, range(len(array)))`` over a vocabulary row returns a marker, and ``sorted`` of the
marker returns the top :data:`TOP_K` pairs in the same order the full sort would give. The
caller only ever keeps the first ``logprobs`` entries (OpenAI caps that at 5, lm-eval asks for
10), so the response is unchanged. Everything else is the stock server.
"""

from __future__ import annotations

import builtins
import runpy
import sys
from typing import Any

import numpy as np

from ..local_server import LocalModelServer

#: Alternatives kept per position; more than any client asks for (the OpenAI API allows 5).
TOP_K = 64
#: Rows shorter than this are left to the builtin sort (it is fast enough there).
MIN_VOCAB = 4096


class _VocabRow:
    """What ``zip(row, range(len(row)))`` becomes for a long vocabulary row."""

    __slots__ = ("row",)

    def __init__(self, row: np.ndarray):
        self.row = row

    def __iter__(self):  # anything but sorted() still sees the ordinary pairs
        return builtins.zip(self.row, range(len(self.row)), strict=True)


def _zip(*iterables: Any, **kwargs: Any):
    if (len(iterables) == 2 and not kwargs and isinstance(iterables[0], np.ndarray)
            and iterables[0].ndim == 1 and len(iterables[0]) >= MIN_VOCAB
            and iterables[1] == range(len(iterables[0]))):
        return _VocabRow(iterables[0])
    return builtins.zip(*iterables, **kwargs)  # noqa: B905 - stands in for the builtin


def top_pairs(row: np.ndarray, k: int = TOP_K) -> list[tuple[Any, int]]:
    """The ``k`` largest ``(value, index)`` pairs, ordered as ``sorted(..., reverse=True)``."""
    k = min(k, len(row))
    part = np.argpartition(row, len(row) - k)[len(row) - k:]
    pairs = [(row[i], int(i)) for i in part]
    return builtins.sorted(pairs, reverse=True)


def _sorted(iterable: Any, *args: Any, **kwargs: Any):
    if isinstance(iterable, _VocabRow) and not args and kwargs == {"reverse": True}:
        return top_pairs(iterable.row)
    return builtins.sorted(iterable, *args, **kwargs)


def patch_llama_cpp() -> None:
    """Install the fast path into ``llama_cpp.llama``'s module namespace (idempotent)."""
    import llama_cpp.llama as llama_module  # lazy: optional (llama_cpp)

    llama_module.zip = _zip  # type: ignore[attr-defined]
    llama_module.sorted = _sorted  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    """Run ``llama_cpp.server`` with the same command-line arguments, patched."""
    patch_llama_cpp()
    sys.argv = ["llama_cpp.server", *(sys.argv[1:] if argv is None else argv)]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()


def logprob_server(**kwargs: Any):
    """A :class:`~pinocchio_eval.local_server.LocalModelServer` for lm-eval's ``gguf`` model.

    Log-probabilities for every position on (``logits_all``), started through this launcher.
    lm-eval's ``gguf`` model wants ``base_url`` without ``/v1``: use ``server.root_url``.
    """
    kwargs.setdefault("logits_all", True)
    return LocalModelServer(server_module=__name__, **kwargs)
