"""Small hand-made inputs for the leaderboard tests (no harness run, no model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from pinocchio_eval.leaderboard.model import Leaderboard, finish_table
from pinocchio_eval.leaderboard.scores import METHODS


def small_board(n: int = 5) -> Leaderboard:
    """A board with intervals, two methods, stats and one benchmark column."""
    models = ["openai/gpt-4o", "anthropic/claude-3.5-haiku", "google/gemma-3-27b-it",
              "meta-llama/llama-3.1-70b-instruct", "mistralai/mistral-large-2512",
              "qwen/qwen3-32b", "x-ai/grok-3"][:n]
    pi = np.linspace(0.6, -0.4, n)
    table = pd.DataFrame({
        "model": models, "pi_panel": pi, "pi_panel_lo": pi - 0.1, "pi_panel_hi": pi + 0.1,
        "pi_self": -pi / 2, "items_answered": 1300, "parse_rate": 0.98,
        "refusal_rate": 0.01, "conditions": "human_simulation,llm_analog,neutral",
        "harness": "inspect", "run_date": "2026-11-26",
        "mmlu:accuracy": np.linspace(0.5, 0.9, n)})
    board = Leaderboard(table=finish_table(table, METHODS["panel"]), title="Test board",
                        methods=[METHODS["panel"], METHODS["self"]],
                        benchmarks=["mmlu:accuracy"], notes=["a test note"],
                        provenance={"generator": "tests"})
    return board


def write_inspect_log(path: Path, model: str, task: str = "mmlu_0_shot",
                      value: float = 0.7) -> Path:
    """An Inspect log of another task with one scorer (written by inspect_ai itself)."""
    from inspect_ai.log import (
        EvalConfig,
        EvalDataset,
        EvalLog,
        EvalMetric,
        EvalResults,
        EvalScore,
        EvalSpec,
        write_eval_log,
    )

    log = EvalLog(
        eval=EvalSpec(created="2026-11-26T10:00:00+00:00", task=task, dataset=EvalDataset(),
                      model=model, config=EvalConfig()),
        results=EvalResults(total_samples=10, completed_samples=10, scores=[
            EvalScore(name="choice", scorer="choice", metrics={
                "accuracy": EvalMetric(name="accuracy", value=value),
                "stderr": EvalMetric(name="stderr", value=0.05)})]))
    write_eval_log(log, str(path))
    return path


def write_lmeval_results(folder: Path, model_name: str, hellaswag: float = 0.41) -> Path:
    """An lm-eval results file as ``lm_eval --tasks pinocchio,hellaswag,mmlu`` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "results": {
            "pinocchio": {"alias": "pinocchio"},
            "pinocchio_neutral": {"alias": " - neutral", "acc,none": 0.3},
            "hellaswag": {"alias": "hellaswag", "acc,none": hellaswag,
                          "acc_stderr,none": 0.01, "acc_norm,none": hellaswag + 0.1,
                          "acc_norm_stderr,none": 0.01},
            "mmlu": {"alias": "mmlu", "acc,none": 0.55, "acc_stderr,none": 0.01},
            "mmlu_anatomy": {"alias": " - anatomy", "acc,none": 0.5},
        },
        "group_subtasks": {"pinocchio": ["pinocchio_neutral"], "mmlu": ["mmlu_anatomy"],
                           "hellaswag": []},
        "config": {"model": "gguf", "model_args": "base_url=http://127.0.0.1:8000"},
        "model_name": model_name, "date": 1795687200.0,
    }
    path = folder / "results_2026-11-26T10-00-00.000000.json"
    path.write_text(json.dumps(doc))
    return path


def small_panel(n_models: int = 6, n_questionnaires: int = 5, seed: int = 3) -> pd.DataFrame:
    """A synthetic response table on real battery questionnaires (so the default catalog
    applies) but only a few of them, to keep scoring fast."""
    from pinocchio_eval.scoring.synthetic import battery_spec, make_panel

    spec, _ = battery_spec()
    spec = [s for s in spec if s[1] >= 8][:n_questionnaires]
    table = make_panel(n_models=n_models, spec=spec, seed=seed).table
    table["status"] = "ok"
    table["harness"] = "inspect"
    table["run_started"] = "2026-11-26T10:00:00+00:00"
    return table
