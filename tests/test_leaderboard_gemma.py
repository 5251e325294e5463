"""The committed measured board (leaderboards/gemma) is complete and self-consistent."""

from __future__ import annotations

import json

import pandas as pd

from pinocchio_eval._resources import leaderboards_dir


def test_gemma_board_has_the_three_measurements():
    folder = leaderboards_dir() / "gemma"
    for ext in ("csv", "json", "md", "html", "png"):
        assert (folder / f"leaderboard.{ext}").stat().st_size > 0
    board = json.loads((folder / "leaderboard.json").read_text())
    rows = {r["model"]: r for r in board["rows"]}
    assert set(rows) == {"openai-api-completions/llamacpp/gemma-3-270m", "gemma-3-270m",
                         "gemma-3-270m (log-likelihood)"}
    assert rows["gemma-3-270m (log-likelihood)"]["parse_rate"] == 1.0
    # same prompts, greedy decoding, same parser: the two generative harnesses agree
    inspect_row, lmeval_row = rows["openai-api-completions/llamacpp/gemma-3-270m"], rows[
        "gemma-3-270m"]
    assert inspect_row["parse_rate"] == lmeval_row["parse_rate"]
    table = pd.read_csv(folder / "leaderboard.csv")
    assert list(table["model"]) == [r["model"] for r in board["rows"]]
    assert board["provenance"]["command"].startswith("pinocchio-eval leaderboard build")
