"""Shared fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pinocchio_eval.plugins import reset_plugin_manager

DATA = Path(__file__).parent / "data"


@pytest.fixture
def toy_plugin(tmp_path, monkeypatch):
    """Install the toy plugin the way pip would: a module plus an entry point in a dist-info."""
    plugin_dir = DATA / "plugin_pkg"
    dist = tmp_path / "toy_pinocchio_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-pinocchio-plugin\n"
                                   "Version: 0.1\n")
    (dist / "entry_points.txt").write_text("[pinocchio_eval]\ntoy = toy_pinocchio_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(plugin_dir))
    reset_plugin_manager()
    yield
    sys.modules.pop("toy_pinocchio_plugin", None)
    monkeypatch.undo()
    reset_plugin_manager()


@pytest.fixture(autouse=True)
def _log_cache_in_tmp(tmp_path_factory, monkeypatch):
    """The readers' log cache goes to a temporary folder, never the user's home."""
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
