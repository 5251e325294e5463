"""Inspect AI integration: the battery as a task, Π_self as a metric, logs as response tables.

Using the task or the scorer needs ``inspect-ai`` (``pip install 'pinocchio-eval[inspect]'``).
Names are loaded on first use, so that reading logs whose rows are already cached (see
:mod:`pinocchio_eval.readers.cache`) does not pay for importing Inspect.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"InspectLogError": "reader", "read_inspect_logs": "reader",
          "pinocchio_scorer": "scorer", "build_samples": "task", "pinocchio": "task"}

__all__ = ["InspectLogError", "build_samples", "pinocchio", "pinocchio_scorer",
           "read_inspect_logs"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
