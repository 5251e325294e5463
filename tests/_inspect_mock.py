"""Helpers for the Inspect tests: a mockllm whose answer depends on the prompt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from inspect_ai import eval as inspect_eval
from inspect_ai.model import ModelOutput, ModelUsage, get_model

Answer = Callable[[str], str]


def mock_model(answer: Answer, with_output: Callable[[ModelOutput], None] | None = None):
    """mockllm answering ``answer(prompt)``; usage is preset so no tokenizer is downloaded."""
    def generate(messages, tools, tool_choice, config):
        prompt = messages[-1].text
        out = ModelOutput.from_content(model="mockllm", content=answer(prompt))
        out.usage = ModelUsage(input_tokens=len(prompt) // 4, output_tokens=1,
                               total_tokens=len(prompt) // 4 + 1)
        if with_output is not None:
            with_output(out)
        return out
    return get_model("mockllm/model", custom_outputs=generate)


def run(task, answer: Answer, log_dir: Path, **kwargs):
    """Evaluate ``task`` on the mock model; return the single log."""
    model = mock_model(answer, kwargs.pop("with_output", None))
    logs = inspect_eval(task, model=model, log_dir=str(log_dir), display="none", **kwargs)
    assert len(logs) == 1
    return logs[0]


def condition_of(prompt: str) -> str:
    return "human_simulation" if "typical, average adult" in prompt else (
        "llm_analog" if "large language model" in prompt else "neutral")
