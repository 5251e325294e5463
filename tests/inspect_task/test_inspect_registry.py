"""`inspect eval pinocchio` through the real CLI, and the Inspect internals that make it work.

If an Inspect upgrade breaks one of these, the bare alias or the start-of-run check in
``pinocchio_eval/inspect_task/_registry.py`` needs a look (and the pin in pyproject.toml).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import list_eval_logs, read_eval_log  # noqa: E402

from pinocchio_eval.inspect_task._registry import missing_for_pi_self  # noqa: E402
from pinocchio_eval.inspect_task.reader import read_inspect_logs  # noqa: E402
from pinocchio_eval.task_version import (  # noqa: E402
    TASK_VERSION,
    battery_fingerprint,
    comparability_version,
)

TESTED_INSPECT = "0.3.285"
# mockllm counts tokens with tiktoken's o200k_base, which it downloads on first use; offline
# machines cannot, so only that estimate is replaced (as in test_inspect_e2e.py).
OFFLINE_INSPECT = """
import sys
try:
    import tiktoken; tiktoken.get_encoding("o200k_base")
except Exception:
    import inspect_ai.model._model as m
    m.count_text_tokens = lambda text: max(1, len(text) // 4)
from inspect_ai._cli.main import main
sys.argv[0] = "inspect"
main()
"""
OTHER_TASK = """
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import match

@task
def other():
    return Task(dataset=[Sample(input="Say 1", target="1")], scorer=match())
"""


def _inspect(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The real ``inspect`` CLI in a subprocess (it inherits PYTHONPATH, so this checkout)."""
    return subprocess.run([sys.executable, "-c", OFFLINE_INSPECT, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_installed_inspect_is_in_the_tested_range():
    major, minor, patch = (int(x) for x in version("inspect-ai").split(".")[:3])
    assert (major, minor) == (0, 3) and patch >= int(TESTED_INSPECT.split(".")[2]), (
        f"inspect-ai {version('inspect-ai')} is outside the tested range; rerun this file "
        "and update the pin in pyproject.toml")


def test_internals_the_alias_relies_on(tmp_path):
    """Inspect's start-up (run by eval and eval-set before the task lookup) imports every
    entry point, ours included; then the private registry API resolves both names."""
    probe = (
        "from inspect_ai._util.registry import registry_has\n"
        "assert not registry_has('task', 'pinocchio')\n"
        "from inspect_ai.hooks._startup import init_hooks\n"
        "init_hooks()\n"
        "from inspect_ai._eval.loader import load_task_spec\n"
        "for name in ('pinocchio', 'pinocchio_eval/pinocchio'):\n"
        "    (t,) = load_task_spec(name, {'questionnaires': 'swls', 'conditions': 'neutral'})\n"
        "    print(name, t.version, len(t.dataset))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    v = comparability_version()
    lines = done.stdout.splitlines()  # init_hooks also prints Inspect's banner
    assert f"pinocchio {v} 5" in lines and f"pinocchio_eval/pinocchio {v} 5" in lines


@pytest.mark.parametrize("name", ["pinocchio", "pinocchio_eval/pinocchio"])
def test_cli_runs_the_task_from_an_empty_folder(name, tmp_path):
    done = _inspect(["eval", name, "--model", "mockllm/model", "--limit", "4",
                     "--log-dir", "logs", "--display", "plain"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0])
    assert log.status == "success" and len(log.samples) == 4
    assert log.eval.task_version == comparability_version() >= 1
    assert log.eval.metadata["task_version"] == TASK_VERSION
    assert log.eval.metadata["battery_fingerprint"] == battery_fingerprint()
    # the first four samples are all neutral: the run says so before it starts
    said = done.stdout + done.stderr
    assert "pi_self will be NaN" in said and "human_simulation" in said
    metrics = log.results.scores[0].metrics
    assert {"pi_self", "pi_self_lo", "pi_self_hi", "parse_rate_stderr"} <= set(metrics)
    df = read_inspect_logs(tmp_path / "logs")  # and the project's reader takes the log
    assert len(df) == 4 and set(df["status"]) == {"unparseable"}


def test_eval_set_mixes_pinocchio_with_another_task(tmp_path):
    (tmp_path / "other.py").write_text(OTHER_TASK)
    done = _inspect(["eval-set", "pinocchio", "other.py", "--model", "mockllm/model",
                     "--limit", "2", "--log-dir", "logs", "--display", "none",
                     "-T", "conditions=neutral,human_simulation", "-T", "questionnaires=swls"],
                    tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    logs = [read_eval_log(p) for p in list_eval_logs(str(tmp_path / "logs"))]
    assert sorted(lg.eval.task.rsplit("/", 1)[-1] for lg in logs) == ["other", "pinocchio"]
    assert all(lg.status == "success" for lg in logs)


def test_selection_check_names_what_is_missing():
    assert "no human_simulation" in missing_for_pi_self(["swls/1/neutral", "swls/2/neutral"])
    assert "no neutral and no human_simulation" in missing_for_pi_self(["swls/1/llm_analog"])
    assert "both" in missing_for_pi_self(["swls/1/neutral", "swls/2/human_simulation"])
    assert missing_for_pi_self(["swls/1/neutral", "swls/1/human_simulation"]) is None
    paired = ["swls/1/neutral", "swls/1/human_simulation"]
    assert missing_for_pi_self(paired, weighted={("swls", 1)}) is None
    assert "weight" in missing_for_pi_self(paired, weighted={("swls", 2)})


def test_selection_check_knows_plugin_questionnaires_have_no_weights(toy_plugin):
    ids = [f"toy-inner-weather/0/{c}" for c in ("neutral", "human_simulation")]
    assert "weight" in missing_for_pi_self(ids)
