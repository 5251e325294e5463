"""Where the paper authors' reference data is: ``$PINOCCHIO_REFERENCE_DIR``, else
``shared/reference/pinocchio-paper/`` beside the clone. Tests that need it skip without it,
which fails a CI run (see conftest.py): CI puts the folder beside the clone."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def reference_dir() -> Path | None:
    for c in (os.environ.get("PINOCCHIO_REFERENCE_DIR"),
              REPO.parent / "shared" / "reference" / "pinocchio-paper"):
        if c and (Path(c) / "questionnaires.json").exists():
            return Path(c)
    return None


WHERE = "$PINOCCHIO_REFERENCE_DIR or ../shared/reference/pinocchio-paper/ beside the clone"
