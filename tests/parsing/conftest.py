"""Every parser test builds the label indexes it uses afresh.

``parsing.labels`` caches one index per scale (an optimisation: the battery has few distinct
scales). A test that found the index already built by an earlier test would exercise only the
lookup, not the variant and grading-word construction behind it, so a wrong variant could
pass unnoticed (mutation testing showed exactly that: mutmut builds the caches before it
forks the test process of each mutant). Rebuilding costs well under a second for the whole
directory.
"""

from __future__ import annotations

import pytest

from pinocchio_eval.parsing import labels


@pytest.fixture(autouse=True)
def fresh_label_indexes() -> None:
    labels._index.cache_clear()
