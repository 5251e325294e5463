"""Open a board with release dates in headless Chromium: the Π-vs-release chart must show.

Uses the ``page`` fixture of this folder's conftest.py (Debian chromium + playwright).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leaderboard_fixtures import small_board
from pinocchio_eval.leaderboard import export
from pinocchio_eval.leaderboard.timeline import attach_facts

pytestmark = pytest.mark.browser


def test_release_chart_is_on_the_page(page, tmp_path: Path):
    board = small_board(7)
    info = pd.DataFrame({"model": board.table["model"], "provider": pd.NA, "family": pd.NA,
                         "parent": pd.NA, "notes": pd.NA,
                         "release_date": pd.to_datetime(["2024-05-13", "2024-10-22",
                                                         "2025-03-12", "2024-07-23",
                                                         "2025-12-02", "2025-04-29",
                                                         "2025-02-17"])}).set_index("model")
    attach_facts(board, info, n_boot=100)
    html = export(board, tmp_path, ["html"])["html"]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    img = page.locator("#release-chart img")
    assert img.is_visible()
    assert page.eval_on_selector("#release-chart img", "i => i.complete && i.naturalWidth") > 400
    box = img.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    caption = page.locator("#release-chart figcaption").text_content()
    assert "per year" in caption and "Influential = Cook's distance" in caption
    assert page.locator("#chart svg").is_visible()  # the ranked chart is still there
    assert not errors
