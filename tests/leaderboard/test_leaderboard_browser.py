"""Open leaderboard.html in headless Chromium: rows, chart and column sorting must work.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` Python
package; Playwright drives the system browser, so no browser download is involved (the
``page`` fixture is in this folder's conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard_fixtures import small_board
from pinocchio_eval.leaderboard import export

pytestmark = pytest.mark.browser


def _column(page, name: str) -> list[str]:
    idx = page.eval_on_selector_all(
        "#leaderboard thead th", f"hs => hs.findIndex(h => h.dataset.col === '{name}')")
    assert idx >= 0, name
    return page.eval_on_selector_all(
        "#leaderboard tbody tr", f"rs => rs.map(r => r.cells[{idx}].textContent)")


def test_leaderboard_page_renders_and_sorts(page, tmp_path: Path):
    board = small_board(7)
    html = export(board, tmp_path, ["html"])["html"]
    page.goto(html.as_uri())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    assert page.locator("#leaderboard tbody tr").count() == 7
    chart = page.locator("#chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert page.locator("#chart circle.pi-point").count() == 7
    assert page.locator("#chart line.pi-interval").count() == 7

    models = _column(page, "model")
    assert _column(page, "rank") == [str(i) for i in range(1, 8)]
    page.click("#leaderboard th[data-col=model]")
    assert _column(page, "model") == sorted(models)
    assert page.get_attribute("#leaderboard th[data-col=model]", "aria-sort") == "ascending"
    page.click("#leaderboard th[data-col=model]")
    assert _column(page, "model") == sorted(models, reverse=True)
    # numeric sort: the benchmark rises as Π falls, so ascending MMLU = rank order
    page.click("#leaderboard th[data-col='mmlu:accuracy']")
    assert _column(page, "rank") == [str(i) for i in range(1, 8)]
    page.click("#leaderboard th[data-col=pi_panel]")  # ascending Π: worst first
    assert _column(page, "rank") == [str(i) for i in range(7, 0, -1)]
    page.click("#leaderboard th[data-col=pi_panel]")
    assert _column(page, "rank") == [str(i) for i in range(1, 8)]
    assert not errors

    page.eval_on_selector(".scroll", "e => { e.scrollLeft = 0; }")  # clicks scrolled it
    shot = tmp_path / "leaderboard.png.screenshot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
