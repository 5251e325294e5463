"""Locate the data folders (``tasks/``, ``scorers/``, ``leaderboards/``) at run time.

In a wheel they are packed under ``pinocchio_eval/_data/``; in a source checkout (editable
install, or tests run from the repository) they sit at the repository root. Code asks here
instead of building paths itself so both layouts work from any working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``tasks``, ``scorers`` or ``leaderboards``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"pinocchio-eval data folder '{name}' is missing: looked in {_PACKAGE_DIR / '_data'} "
        f"and {_PACKAGE_DIR.parents[1]}. Reinstall the package (pip install pinocchio-eval)."
    )


def tasks_dir() -> Path:
    return data_dir("tasks")


def scorers_dir() -> Path:
    return data_dir("scorers")


def leaderboards_dir() -> Path:
    return data_dir("leaderboards")
