"""The committed measured board (leaderboards/gemma) is complete and self-consistent."""

from __future__ import annotations

import json

import pandas as pd

from pinocchio_eval._resources import leaderboards_dir

INSPECT_PROBABILITIES = "llama-cpp-local/gemma-3-270m"
INSPECT_TEXT = "openai-api-completions/llamacpp/gemma-3-270m"
LMEVAL_TEXT, LMEVAL_LL = "gemma-3-270m", "gemma-3-270m (log-likelihood)"


def _board() -> dict:
    return json.loads((leaderboards_dir() / "gemma" / "leaderboard.json").read_text())


def test_gemma_board_has_the_four_measurements():
    folder = leaderboards_dir() / "gemma"
    for ext in ("csv", "json", "md", "html", "png"):
        assert (folder / f"leaderboard.{ext}").stat().st_size > 0
    board = _board()
    rows = {r["model"]: r for r in board["rows"]}
    assert set(rows) == {INSPECT_PROBABILITIES, INSPECT_TEXT, LMEVAL_TEXT, LMEVAL_LL}
    table = pd.read_csv(folder / "leaderboard.csv")
    assert list(table["model"]) == [r["model"] for r in board["rows"]]
    assert board["provenance"]["command"].startswith("pinocchio-eval leaderboard build")


def test_probability_readings_rate_every_prompt():
    rows = {r["model"]: r for r in _board()["rows"]}
    assert rows[LMEVAL_LL]["parse_rate"] == 1.0
    # the main job's reading: the full analysed battery, Π_self on more than 1,200 items
    probs = rows[INSPECT_PROBABILITIES]
    assert probs["parse_rate"] >= 0.99
    assert probs["n_items_self"] > 1200
    assert probs["pi_self_lo"] <= probs["pi_self"] <= probs["pi_self_hi"]
    # the generated-text reading of the same model rests on far fewer items
    assert rows[INSPECT_TEXT]["n_items_self"] < probs["n_items_self"]
    assert rows[INSPECT_TEXT]["parse_rate"] < 0.5
