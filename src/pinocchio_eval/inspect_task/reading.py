"""Reading a rating from probabilities: the solver that asks for the answer position.

A base model asked a questionnaire item mostly continues the questionnaire instead of writing a
number, so its generated text rarely holds a rating. What it does say is how probable each
scale value is as the next token after the answer cue; the expected value of that
distribution, renormalised over the scale, is its rating (lm-eval's multiple-choice reading,
done here with one generated token instead of one log-likelihood request per scale value).

The answer position is after the cue *and one space*: the cue ends with a colon, and
SentencePiece tokenizers (Gemma, Llama) write " 3" as a space token followed by "3". This is
the split lm-eval's multiple choice makes (``target_delimiter: " "``), so both harnesses read
the same distribution.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import GenerateConfig, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from .logprobs import scale_prefixes
from .scorer import scale_from_metadata

READINGS = ("text", "probabilities")
#: Appended to the prompt so that the next token is the number itself.
ANSWER_DELIMITER = " "
#: Sample-metadata key holding the positions read after each multi-digit prefix.
CONTINUATIONS = "answer_continuations"


def _config(top_logprobs: int) -> GenerateConfig:
    return GenerateConfig(max_tokens=1, logprobs=True, top_logprobs=top_logprobs,
                          temperature=0.0)


@solver
def read_distribution(top_logprobs: int = 20) -> Solver:
    """One token at the answer position with its log-probabilities (plus the next position
    after each digit that starts a longer scale value, e.g. "1" on a 0..10 scale)."""
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        prompt = state.user_prompt.text + ANSWER_DELIMITER
        state.user_prompt.text = prompt
        state = await generate(state, **_config(top_logprobs).model_dump(exclude_none=True))
        meta = state.metadata
        continuations: dict[str, Any] = {}
        for prefix in scale_prefixes(scale_from_metadata(meta).values):
            out = await get_model().generate(prompt + prefix, config=_config(top_logprobs))
            choice = out.choices[0] if out.choices else None
            if choice and choice.logprobs and choice.logprobs.content:
                continuations[prefix] = choice.logprobs.content[0].model_dump()
        if continuations:
            meta[CONTINUATIONS] = continuations
        return state
    return solve
