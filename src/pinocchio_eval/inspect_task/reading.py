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

from inspect_ai.model import GenerateConfig, Logprobs, ModelOutput, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from .logprobs import rating_distribution, scale_prefixes
from .scorer import scale_from_metadata

READINGS = ("text", "probabilities")
#: Appended to the prompt (in the dataset) so that the next token is the number itself.
ANSWER_DELIMITER = " "
#: Sample-metadata key holding what the solver read: ``{"logprobs": bool, "distribution":
#: RatingDistribution.to_dict() or None}``.
DISTRIBUTION = "answer_distribution"


def _config(top_logprobs: int) -> GenerateConfig:
    return GenerateConfig(max_tokens=1, logprobs=True, top_logprobs=top_logprobs,
                          temperature=0.0)


def first_position(output: ModelOutput) -> Logprobs | None:
    """The first choice's log-probabilities, or None when the output carries none."""
    choice = output.choices[0] if output.choices else None
    return choice.logprobs if choice and choice.logprobs and choice.logprobs.content else None


@solver
def read_distribution(top_logprobs: int = 20) -> Solver:
    """One token at the answer position with its log-probabilities (plus the next position
    after each digit that starts a longer scale value, e.g. "1" on a 0..10 scale), read into
    a distribution over the scale right here.

    The dataset already ends each prompt with :data:`ANSWER_DELIMITER`. The log-probabilities
    stay in the model events (the record of each call); the sample keeps only the distribution
    read from them, in ``metadata[DISTRIBUTION]``. Carrying the raw lists in the task state as
    well made Inspect diff, condense and write them twice more per sample (measured: about
    1.5 ms of a 76 ms prompt on this machine).
    """
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        config = _config(top_logprobs)
        state = await generate(state, **config.model_dump(exclude_none=True))
        scale = scale_from_metadata(state.metadata)
        continuations: dict[str, Any] = {}
        for prefix in scale_prefixes(scale.values):
            out = await get_model().generate(state.user_prompt.text + prefix, config=config)
            after = first_position(out)
            if after is not None:
                continuations[prefix] = after.content[0]
        read = first_position(state.output)
        dist = rating_distribution(read.content, scale.values, continuations or None
                                   ) if read is not None else None
        state.metadata[DISTRIBUTION] = {"logprobs": read is not None,
                                        "distribution": dist.to_dict() if dist else None}
        if read is not None:
            state.output.choices[0].logprobs = None
        return state
    return solve
