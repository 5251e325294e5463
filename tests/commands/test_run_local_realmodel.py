"""The main job's path on the real embedded model: ``pinocchio-eval run-local`` end to end.

Runs the command (a subprocess, as a user would) on two small questionnaires, one of them on a
0..10 scale so that "10" (two tokens for Gemma) goes through the continuation reading, then
checks the table it wrote, the Π line it printed, and that a second run gives the same
ratings to the last digit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")
pytest.importorskip("llama_cpp")

from pinocchio_eval.inspect_task.reader import read_inspect_logs  # noqa: E402
from pinocchio_eval.scoring.engine import score_table  # noqa: E402

pytestmark = pytest.mark.realmodel
QUESTIONNAIRES = "swls,cmq"  # 5 + 5 items; CMQ is rated 0..10
CLI = shutil.which("pinocchio-eval", path=str(Path(sys.executable).parent)) or "pinocchio-eval"
PI_LINE = re.compile(r"pi_self\s+(-?[\d.]+)\s+\(95 % interval (-?[\d.]+) … (-?[\d.]+), "
                     r"questionnaire bootstrap; (\d+) items\)")


def _run(out: Path) -> str:
    done = subprocess.run([CLI, "run-local", "-q", QUESTIONNAIRES, "--out", str(out)],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout.split("[run-local] 20 samples in", 1)[1]


def test_run_local_rates_every_prompt_from_probabilities_and_reruns_identically(tmp_path):
    summary = _run(tmp_path / "a")
    df = read_inspect_logs(tmp_path / "a")
    assert len(df) == 20 and not df.duplicated(["condition", "questionnaire", "item_index"]).any()
    rated = df["status"].eq("probability") & df["response"].notna()
    assert rated.mean() >= 0.99, df["status"].value_counts()
    assert df["model"].unique().tolist() == ["llama-cpp-local/gemma-3-270m"]
    lo = df["questionnaire"].map({"The Satisfaction with Life Scale": 1,
                                  "CMQ Conspiracy mentality": 0})
    hi = df["questionnaire"].map({"The Satisfaction with Life Scale": 7,
                                  "CMQ Conspiracy mentality": 10})
    assert ((df["response"] >= lo) & (df["response"] <= hi)).all()
    assert ((df["choice_mass"] > 0) & (df["choice_mass"] <= 1)).all()
    assert df["response"].nunique() > 1  # a real distribution, not a constant
    # the printed Π line is the engine's Π_self on that table, with its interval
    m = PI_LINE.search(summary)
    assert m, summary
    scored = score_table(df, methods=("self",), bootstrap=1000, seed=0).scores.iloc[0]
    assert float(m.group(1)) == pytest.approx(scored["pi_self"], abs=5e-4)
    assert float(m.group(2)) == pytest.approx(scored["pi_self_lo"], abs=5e-4)
    assert float(m.group(3)) == pytest.approx(scored["pi_self_hi"], abs=5e-4)
    assert int(m.group(4)) == scored["n_items_self"] > 0
    mass = re.search(r"scale_mass\s+([\d.]+)", summary)
    assert mass and float(mass.group(1)) == pytest.approx(df["choice_mass"].mean(), abs=5e-4)
    # a rerun reads the same probabilities: identical ratings
    _run(tmp_path / "b")
    again = read_inspect_logs(tmp_path / "b")
    key = ["condition", "questionnaire", "item_index"]
    first, second = df.set_index(key)["response"], again.set_index(key)["response"]
    assert second.loc[first.index].tolist() == first.tolist()
