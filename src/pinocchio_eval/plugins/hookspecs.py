"""Hook specifications: what another installed package can contribute.

A plugin is a module or object with functions marked ``@hookimpl``, advertised under the
``pinocchio_eval`` entry-point group::

    [project.entry-points.pinocchio_eval]
    my_battery = "my_package.pinocchio_plugin"

The built-in battery, conditions and exporters are contributed through these same hooks
(:mod:`pinocchio_eval.builtin_plugin`), so a plugin's contributions show up everywhere the
built-ins do.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "pinocchio_eval"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def pinocchio_questionnaires() -> list[Any]:
    """Return questionnaires to add to the battery.

    Each entry is an instrument YAML file, a folder of them, a mapping with the instrument
    fields, or a :class:`pinocchio_eval.battery.schema.Instrument`.
    """


@hookspec
def pinocchio_errata() -> list[Any]:
    """Return errata files (paths) or :class:`~pinocchio_eval.battery.schema.Erratum` objects."""


@hookspec
def pinocchio_conditions() -> list[Any]:
    """Return prompting conditions: YAML files or :class:`~pinocchio_eval.conditions.Condition`."""


@hookspec
def pinocchio_leaderboard_exporters() -> list[Any]:
    """Return leaderboard exporters (objects with ``name`` and ``write(board, out_dir)``)."""

