"""The battery as an Inspect task: one sample per (item, condition), one user message each.

Run it with ``inspect eval pinocchio_eval/pinocchio --model <model>``; task parameters go
through ``-T name=value`` (see :func:`pinocchio`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.solver import generate

from ..battery import get_battery
from ..conditions import parse_condition_list, render_prompt
from .reading import READINGS, read_distribution
from .scorer import pinocchio_scorer

logger = logging.getLogger(__name__)
TASK_NAME = "pinocchio"
PI_SELF_CONDITIONS = ("neutral", "human_simulation")
#: Enough for a short reasoning trace before the number; chat models stop after one number.
DEFAULT_MAX_TOKENS = 256
#: OpenAI-compatible APIs cap ``top_logprobs`` at 20.
DEFAULT_TOP_LOGPROBS = 20


def _as_list(spec: str | Sequence[str] | None) -> list[str]:
    if spec is None:
        return []
    items = spec.split(",") if isinstance(spec, str) else [str(s) for s in spec]
    return [s.strip() for s in items if s.strip()]


def select_questionnaires(spec: str | Sequence[str] | None = None) -> list[str]:
    """Names (source names) of the questionnaires to administer, in battery order.

    ``None``/``"analysed"`` is the paper's analysed set; ``"all"`` adds superseded ones;
    otherwise names or ids, comma separated (unknown ones raise with suggestions).
    """
    battery = get_battery()
    names = _as_list(spec)
    if not names or names == ["analysed"]:
        return [i.name for i in battery.instruments()]
    if names == ["all"]:
        return [i.name for i in battery.instruments(include_superseded=True)]
    wanted = {battery.get(n).name for n in names}
    return [i.name for i in battery.instruments(include_superseded=True) if i.name in wanted]


def build_samples(conditions: str | Sequence[str] | None = None,
                  questionnaires: str | Sequence[str] | None = None,
                  text: str = "corrected", shuffle: int | None = None) -> list[Sample]:
    """Samples grouped by questionnaire, then condition, then item (shared prompt prefixes)."""
    if text not in ("corrected", "source"):
        raise ValueError(f"text must be 'corrected' or 'source', got {text!r}")
    battery = get_battery()
    conds = parse_condition_list(conditions)
    samples = []
    for name in select_questionnaires(questionnaires):
        items = [i for i in battery.items(name, mode=text) if i.active]  # type: ignore[arg-type]
        for cond in conds:
            for item in items:
                samples.append(Sample(
                    id=f"{item.questionnaire_id}/{item.item_index}/{cond}",
                    input=render_prompt(item, cond),
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

    Args:
      conditions: comma-separated condition names (default: the paper's three;
        ``neutral,human_simulation`` is the cheaper pair Π_self needs).
      questionnaires: names or ids, comma separated (default: the analysed set; ``all``
        adds the superseded instruments).
      text: ``corrected`` (errata applied) or ``source`` (exactly as the authors ran it).
      shuffle: seed for a shuffled order; default keeps questionnaires together so that
        consecutive prompts share a prefix (cheaper on servers with a prompt cache).
      repeats: times each item is asked (Inspect epochs); ratings are averaged per item
        before the metrics (``--epochs`` on the command line does the same).
      max_tokens: answer budget; raise it for reasoning models, lower it for base models.
      logprobs: ask for top log-probabilities and store the expected rating per sample.
      top_logprobs: how many alternatives per token to request in ``logprobs`` mode.
      reading: ``text`` parses the generated answer; ``probabilities`` reads the model's
        probability of each scale value at the answer position (one token, renormalised over
        the scale) and scores the expected rating: the standard reading for base models.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    conds = parse_condition_list(conditions)
    lacking = [c for c in PI_SELF_CONDITIONS if c not in conds]
    if lacking:
        logger.warning("pi_self will be NaN: the run has no %s condition; Π_self compares "
                       "neutral with human_simulation answers", " or ".join(lacking))
    config = GenerateConfig(max_tokens=int(max_tokens))  # temperature: provider default
    if _truthy(logprobs):
        config = config.merge(GenerateConfig(logprobs=True, top_logprobs=int(top_logprobs)))
    by_probability = reading == "probabilities"
    return Task(
        dataset=MemoryDataset(build_samples(conditions, questionnaires, text, shuffle),
                              name="pinocchio-battery"),
        solver=read_distribution(int(top_logprobs)) if by_probability else generate(),
        scorer=pinocchio_scorer(logprobs=_truthy(logprobs), reading=reading),
        config=config,
        epochs=Epochs(int(repeats), "mean"),
        metadata={"pinocchio_eval": True, "text_mode": text, "reading": reading,
                  "conditions": conds,
                  "temperature": "provider default unless set with --temperature"},
    )


def _truthy(value: object) -> bool:
    """-T values arrive as YAML scalars; accept the usual spellings."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
