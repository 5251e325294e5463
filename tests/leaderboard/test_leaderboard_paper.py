"""The paper's reference leaderboard: parsing, the scale caveat, the committed files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _reference import WHERE, reference_dir
from pinocchio_eval.leaderboard.paper import SCALE_NOTE, paper_leaderboard, parse_log

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (reference_dir() or ROOT / "no-reference") / "pinocchio_llm_analog_log.txt"
COMMITTED = ROOT / "leaderboards" / "paper"

SAMPLE = """Spearman rho (neutral rank vs llm_analog rank) = 0.482, p = 0.0003977

 Rank (analog)   Rank (neutral)  Model                 Analog   Neutral
---------------------------------------------------------------------
             1               2  google/gemini-2.5-pro  +0.827    +0.026
             2               1  cohere/command-r7b     -0.593    +0.415
"""


def test_parse_log_rows_and_correlation():
    table, note = parse_log(SAMPLE)
    assert list(table["model"]) == ["google/gemini-2.5-pro", "cohere/command-r7b"]
    assert list(table["rank"]) == [2, 1] and list(table["pi_llm_analog"]) == [0.827, -0.593]
    assert "0.482" in note


def test_parse_log_rejects_other_text():
    with pytest.raises(ValueError, match="no leaderboard rows"):
        parse_log("nothing here")


def test_committed_paper_board_has_50_models_and_the_caveat():
    t = pd.read_csv(COMMITTED / "leaderboard.csv")
    assert len(t) == 50 and sorted(t["rank"]) == list(range(1, 51))
    assert t.loc[t["rank"] == 1, "model"].item() == "mistralai/mistral-large-2512"
    for name in ("leaderboard.md", "leaderboard.html", "leaderboard.json"):
        assert "NOT on the same scale" in (COMMITTED / name).read_text()
    assert (COMMITTED / "leaderboard.png").exists()


@pytest.mark.skipif(not SOURCE.exists(), reason=f"the authors' log is not available ({WHERE})")
def test_committed_paper_board_matches_its_source():
    board = paper_leaderboard(SOURCE)
    assert SCALE_NOTE in board.notes
    fresh = board.ordered()
    committed = pd.read_csv(COMMITTED / "leaderboard.csv")
    pd.testing.assert_frame_equal(
        fresh[["rank", "model", "pi_panel", "pi_llm_analog", "rank_llm_analog"]].astype(
            {"rank": int}),
        committed[["rank", "model", "pi_panel", "pi_llm_analog", "rank_llm_analog"]],
        check_dtype=False)
