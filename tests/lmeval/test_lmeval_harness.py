"""lm-eval finds the tasks through the include path and runs the groups with its dummy model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pinocchio_eval.commands.lmeval import register
from pinocchio_eval.lmeval import GROUPS, lm_eval_path, task_manager, task_names
from pinocchio_eval.lmeval.reader import read_lm_eval, read_lm_eval_metrics

pytest.importorskip("lm_eval")
LM_EVAL = Path(sys.executable).with_name("lm_eval")


def test_cli_prints_the_include_path():
    group = click.Group()
    register(group)
    out = CliRunner().invoke(group, ["lm-eval-path"])
    assert out.exit_code == 0
    assert Path(out.output.strip()) == lm_eval_path()
    assert (lm_eval_path() / "pinocchio.yaml").is_file()


def test_task_manager_knows_groups_and_subtasks():
    tm = task_manager(include_defaults=False)
    for group in GROUPS:
        assert group in tm.all_groups
        assert set(task_names(group)) <= set(tm.all_subtasks)


def test_task_manager_selects_one_questionnaire():
    tm = task_manager(questionnaires="swls", include_defaults=False)
    task = tm.load(["pinocchio_mc_neutral"])["tasks"]["pinocchio_mc_neutral"]
    docs = list(task.test_docs())
    assert {d["questionnaire"] for d in docs} == {"The Satisfaction with Life Scale"}
    assert len(docs) == 5


def test_groups_run_with_the_dummy_model_from_any_directory(tmp_path):
    out = tmp_path / "out"
    cmd = [str(LM_EVAL), "--model", "dummy", "--tasks", ",".join(GROUPS), "--limit", "3",
           "--include_path", str(lm_eval_path()), "--output_path", str(out), "--log_samples"]
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    (results_file,) = out.rglob("results_*.json")
    results = json.loads(results_file.read_text())
    for group in GROUPS:
        assert results["group_subtasks"][group] == task_names(group)
        assert "pi_self,none" in results["groups"][group]
    # the expected rating normalised to the scale: 0 = its lowest value, 1 = its highest
    assert 0 <= results["results"]["pinocchio_mc_neutral"]["rating_norm,none"] <= 1
    df = read_lm_eval(out, model="dummy")
    # 3 docs per condition subtask; the Π_self subtask's 3 docs (item 0 in both conditions,
    # item 1 neutral) repeat items the condition subtasks hold, so the reader drops them
    assert len(df[df["variant"] == "generative"]) == 3 * 3
    assert (df.loc[df["variant"] == "generative", "status"] == "unparseable").all()
    assert not read_lm_eval_metrics(out).empty
    # uncertainty: our clustered / bootstrap estimates replace lm-eval's in the stderr slots
    mc = results["results"]["pinocchio_mc_pi_self"]
    for key in ("pi_self,none", "pi_self_lo,none", "pi_self_hi,none", "pi_self_stderr,none"):
        assert isinstance(mc[key], float), key
    assert mc["pi_self_lo,none"] <= mc["pi_self,none"] <= mc["pi_self_hi,none"]
    assert isinstance(results["results"]["pinocchio_mc_neutral"]["rating_norm_stderr,none"],
                      float)
    assert isinstance(results["results"]["pinocchio_neutral"]["parse_rate_stderr,none"], float)
    # version and battery fingerprint in every task's config
    from pinocchio_eval.task_version import (
        RELEASED_FINGERPRINT,
        TASK_VERSION,
        comparability_version,
    )

    for name in task_names("pinocchio") + task_names("pinocchio_mc"):
        meta = results["configs"][name]["metadata"]
        assert meta["task_version"] == TASK_VERSION, name
        assert meta["battery_fingerprint"] == RELEASED_FINGERPRINT, name
        assert float(results["versions"][name]) == comparability_version()
