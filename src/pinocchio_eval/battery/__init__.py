"""The battery as validated data: schema, loading, errata, look-ups."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..plugins import get_plugin_manager, on_reset
from .loader import BatteryError, load_errata, load_instrument, load_instruments
from .registry import Battery, BatteryItem, UnknownQuestionnaireError, render_scale
from .schema import Erratum, Instrument, Item, Scale

__all__ = [
    "Battery", "BatteryError", "BatteryItem", "Erratum", "Instrument", "Item", "Scale",
    "UnknownQuestionnaireError", "get_battery", "load_errata", "load_instrument",
    "load_instruments", "render_scale",
]


def _as_instruments(entry: Any) -> list[Instrument]:
    if isinstance(entry, Instrument):
        return [entry]
    if isinstance(entry, dict):
        return [Instrument.model_validate(entry)]
    path = Path(entry)
    return load_instruments(path) if path.is_dir() else [load_instrument(path)]


def _as_errata(entry: Any) -> list[Erratum]:
    if isinstance(entry, Erratum):
        return [entry]
    return load_errata(entry)


@cache
def get_battery() -> Battery:
    """The battery from every registered plugin (built-ins included), errata applied."""
    hook = get_plugin_manager().hook
    instruments = [i for group in hook.pinocchio_questionnaires() for e in group or []
                   for i in _as_instruments(e)]
    errata = [x for group in hook.pinocchio_errata() for e in group or [] for x in _as_errata(e)]
    return Battery(instruments, errata)


on_reset(get_battery.cache_clear)
