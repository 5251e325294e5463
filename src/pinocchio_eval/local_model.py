"""The embedded GGUF in-process: the next-token distribution after a prompt, prefix reused.

Reading a rating from probabilities needs one thing per prompt: the log-probability of every
token at the answer position. llama-cpp-python's completion API only returns log-probabilities
when the model was loaded with ``logits_all=True``, which computes a 262,144-wide logit row for
every prompt token (Gemma's vocabulary) and is several times slower. Here the model is loaded
with ``logits_all=False``; llama.cpp still computes the last position's logits for the sampler,
and :meth:`LocalLlama.greedy` reads that row directly after evaluating only the part
of the prompt that differs from the previous one (the KV cache keeps the shared prefix). The
cost is that of generating one token.

llama.cpp's CPU backend runs its threads with OpenMP, whose threads by default spin while they
wait for each other. On a machine whose cores are shared with other work that is ruinous (a
spinning thread holds the core its partner needs: measured here under load, 3.5 s per prompt
instead of 0.25 s), so unless ``OMP_WAIT_POLICY`` is already set it is set to ``PASSIVE``
before llama.cpp is first loaded (:func:`omp_environment`).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .local_server import gguf_path, omp_environment

_NUMBER = re.compile(r"^[\s\u2581]*[0-9]+[\s\u2581]*$")


class NextToken:
    """One position's next-token distribution: the raw logits and their log-sum-exp.

    A rating needs the log-probabilities of a few dozen tokens, not of all 262,144, so they
    are computed on demand (in float64, as ``logit - logsumexp``) instead of converting the
    whole row; the arithmetic per token is the same either way.
    """

    __slots__ = ("logits", "lse")

    def __init__(self, logits: np.ndarray):
        self.logits = logits
        top = float(logits.max())
        self.lse = top + float(np.log(np.exp(logits - top).sum(dtype=np.float64)))

    def argmax(self) -> int:
        return int(self.logits.argmax())

    def logprobs(self, ids: np.ndarray) -> np.ndarray:
        """Log-probabilities of the tokens ``ids`` (float64)."""
        return self.logits[ids].astype(np.float64) - self.lse

    def top(self, n: int) -> np.ndarray:
        """Ids of the ``n`` most probable tokens (unordered)."""
        return np.argpartition(self.logits, -n)[-n:] if n > 0 else np.array([], np.int64)


class LocalLlama:
    """One ``llama_cpp.Llama`` (``logits_all=False``) behind a lock; calls are serialised."""

    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 2048,
                 n_threads: int | None = None, seed: int = 0):
        omp_environment()  # before llama.cpp's OpenMP runtime starts
        import llama_cpp  # lazy: optional (llama_cpp)

        self.model_path = Path(model_path) if model_path else gguf_path()
        self.llm = llama_cpp.Llama(model_path=str(self.model_path), n_ctx=n_ctx,
                                   n_threads=n_threads or os.cpu_count() or 2,
                                   logits_all=False, seed=seed, verbose=False)
        self._lock = threading.Lock()
        self._llama_cpp = llama_cpp
        self._vocab = llama_cpp.llama_model_get_vocab(self.llm.model)
        self._texts: list[str] | None = None
        self._numbers: np.ndarray | None = None
        #: Seconds spent in :meth:`greedy` (the model's own time; benchmarks subtract it).
        self.busy_seconds = 0.0

    def tokenize(self, text: str) -> list[int]:
        """Token ids as llama.cpp's own completion endpoint makes them (BOS, special tokens)."""
        return self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def token_text(self, token: int) -> str:
        return self.llm.detokenize([token]).decode("utf-8", errors="replace")

    def is_end(self, token: int) -> bool:
        """Whether ``token`` ends generation (end of sequence or of turn)."""
        return bool(self._llama_cpp.llama_vocab_is_eog(self._vocab, token))

    def _eval_suffix(self, tokens: Sequence[int]) -> None:
        """Evaluate ``tokens``, reusing the cached prefix (at least one token is evaluated)."""
        llm = self.llm
        if len(tokens) > llm.n_ctx():
            raise ValueError(f"the prompt has {len(tokens)} tokens; the context holds "
                             f"{llm.n_ctx()} (raise n_ctx)")
        cached = llm.input_ids[:llm.n_tokens]
        same = 0
        for a, b in zip(cached, tokens, strict=False):
            if a != b:
                break
            same += 1
        keep = min(same, len(tokens) - 1)  # the last token is always evaluated: its logits
        llm.n_tokens = keep  # Llama.eval drops the cache from n_tokens on
        llm.eval(list(tokens[keep:]))

    def _last_logprobs(self) -> NextToken:
        """The distribution llama.cpp kept for the last evaluated position."""
        ptr = self._llama_cpp.llama_get_logits_ith(self.llm.ctx, -1)
        return NextToken(np.ctypeslib.as_array(ptr, shape=(self.llm.n_vocab(),)).copy())

    @property
    def token_texts(self) -> list[str]:
        """Text of every vocabulary token (built once: the vocabulary is 262k tokens)."""
        if self._texts is None:
            self._texts = [self.token_text(i) for i in range(self.llm.n_vocab())]
        return self._texts

    @property
    def number_tokens(self) -> np.ndarray:
        """Ids of the tokens that spell a number in ASCII digits (spaces around allowed)."""
        if self._numbers is None:
            self._numbers = np.array([i for i, t in enumerate(self.token_texts)
                                      if _NUMBER.match(t)], dtype=np.int64)
        return self._numbers

    def greedy(self, tokens: Sequence[int], max_tokens: int,
               stop: Sequence[str] = ()) -> list[tuple[int, NextToken]]:
        """Greedy continuation: (chosen token, distribution it was chosen from) per step."""
        out: list[tuple[int, NextToken]] = []
        seq = list(tokens)
        text = ""
        with self._lock:
            start = time.perf_counter()
            for _ in range(max(1, max_tokens)):
                self._eval_suffix(seq)
                lp = self._last_logprobs()
                tok = lp.argmax()
                out.append((tok, lp))
                if self.is_end(tok):
                    break
                text += self.token_text(tok)
                if any(s in text for s in stop):
                    break
                seq.append(tok)
            self.busy_seconds += time.perf_counter() - start
        return out

