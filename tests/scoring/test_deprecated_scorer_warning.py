"""The deprecated ``PinocchioScorer`` name warns at the code that builds it, so a user's
warning filter and report point at their line rather than at the library.

The check follows the frames instead of comparing file names: a wrapper around the constructor
(mutmut's trampoline) adds frames between the user's line and the warning."""

from __future__ import annotations

import sys
import warnings
from types import FrameType
from typing import Any

import pytest

from pinocchio_eval.scoring import PanelNorms, PinocchioScorer


def test_deprecation_warning_is_attributed_to_the_constructors_caller(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``stacklevel`` counts frames up from the warning function: the frame the warning is
    attributed to must be the one that called the function issuing it (its caller's line),
    however the constructor is reached."""
    attributed: list[tuple[FrameType | None, FrameType | None]] = []

    def spy(message: Any, category: Any = None, stacklevel: int = 1, **kw: Any) -> None:
        warner = sys._getframe(1)            # the code that called warnings.warn
        frame: FrameType | None = warner
        for _ in range(stacklevel - 1):
            frame = frame.f_back if frame is not None else None
        attributed.append((frame, warner.f_back))

    monkeypatch.setattr(warnings, "warn", spy)
    old = PinocchioScorer(3)
    monkeypatch.undo()
    assert isinstance(old, PanelNorms) and old.seed == 3
    assert len(attributed) == 1
    frame, caller = attributed[0]
    assert frame is not None and frame is caller

