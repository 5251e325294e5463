"""The plugin manager: every installed ``pinocchio_eval`` entry point, this package's first.

This is the package's floor: it imports nothing of pinocchio_eval but the hook specifications.
The built-in questionnaires, conditions and exporters arrive the way a third party's do, through
an entry point (``builtin``, declared in pyproject.toml); modules that cache what the hooks
returned register a reset callback with :func:`on_reset`, so the floor need not know them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, entry_points

import pluggy

from . import hookspecs

#: The entry point carrying this package's own contributions.
BUILTIN = "builtin"
_DIST = "pinocchio-eval"
_RESETS: list[Callable[[], None]] = []


def on_reset(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` whenever :func:`reset_plugin_manager` runs (e.g. a cache's clear)."""
    if callback not in _RESETS:
        _RESETS.append(callback)
    return callback


def _ours_first(points: list[EntryPoint]) -> list[EntryPoint]:
    """This distribution's entry points before everyone else's (the order is otherwise kept):
    pluggy calls later registrations first, so a plugin can override a built-in."""
    def theirs(ep: EntryPoint) -> bool:
        dist = getattr(ep, "dist", None)
        name = (dist.metadata["Name"] or "") if dist is not None else ""
        return name.lower().replace("_", "-") != _DIST

    return sorted(points, key=theirs)


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for ep in _ours_first(list(entry_points(group=hookspecs.PROJECT))):
        if pm.get_plugin(ep.name) is None and not pm.is_blocked(ep.name):
            pm.register(ep.load(), name=ep.name)
    if pm.get_plugin(BUILTIN) is None:
        raise RuntimeError("pinocchio-eval's built-in plugin is not registered: the package's "
                           f"'{hookspecs.PROJECT}' entry points are missing. Install the "
                           "package (pip install -e . in a source checkout).")
    return pm


def reset_plugin_manager() -> None:
    """Forget the cached manager and everything derived from it (used by tests)."""
    get_plugin_manager.cache_clear()
    for callback in _RESETS:
        callback()
