"""End to end through the real ``inspect`` command line, from a directory outside the repo.

The mockllm runs of the CLI (bare and namespaced names, eval-set) are in
``test_inspect_registry.py``.

The ``realmodel`` test serves the embedded Gemma 3 270M GGUF with ``llama_cpp.server`` on
127.0.0.1 and runs the task on it through Inspect's OpenAI-compatible completions provider.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from pinocchio_eval.inspect_task.reader import read_inspect_logs  # noqa: E402

QUESTIONNAIRES = "swls,cmq"  # 5 + 5 items; CMQ's 0..10 scale exercises two-digit answers
INSPECT = shutil.which("inspect", path=str(Path(sys.executable).parent)) or "inspect"


def _metrics(log) -> dict[str, float]:
    return {k: m.value for k, m in log.results.scores[0].metrics.items()}


@pytest.fixture
def gemma_llama_server():
    """The embedded Gemma GGUF served by llama_cpp.server on a free loopback port."""
    pytest.importorskip("llama_cpp")
    from pinocchio_eval.local_server import LocalModelServer

    server = LocalModelServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    assert server.proc is not None and server.proc.poll() is not None


@pytest.mark.realmodel
def test_real_model_through_inspect_cli(gemma_llama_server, tmp_path):
    server = gemma_llama_server
    env = {**os.environ, "LLAMACPP_BASE_URL": server.base_url, "LLAMACPP_API_KEY": "local"}
    cmd = [INSPECT, "eval", "pinocchio_eval/pinocchio",
           "--model", f"openai-api-completions/llamacpp/{server.model_name}",
           "-T", f"questionnaires={QUESTIONNAIRES}", "-T", "conditions=neutral,human_simulation",
           "-T", "max_tokens=5", "--max-connections", "1", "--log-dir", str(tmp_path / "logs"),
           "--display", "plain"]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=1200,
                          env=env)
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    from inspect_ai.log import list_eval_logs, read_eval_log

    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0])
    assert log.status == "success"
    assert all("pinocchio_scorer" in (s.scores or {}) for s in log.samples)
    m = _metrics(log)
    assert math.isfinite(m["pi_self"])
    assert 0 <= m["parse_rate"] <= 1 and 0 <= m["refusal_rate"] <= 1

    df = read_inspect_logs(tmp_path / "logs")
    assert len(df) == 2 * 10 == len(log.samples)
    assert set(df["condition"]) == {"neutral", "human_simulation"}
    assert df.groupby(["questionnaire", "condition"]).size().eq(5).all()
    counts = df["status"].value_counts().to_dict()
    assert sum(counts.values()) == 20
    assert df["response"].notna().sum() == counts.get("ok", 0)
    print(f"\n[e2e] {len(df)} samples in {seconds:.1f} s via inspect CLI; statuses {counts}; "
          f"parse_rate {m['parse_rate']:.3f} refusal_rate {m['refusal_rate']:.3f} "
          f"pi_self {m['pi_self']:.3f}")


@pytest.mark.realmodel
def test_real_model_probability_reading_by_provider_name(tmp_path):
    """Inspect finds the package's in-process provider by its name (as ``--model`` does)."""
    pytest.importorskip("llama_cpp")
    from inspect_ai import eval as inspect_eval

    from pinocchio_eval.inspect_task.task import pinocchio

    log = inspect_eval(pinocchio(questionnaires="swls", conditions="neutral,human_simulation",
                                 reading="probabilities"),
                       model="llama-cpp-local/gemma-3-270m", max_samples=1,
                       log_dir=str(tmp_path / "logs"), display="none")[0]
    assert log.status == "success", log.error
    df = read_inspect_logs(tmp_path / "logs")
    assert len(df) == 10 and set(df["status"]) == {"probability"}
    assert df["response"].between(1, 7).all() and df["choice_mass"].between(0, 1).all()
    assert (df["response"] % 1 != 0).any()  # expected ratings, not parsed integers
