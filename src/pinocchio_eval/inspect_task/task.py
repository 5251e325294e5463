"""The battery as an Inspect task: one sample per (item, condition), one user message each.

Run it with ``inspect eval pinocchio --model <model>`` (the bare name is an alias registered by
:mod:`._registry` for the canonical ``pinocchio_eval/pinocchio``; the log names the one typed);
options in :func:`pinocchio`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.solver import generate

from ..battery import BatteryItem
from ..battery.selection import select_items
from ..conditions import parse_condition_list, render_prompt
from ..task_version import comparability_version, version_info
from .reading import ANSWER_DELIMITER, READINGS, read_distribution
from .scorer import pinocchio_scorer

TASK_NAME = "pinocchio"
#: Enough for a short reasoning trace before the number; chat models stop after one number.
DEFAULT_MAX_TOKENS = 256
#: OpenAI-compatible APIs cap ``top_logprobs`` at 20.
DEFAULT_TOP_LOGPROBS = 20


def build_samples(conditions: str | Sequence[str] | None = None,
                  questionnaires: str | Sequence[str] | None = None,
                  text: str = "corrected", shuffle: int | None = None,
                  suffix: str = "") -> list[Sample]:
    """Samples grouped by questionnaire, then condition, then item (shared prompt prefixes).

    ``suffix`` ends every prompt (the probability reading's answer delimiter).

    Sample ids are ``<questionnaire id>/<item>/<condition>``, so ``--sample-id 'swls/*'`` or
    ``--sample-id '*/human_simulation'`` pick parts of the battery from the command line.
    """
    conds = parse_condition_list(conditions)
    items = select_items(questionnaires, text)  # type: ignore[arg-type]
    by_questionnaire: dict[str, list[BatteryItem]] = {}
    for item in items:
        by_questionnaire.setdefault(item.questionnaire, []).append(item)
    samples = []
    for group in by_questionnaire.values():
        for cond in conds:
            for item in group:
                samples.append(Sample(
                    id=f"{item.questionnaire_id}/{item.item_index}/{cond}",
                    input=render_prompt(item, cond) + suffix,
                    metadata={
                        "questionnaire": item.questionnaire,
                        "questionnaire_id": item.questionnaire_id,
                        "item_index": item.item_index,
                        "condition": cond,
                        "item": item.text,
                        "scale_min": item.scale.min,
                        "scale_max": item.scale.max,
                        "scale_labels": {str(k): v for k, v in item.scale.labels.items()},
                        "text_mode": text,
                    }))
    if not samples:
        raise ValueError("the selection has no active items to administer")
    if shuffle is not None:
        random.Random(int(shuffle)).shuffle(samples)
    return samples


@task(name=TASK_NAME)
def pinocchio(conditions: str | list[str] | None = None,
              questionnaires: str | list[str] | None = None,
              text: str = "corrected",
              shuffle: int | None = None,
              repeats: int = 1,
              max_tokens: int = DEFAULT_MAX_TOKENS,
              logprobs: bool = False,
              top_logprobs: int = DEFAULT_TOP_LOGPROBS,
              reading: str = "text") -> Task:
    """The Pinocchio Dimension battery, one item per prompt; scored for Π_self.

    Inspect's own options come first: ``--epochs N`` (repeats, averaged per item),
    ``--sample-shuffle SEED``, ``--max-tokens N``, ``--sample-id 'swls/*'`` (ids are
    ``<questionnaire>/<item>/<condition>``), ``--limit N``, ``--system-message`` (a persona),
    ``--temperature``. The ``-T`` arguments below select what is asked; ``repeats``,
    ``shuffle`` and ``max_tokens`` are kept as aliases of the native options.

    Args:
      conditions: comma-separated condition names (default: the paper's three;
        ``neutral,human_simulation`` is the cheaper pair Π_self needs).
      questionnaires: names or ids, comma separated (default ``analysed``, the paper's
        analysed set; ``all`` adds the superseded instruments; same rule as lm-eval).
      text: ``corrected`` (errata applied) or ``source`` (exactly as the authors ran it).
      shuffle: alias of ``--sample-shuffle``: seed for a shuffled order. The default keeps
        questionnaires together so that consecutive prompts share a prefix.
      repeats: alias of ``--epochs``: times each item is asked, averaged per item.
      max_tokens: alias of ``--max-tokens`` (which wins when both are given); raise it for
        reasoning models, lower it for base models.
      logprobs: ask for top log-probabilities and store the expected rating per sample.
      top_logprobs: how many alternatives per token to request in ``logprobs`` mode.
      reading: ``text`` parses the generated answer; ``probabilities`` reads the model's
        probability of each scale value at the answer position (one token, renormalised over
        the scale) and scores the expected rating: the standard reading for base models.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    conds = parse_condition_list(conditions)
    config = GenerateConfig(max_tokens=int(max_tokens))  # temperature: provider default
    if _truthy(logprobs):
        config = config.merge(GenerateConfig(logprobs=True, top_logprobs=int(top_logprobs)))
    by_probability = reading == "probabilities"
    return Task(
        dataset=MemoryDataset(build_samples(conditions, questionnaires, text, shuffle,
                                            ANSWER_DELIMITER if by_probability else ""),
                              name="pinocchio-battery"),
        solver=read_distribution(int(top_logprobs)) if by_probability else generate(),
        scorer=pinocchio_scorer(logprobs=_truthy(logprobs), reading=reading),
        config=config,
        epochs=Epochs(int(repeats), "mean"),
        version=comparability_version(),
        metadata={"pinocchio_eval": True, **version_info(), "text_mode": text,
                  "reading": reading, "conditions": conds,
                  "questionnaires": questionnaires or "analysed",
                  "temperature": "provider default unless set with --temperature"},
    )


def _truthy(value: object) -> bool:
    """-T values arrive as YAML scalars; accept the usual spellings."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
