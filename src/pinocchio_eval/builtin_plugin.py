"""The package's own contributions, made through the same hooks a third-party plugin uses."""

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
    from .leaderboard.eee import EeeExporter
    from .leaderboard.exporters import BUILTIN_EXPORTERS

    return [*BUILTIN_EXPORTERS, EeeExporter()]
