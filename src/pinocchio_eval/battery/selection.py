"""Which questionnaires a run administers: one rule for the Inspect task and the lm-eval tasks.

Both harnesses take the same selection string, so "all" cannot drift apart between them:

- nothing, ``""`` or ``"analysed"``: the paper's analysed set (what Π is defined on);
- ``"all"``: every instrument in the battery, the superseded versions included (they are
  kept for replications; the scorer leaves them out of Π unless told otherwise);
- otherwise names or ids, comma separated or as a list (unknown ones raise with suggestions).

The result is always in battery order, whatever order the names were given in.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import get_battery
from .registry import Battery, BatteryItem
from .schema import TextMode

ANALYSED = "analysed"
ALL = "all"
Selection = str | Sequence[str] | None


def _names(spec: Selection) -> list[str]:
    if spec is None:
        return []
    parts = spec.split(",") if isinstance(spec, str) else [str(s) for s in spec]
    return [p.strip() for p in parts if p.strip()]


def select_questionnaires(spec: Selection = None, battery: Battery | None = None) -> list[str]:
    """Source names of the selected questionnaires, in battery order."""
    if battery is None:
        battery = get_battery()
    names = _names(spec)
    if not names or names == [ANALYSED]:
        return [i.name for i in battery.instruments()]
    if names == [ALL]:
        return [i.name for i in battery.instruments(include_superseded=True)]
    wanted = {battery.get(n).name for n in names}
    return [i.name for i in battery.instruments(include_superseded=True) if i.name in wanted]


def select_items(spec: Selection = None, text_mode: TextMode = "corrected",
                 battery: Battery | None = None) -> list[BatteryItem]:
    """The active items of the selected questionnaires, questionnaire by questionnaire."""
    if text_mode not in ("corrected", "source"):
        raise ValueError(f"text mode must be 'corrected' or 'source', got {text_mode!r}")
    if battery is None:
        battery = get_battery()
    return [item for name in select_questionnaires(spec, battery)
            for item in battery.items(name, mode=text_mode) if item.active]
