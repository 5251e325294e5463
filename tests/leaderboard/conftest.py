"""The headless browser the leaderboard page tests open their pages in.

Debian's ``chromium`` (``apt-get install chromium``, or ``$PINOCCHIO_CHROMIUM``) driven by the
``playwright`` Python package: no browser download is involved.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pinocchio_eval.responses import write_response_table

CHROMIUM = os.environ.get("PINOCCHIO_CHROMIUM") or shutil.which("chromium") or \
    shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM:
        pytest.skip("no chromium executable (apt-get install chromium)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 1000})
        finally:
            browser.close()


@pytest.fixture
def unknown_item_table(tmp_path: Path) -> Path:
    """A response table with SWLS items 0 and 1 and an item 7 SWLS does not have (0 to 4)."""
    table = pd.DataFrame({"model": "m", "condition": "neutral", "questionnaire": "SWLS",
                          "item_index": [0, 1, 7], "response": [3, 4, 5]})
    path = tmp_path / "unknown_item.csv"
    write_response_table(table, path)
    return path
