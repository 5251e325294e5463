"""``pinocchio-eval run-local`` plumbing on Inspect's mock model (no llama.cpp needed).

The command's model is swapped for a mockllm whose answer-position log-probabilities depend on
the condition, so Π_self, its interval, the item count and the mean on-scale mass it prints
can be checked against the log it wrote and against the scoring engine.
"""

from __future__ import annotations

import math
import re

import pytest

pytest.importorskip("inspect_ai")

from click.testing import CliRunner  # noqa: E402
from inspect_ai.model import Logprob, Logprobs, TopLogprob  # noqa: E402

from _inspect_mock import condition_of, mock_model  # noqa: E402
from pinocchio_eval.cli import cli  # noqa: E402
from pinocchio_eval.commands import run as run_module  # noqa: E402
from pinocchio_eval.inspect_task.reader import read_inspect_logs  # noqa: E402
from pinocchio_eval.scoring.selfanchored import pi_self  # noqa: E402

# neutral leans to 1, human_simulation to 2; 0.2 of the mass off the scale
DIST = {"neutral": {"1": 0.6, "2": 0.2, "Hm": 0.2}, "human_simulation": {"1": 0.2, "2": 0.6,
                                                                         "Hm": 0.2}}


def _attach(prompts: list[str]):
    def attach(out):
        alts = DIST[condition_of(prompts[-1])]
        out.choices[0].logprobs = Logprobs(content=[Logprob(
            token="1", logprob=math.log(alts["1"]),
            top_logprobs=[TopLogprob(token=t, logprob=math.log(p)) for t, p in alts.items()])])
    return attach


@pytest.fixture
def mocked(monkeypatch):
    """run-local with its model replaced by the mock; returns the prompts it was sent."""
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "1"

    model = mock_model(answer, _attach(prompts))
    monkeypatch.setattr(run_module, "local_model_spec", lambda name: model)
    return prompts


def test_run_local_reads_probabilities_and_prints_the_pi_line(mocked, tmp_path):
    out = tmp_path / "logs"
    result = CliRunner().invoke(cli, ["run-local", "-q", "swls,rses", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # the table the command wrote: every prompt rated from probabilities, once
    df = read_inspect_logs(out)
    assert len(df) == 2 * (5 + 10) == len(mocked)
    assert set(df["status"]) == {"probability"}
    assert not df.duplicated(["condition", "questionnaire", "item_index"]).any()
    assert df["choice_mass"].to_numpy() == pytest.approx([0.8] * len(df))
    neutral = df.loc[df["condition"] == "neutral", "response"]
    assert neutral.to_numpy() == pytest.approx([(1 * 0.6 + 2 * 0.2) / 0.8] * len(neutral))
    # the Π line agrees with the scoring engine on the same table
    expected = pi_self(df).iloc[0]
    summary = result.output.split("[run-local] 30 samples in", 1)[1]  # after Inspect's display
    line = next(ln for ln in summary.splitlines() if ln.strip().startswith("pi_self"))
    m = re.search(r"pi_self\s+(-?[\d.]+)\s+\(95 % interval (-?[\d.]+) … (-?[\d.]+), "
                  r"questionnaire bootstrap; (\d+) items\)", line)
    assert m, line
    assert float(m.group(1)) == pytest.approx(expected["pi_self"], abs=5e-4)
    assert int(m.group(4)) == expected["n_items_self"] > 0
    assert float(m.group(2)) <= float(m.group(1)) <= float(m.group(3))
    assert re.search(r"rated\s+1\.000", summary)
    assert re.search(r"scale_mass\s+0\.800", summary)
    assert "{'probability': 30}" in summary


def test_run_local_text_reading_goes_through_the_server(monkeypatch, tmp_path):
    """--reading text starts the loopback server and parses generated answers."""
    started: list[bool] = []

    class FakeServer:
        base_url, model_name, log_file = "http://127.0.0.1:9/v1", "gemma-3-270m", "x.log"

        def __init__(self, logits_all: bool = False):
            self.logits_all = logits_all

        def __enter__(self):
            started.append(True)
            return self

        def __exit__(self, *exc):
            started.append(False)

    import pinocchio_eval.local_server as local_server

    monkeypatch.setattr(local_server, "LocalModelServer", FakeServer)
    monkeypatch.setattr(run_module, "model_spec",
                        lambda api, name: mock_model(lambda p: "4" if "typical" in p else "2"))
    monkeypatch.setattr(run_module, "local_model_spec", lambda name: pytest.fail("in-process"))
    out = tmp_path / "logs"
    result = CliRunner().invoke(cli, ["run-local", "-q", "swls", "--reading", "text",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert started == [True, False]  # the server was stopped
    df = read_inspect_logs(out)
    assert set(df["status"]) == {"ok"} and len(df) == 10
    assert set(df.loc[df["condition"] == "neutral", "response"]) == {2.0}
    assert "scale_mass" not in result.output.split("[run-local] 10 samples in", 1)[1]


def test_run_local_help_explains_the_readings():
    result = CliRunner().invoke(cli, ["run-local", "--help"])
    assert result.exit_code == 0
    assert "--reading [probabilities|text]" in result.output
    assert "default: probabilities" in result.output


def test_run_local_runs_one_sample_at_a_time_without_live_metrics(mocked, tmp_path):
    """The in-process run's Inspect options, as its log records them: one sample at a time
    (prompt order, hence the KV cache and the numbers, fixed), no live metric recomputation,
    no realtime buffer; the final metrics are still in the log."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    out = tmp_path / "logs"
    result = CliRunner().invoke(cli, ["run-local", "-q", "swls", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (info,) = list_eval_logs(str(out))
    log = read_eval_log(info, header_only=True)
    assert log.eval.config.max_samples == 1
    assert log.eval.config.score_display is False
    assert log.eval.config.log_realtime is False
    assert log.results is not None
    assert log.results.scores[0].metrics["parse_rate"].value == 1.0


def test_full_collections_are_deferred_during_the_run_and_restored_after(monkeypatch):
    """Inside the in-process run the collector keeps its young generations but no automatic
    full pass (third threshold out of reach); afterwards the user's thresholds are back and
    one full collection has run, even when the run raised."""
    import gc

    before = gc.get_threshold()
    full_passes: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full_passes.append(1)

    gc.callbacks.append(count)
    try:
        with pytest.raises(RuntimeError), run_module.full_collections_deferred():
            inside = gc.get_threshold()
            raise RuntimeError("the run failed")
    finally:
        gc.callbacks.remove(count)
    assert inside[:2] == before[:2] and inside[2] >= 1 << 30
    assert gc.get_threshold() == before
    assert full_passes == [1]
