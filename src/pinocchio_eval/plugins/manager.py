"""The plugin manager: built-ins first, then every installed ``pinocchio_eval`` entry point."""

from __future__ import annotations

from functools import cache

import pluggy

from . import hookspecs


@cache
def get_plugin_manager() -> pluggy.PluginManager:
    from .. import builtin_plugin

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    # Registered under the entry-point name so the entry point does not load it twice.
    pm.register(builtin_plugin, name="builtin")
    pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    return pm


def reset_plugin_manager() -> None:
    """Forget the cached manager and everything derived from it (used by tests)."""
    get_plugin_manager.cache_clear()
    from ..battery import get_battery
    from ..conditions import get_conditions

    get_battery.cache_clear()
    get_conditions.cache_clear()
