"""Prompting conditions and prompt rendering.

Conditions are data (``tasks/conditions.yaml``) contributed through the
``pinocchio_conditions`` hook, so a plugin can add one without touching this package.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .battery import BatteryError, BatteryItem
from .battery.loader import load_entries
from .plugins import get_plugin_manager, on_reset

#: The paper's three conditions, in the order the paper ran them.
PAPER_CONDITIONS = ("neutral", "llm_analog", "human_simulation")


class Condition(BaseModel):
    """A framing of the same items: the text before them and the cue after them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    framing: str = Field(min_length=1)
    answer_cue: str = Field(min_length=1)

    @field_validator("answer_cue")
    @classmethod
    def _placeholders(cls, cue: str) -> str:
        try:
            cue.format(min=0, max=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"answer_cue may only use {{min}} and {{max}} placeholders ({exc})") from exc
        return cue


class UnknownConditionError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def load_conditions_file(path: str | Path) -> list[Condition]:
    return load_entries(path, "conditions", Condition, "condition")


def _as_conditions(entry: Any) -> list[Condition]:
    if isinstance(entry, Condition):
        return [entry]
    if isinstance(entry, dict):
        return [Condition.model_validate(entry)]
    return load_conditions_file(entry)


@cache
def get_conditions() -> dict[str, Condition]:
    """Every registered condition by name (built-ins first, then plugins)."""
    out: dict[str, Condition] = {}
    for group in reversed(get_plugin_manager().hook.pinocchio_conditions()):
        for entry in group or []:
            for cond in _as_conditions(entry):
                if cond.name in out:
                    raise BatteryError(f"condition '{cond.name}' is contributed twice")
                out[cond.name] = cond
    return out


on_reset(get_conditions.cache_clear)


def get_condition(name: str) -> Condition:
    conditions = get_conditions()
    if name in conditions:
        return conditions[name]
    close = difflib.get_close_matches(name, list(conditions), n=3, cutoff=0.3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise UnknownConditionError(f"unknown condition '{name}'.{hint} "
                                f"Known conditions: {', '.join(conditions)}.")


def parse_condition_list(spec: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """'neutral,human_simulation' or a list → validated names (default: the paper's three)."""
    if spec is None or spec == "" or spec == "all":
        return list(PAPER_CONDITIONS)
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [n.strip() for n in names if n.strip()]
    for name in names:
        get_condition(name)
    return list(dict.fromkeys(names))


def render_prompt(item: BatteryItem, condition: str | Condition) -> str:
    """The exact text sent to the model for one item in one condition.

    Order: framing, instructions, scale, item, answer cue. Everything before the item
    depends only on the questionnaire and condition, so consecutive items share it.
    """
    cond = condition if isinstance(condition, Condition) else get_condition(condition)
    parts = [cond.framing.strip()]
    if item.instructions and item.instructions.strip():
        parts.append("Instructions:\n" + item.instructions.strip())
    parts.append("Response scale:\n" + item.scale_text.strip())
    parts.append("Statement:\n" + item.text.strip())
    parts.append(cond.answer_cue.format(min=item.scale.min, max=item.scale.max))
    return "\n\n".join(parts)
