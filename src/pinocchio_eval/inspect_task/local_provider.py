"""Inspect model provider ``llama-cpp-local``: a GGUF run in-process, greedy, with log-probs.

``inspect eval pinocchio_eval/pinocchio --model llama-cpp-local/gemma-3-270m`` runs the embedded
Gemma model inside the Inspect process (``-M model_path=FILE.gguf`` for another GGUF). Unlike
llama.cpp's server, log-probabilities cost nothing extra here: every step's full distribution
is read from the logits llama.cpp keeps for the last position (see
:mod:`pinocchio_eval.local_model`), so the model is loaded without ``logits_all``.

The prompt is the text of the single input message, sent as-is (a base model has no chat
template; like Inspect's completions providers). Decoding is greedy. With ``logprobs`` each
step lists the ``top_logprobs`` most probable tokens *and every number token* of the
vocabulary, so a rating scale's values are never cut off the list.
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    TopLogprob,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from ..local_model import LocalLlama, NextToken
from ..local_server import MODEL_ALIAS, gguf_path

PROVIDER = "llama-cpp-local"
#: One loaded model per GGUF path and thread count, shared by every Inspect model object.
_LOADED: dict[tuple[str, int | None], Any] = {}


def _load(model_path: str | None, n_threads: int | None, n_ctx: int) -> Any:
    path = str(model_path or gguf_path())
    key = (path, n_threads)
    if key not in _LOADED:
        model = LocalLlama(path, n_ctx=n_ctx, n_threads=n_threads)
        model.number_tokens  # noqa: B018 - builds the vocabulary tables once, here
        # Everything alive now (Inspect, the model's tables) lives as long as the process.
        # Moving it out of the cycle collector's reach makes its full collections, which
        # recur as a long run's results pile up, several times cheaper (measured: 1.5 s →
        # 0.6 s over two runs of the quick set).
        gc.collect()
        gc.freeze()
        _LOADED[key] = model
    return _LOADED[key]


def prompt_text(input: list[ChatMessage]) -> str:
    """The raw prompt: the text of the one input message (as the completions endpoint takes)."""
    if len(input) != 1:
        raise ValueError(f"{PROVIDER} sends one raw prompt; got {len(input)} messages "
                         "(use a task with a single user message, no system prompt)")
    return input[0].text


@modelapi(name=PROVIDER)
class LocalLlamaAPI(ModelAPI):
    """The embedded (or any) GGUF model, in-process through llama-cpp-python."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig | None = None, model_path: str | None = None,
                 n_threads: int | None = None, n_ctx: int = 2048, **model_args: Any) -> None:
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())
        if model_args:
            raise ValueError(f"{PROVIDER}: unknown model argument(s) {sorted(model_args)}; "
                             "known: model_path, n_threads, n_ctx")
        if model_path is None and model_name != MODEL_ALIAS:  # never mislabel the results
            raise ValueError(f"{PROVIDER}/{model_name}: without -M model_path=FILE.gguf the "
                             f"only model is the embedded {PROVIDER}/{MODEL_ALIAS}")
        self.model = _load(model_path, int(n_threads) if n_threads else None, int(n_ctx))
        self._texts = self.model.token_texts
        self.number_tokens = self.model.number_tokens

    def max_connections(self) -> int:
        return 1  # one model, one KV cache: calls in prompt order keep the prefix warm

    def _position(self, token: int, dist: NextToken, top_n: int) -> Logprob:
        ids = np.unique(np.concatenate([dist.top(top_n), self.number_tokens]))
        lp = dist.logprobs(ids)
        order = np.argsort(-lp, kind="stable")
        texts = self._texts
        # model_construct with every field given: these are our own numbers, and pydantic's
        # validation of ~40 objects per prompt was a measurable share of the step
        return Logprob.model_construct(
            token=texts[token], logprob=float(dist.logprobs(np.array([token]))[0]), bytes=None,
            top_logprobs=[TopLogprob.model_construct(token=texts[ids[i]], logprob=float(lp[i]),
                                                     bytes=None) for i in order])

    def _generate(self, prompt: str, config: GenerateConfig) -> ModelOutput:
        tokens = self.model.tokenize(prompt)
        max_tokens = config.max_tokens if config.max_tokens is not None else 16
        steps = self.model.greedy(tokens, max_tokens, stop=config.stop_seqs or ())
        text = "".join(self._texts[t] for t, _ in steps
                       if not self.model.is_end(t))
        logprobs = None
        if config.logprobs:
            top_n = int(config.top_logprobs or 0)
            logprobs = Logprobs(content=[self._position(t, lp, top_n) for t, lp in steps])
        stop = "stop" if steps and self.model.is_end(steps[-1][0]) else (
            "max_tokens" if len(steps) >= max_tokens else "stop")
        choice = ChatCompletionChoice(
            message=ChatMessageAssistant(content=text, model=self.model_name, source="generate"),
            stop_reason=stop, logprobs=logprobs)
        return ModelOutput(model=self.model_name, choices=[choice], completion=text,
                           usage=ModelUsage(input_tokens=len(tokens), output_tokens=len(steps),
                                            total_tokens=len(tokens) + len(steps)))

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo],
                       tool_choice: ToolChoice, config: GenerateConfig) -> ModelOutput:
        # Run in the event loop's own thread: the model is one shared, locked llama.cpp
        # context, so a worker thread bought no concurrency, only two cross-thread wake-ups
        # per call (measured ~0.7 ms of a ~72 ms prompt). The loop is blocked for one model
        # step (~60 ms for the embedded model), which Inspect's display and timers tolerate.
        return self._generate(prompt_text(input), config)
