"""An adapter that cannot be imported is reported with the error and what to install."""

from __future__ import annotations

import pytest

import pinocchio_eval.readers as readers_pkg


def test_missing_adapters_name_the_error_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers_pkg, "_ADAPTERS", {
        "inspect": "pinocchio_eval_no_such_module_a",   # has a known extra to install
        "other": "pinocchio_eval_no_such_module_b",     # has none: the generic advice
    })
    missing = readers_pkg._load_adapters()
    assert missing == {
        "inspect": "No module named 'pinocchio_eval_no_such_module_a'; "
                   "pip install 'pinocchio-eval[inspect]'",
        "other": "No module named 'pinocchio_eval_no_such_module_b'; install its extra",
    }
