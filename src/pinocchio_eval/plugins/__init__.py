"""Extension points (pluggy). See :mod:`pinocchio_eval.plugins.hookspecs`."""

from .hookspecs import hookimpl, hookspec
from .manager import get_plugin_manager, on_reset, reset_plugin_manager

__all__ = ["hookimpl", "hookspec", "get_plugin_manager", "on_reset", "reset_plugin_manager"]
