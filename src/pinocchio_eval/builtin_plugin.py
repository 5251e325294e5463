"""The package's own contributions, made through the same hooks a third-party plugin uses.

Registered like a third party's plugin too: through the ``builtin`` entry point in
pyproject.toml (the plugin manager loads this distribution's entry points first). This module
sits above every other one, so it may import any of them.
"""

from __future__ import annotations

from pathlib import Path

from ._resources import tasks_dir
from .plugins.hookspecs import hookimpl


@hookimpl
def pinocchio_questionnaires() -> list[Path]:
    return [tasks_dir() / "battery"]


@hookimpl
def pinocchio_errata() -> list[Path]:
    return [tasks_dir() / "errata.yaml"]


@hookimpl
def pinocchio_conditions() -> list[Path]:
    return [tasks_dir() / "conditions.yaml"]


@hookimpl
def pinocchio_leaderboard_exporters() -> list[object]:
    # The leaderboard (pandas, scipy) is loaded only when exporters are asked for, not
    # whenever the battery is (the plugin manager loads this module with the battery).
    from .leaderboard.eee import EeeExporter  # lazy: heavy (pandas, scipy)
    from .leaderboard.exporters import BUILTIN_EXPORTERS  # lazy: heavy (pandas, scipy)

    return [*BUILTIN_EXPORTERS, EeeExporter()]
