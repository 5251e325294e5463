"""``pinocchio-eval replicate``: the dry run's counts, the options, and real eval-set runs.

The runs use Inspect's ``mockllm`` through the real ``eval_set`` and the real battery task.
mockllm estimates token usage with tiktoken's ``o200k_base`` file, which cannot be downloaded
here; the fixture below replaces only that estimate, nothing in the task or in eval-set.
"""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest

pytest.importorskip("inspect_ai")

from click.testing import CliRunner  # noqa: E402
from inspect_ai.log import list_eval_logs, read_eval_log  # noqa: E402
from inspect_ai.model import ModelOutput, ModelUsage, get_model  # noqa: E402

from pinocchio_eval.battery import get_battery  # noqa: E402
from pinocchio_eval.cli import cli  # noqa: E402
from pinocchio_eval.commands import replicate as rep  # noqa: E402
from pinocchio_eval.conditions import render_prompt  # noqa: E402
from pinocchio_eval.paper_reference import paper_board, paper_model_ids  # noqa: E402

CONDITIONS = ("neutral", "llm_analog", "human_simulation")


@pytest.fixture
def offline_tokens(monkeypatch):
    """mockllm's token estimate without tiktoken's download (the only thing stubbed)."""
    import inspect_ai.model._model as model_module

    monkeypatch.setattr(model_module, "count_text_tokens", lambda text: max(1, len(text) // 4))


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["replicate", *args], catch_exceptions=False)


def _logs(log_dir) -> dict[str, object]:
    """model -> the full log (there must be exactly one per model)."""
    logs = [read_eval_log(f) for f in list_eval_logs(str(log_dir))]
    by_model = {log.eval.model: log for log in logs}
    assert len(by_model) == len(logs), "more than one log for a model"
    return by_model


# ------------------------------------------------------------------------------ dry run

def test_dry_run_paper_counts_match_the_battery():
    res = _invoke("--dry-run", "--format", "json")
    assert res.exit_code == 0, res.output
    plan = json.loads(res.output)
    assert [m["model"] for m in plan["models"]] == [f"openrouter/{m}" for m in paper_model_ids()]
    assert plan["n_models"] == 50 and plan["conditions"] == list(CONDITIONS)

    # independently: every active item of the analysed battery, rendered in each condition
    battery = get_battery()
    items = [i for inst in battery.instruments() for i in battery.items(inst.name) if i.active]
    listed = json.loads(CliRunner().invoke(cli, ["battery", "list", "--format", "json"]).output)
    assert len(items) == sum(q["n_active_items"] for q in listed) == plan["items"]
    assert plan["questionnaires"] == 45  # the paper's count: MFQ's two parts are one
    prompts = 3 * len(items)
    tokens = sum(math.ceil(len(render_prompt(i, c)) / 4) for i in items for c in CONDITIONS)
    for row in plan["models"]:
        assert row["prompts"] == prompts
        assert row["input_tokens"] == tokens
        assert (row["output_tokens_min"], row["output_tokens_max"]) == (prompts, prompts * 256)
    assert plan["total"]["prompts"] == 50 * prompts
    assert plan["total"]["input_tokens"] == 50 * tokens


def test_dry_run_text_lists_every_model_with_counts():
    res = _invoke("--dry-run")
    assert res.exit_code == 0, res.output
    plan = rep.plan_study(["x"], None, None, "corrected", 256, 1)
    n = plan.prompts_per_model
    rows = [ln for ln in res.output.splitlines() if ln.startswith("openrouter/")]
    assert len(rows) == 50
    for line, model in zip(rows, paper_model_ids(), strict=True):
        assert line.split() == [f"openrouter/{model}", f"{n:,}",
                                f"{plan.input_tokens_per_model:,}", f"{n:,}-{256 * n:,}"]
    assert f"{50 * n:,} in total" in res.output
    assert "nothing was called" in res.output
    assert "At once: 50 model(s)" in res.output
    capped = _invoke("--dry-run", "--max-tasks", "10", "--max-connections", "2")
    assert "At once: 10 model(s) (--max-tasks) × 2 requests each" in capped.output


def test_dry_run_at_the_papers_scale_repeats_and_limit():
    """Source texts of every questionnaire (superseded included) are what the authors sent."""
    battery = get_battery()
    every = [i for inst in battery.instruments(include_superseded=True)
             for i in battery.items(inst.name, mode="source") if i.active]
    plan = rep.plan_study(["m"], None, "all", "source", 100, 2)
    assert plan.items == len(every) and plan.prompts_per_model == 2 * 3 * len(every)
    assert plan.output_tokens_per_model == (plan.prompts_per_model, 100 * plan.prompts_per_model)
    limited = rep.plan_study(["m"], "neutral", "swls", "corrected", 256, 1, {"limit": 3})
    assert limited.prompts_per_model == 3


# ----------------------------------------------------------------- models and options

def test_model_files_json_and_lines(tmp_path):
    js = tmp_path / "models.json"
    js.write_text(json.dumps(["openai/gpt-4o", "x-ai/grok-3"]))
    lines = tmp_path / "models.txt"
    lines.write_text("# my panel\nopenai/gpt-4o\n\nx-ai/grok-3   # second\n")
    assert rep.read_model_file(js) == rep.read_model_file(lines) == ["openai/gpt-4o",
                                                                      "x-ai/grok-3"]
    dup = tmp_path / "dup.txt"
    dup.write_text("a\nb\na\n")
    with pytest.raises(rep.ReplicateError, match=r"'a' is listed twice \(entries 1 and 3\)"):
        rep.read_model_file(dup)
    res = _invoke("--dry-run", "--models", str(tmp_path / "missing.txt"))
    assert res.exit_code != 0 and "no such file" in res.output


def test_provider_prefix_and_shards_cover_each_model_once():
    ids = paper_model_ids()
    assert rep.inspect_model_names(["a/b", "vllm/c"], "vllm") == ["vllm/a/b", "vllm/c"]
    assert rep.inspect_model_names(["a/b"], "none") == ["a/b"]
    shards = [rep.select_shard(ids, f"{k}/4") for k in range(1, 5)]
    assert sorted(sum(shards, [])) == sorted(ids)
    assert [len(s) for s in shards] == [13, 13, 12, 12]
    with pytest.raises(rep.ReplicateError, match="K/N"):
        rep.select_shard(ids, "5/4")


def test_inspect_options_pass_through():
    opts = rep.parse_inspect_options(["--max-connections", "20", "--batch", "--max-tasks=4",
                                      "--no-fail-on-error", "--temperature", "0.5",
                                      "--retry-attempts", "3"])
    assert opts == {"max_connections": 20, "batch": True, "max_tasks": 4,
                    "fail_on_error": False, "temperature": 0.5, "retry_attempts": 3}
    assert rep.parse_inspect_options(["--batch", "500"]) == {"batch": 500}
    with pytest.raises(rep.ReplicateError, match="did you mean --max-connections"):
        rep.parse_inspect_options(["--max-conections", "3"])
    with pytest.raises(rep.ReplicateError, match="use --repeats"):
        rep.parse_inspect_options(["--epochs", "3"])
    with pytest.raises(rep.ReplicateError, match="unexpected argument"):
        rep.parse_inspect_options(["stray"])


def test_missing_api_key_stops_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    res = _invoke("--log-dir", str(tmp_path / "logs"), "-q", "swls")
    assert res.exit_code != 0 and "OPENROUTER_API_KEY is not set" in res.output
    assert not (tmp_path / "logs").exists()


# ------------------------------------------------------------------------ real runs

class FlakyProvider:
    """Answers '3' to every prompt and counts calls per model; can fail model b mid-run."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.fail_b_after: int | None = None

    def model(self, name: str):
        def generate(messages, tools, tool_choice, config):
            self.calls[name] += 1
            if self.fail_b_after is not None and name == "b" \
                    and self.calls[name] > self.fail_b_after:
                raise RuntimeError("provider went away")
            prompt = messages[-1].text
            out = ModelOutput.from_content(model="mockllm", content="3")
            out.usage = ModelUsage(input_tokens=len(prompt) // 4, output_tokens=1,
                                   total_tokens=len(prompt) // 4 + 1)
            return out
        return generate


def test_run_is_interrupted_and_resumed_without_repeating_samples(tmp_path, offline_tokens):
    provider = FlakyProvider()
    gen = {n: provider.model(n) for n in ("a", "b")}

    def models():  # fresh Model objects each run, as a new process would have
        return [get_model(f"mockllm/{n}", custom_outputs=gen[n]) for n in ("a", "b")]

    settings = {"questionnaires": "swls,cmq", "conditions": "neutral,human_simulation",
                "display": "none", "max_samples": 1}
    n = 2 * (5 + 5)  # two conditions × (SWLS 5 + CMQ 5 items)
    provider.fail_b_after = 7
    ok, _ = rep.run_study(models(), tmp_path, retry_attempts=0, **settings)
    assert not ok
    first = _logs(tmp_path)
    assert first["mockllm/a"].status == "success" and len(first["mockllm/a"].samples) == n
    assert first["mockllm/b"].status == "error"
    done_b = {s.uuid for s in first["mockllm/b"].samples if s.error is None}
    assert len(done_b) == 7 and provider.calls == {"a": n, "b": 8}

    provider.fail_b_after, provider.calls = None, Counter()
    ok, _ = rep.run_study(models(), tmp_path, **settings)
    assert ok
    assert provider.calls == {"b": n - 7}  # a untouched; b only its unfinished samples
    second = _logs(tmp_path)
    for name in ("mockllm/a", "mockllm/b"):
        log = second[name]
        ids = [(s.id, s.epoch) for s in log.samples]
        assert log.status == "success" and len(ids) == len(set(ids)) == n
    assert done_b <= {s.uuid for s in second["mockllm/b"].samples}
    assert ([s.uuid for s in second["mockllm/a"].samples]
            == [s.uuid for s in first["mockllm/a"].samples])

    provider.calls = Counter()
    ok, _ = rep.run_study(models(), tmp_path, **settings)
    assert ok and provider.calls == Counter()


def test_cli_run_stopped_early_then_resumed(tmp_path, offline_tokens):
    """The command line: a run cut short (--limit) finishes later from the same log folder."""
    models = tmp_path / "models.txt"
    models.write_text("a\nb\n")
    log_dir = tmp_path / "logs"
    base = ["--models", str(models), "--provider", "mockllm", "-q", "swls,cmq",
            "--conditions", "neutral,human_simulation", "--log-dir", str(log_dir),
            "--display", "none"]
    res = _invoke(*base, "--limit", "4")
    assert res.exit_code == 0, res.output
    assert "mockllm/a: success, 4/4 samples" in res.output
    early = {m: {s.id: s.uuid for s in log.samples} for m, log in _logs(log_dir).items()}
    assert sorted(early) == ["mockllm/a", "mockllm/b"]

    res = _invoke(*base)
    assert res.exit_code == 0, res.output
    assert "mockllm/b: success, 20/20 samples" in res.output
    full = _logs(log_dir)
    for model, log in full.items():
        uuids = {s.id: s.uuid for s in log.samples}
        assert len(uuids) == len(log.samples) == 20
        assert all(uuids[i] == u for i, u in early[model].items())  # reused, not re-asked
    files = sorted(f.name for f in list_eval_logs(str(log_dir)))

    res = _invoke(*base)  # everything complete: nothing runs, nothing is rewritten
    assert res.exit_code == 0, res.output
    assert sorted(f.name for f in list_eval_logs(str(log_dir))) == files

    models.write_text("a\n")  # a shorter list: b's log is now foreign to the eval-set
    res = CliRunner().invoke(cli, ["replicate", *base])
    assert res.exit_code == 1 and "--log-dir-allow-dirty" in res.output
    assert "[bold]" not in res.output and "Traceback" not in res.output
    res = _invoke(*base, "--log-dir-allow-dirty")
    assert res.exit_code == 0 and "mockllm/a: success, 20/20 samples" in res.output


def test_study_end_to_end_run_then_compare_with_the_paper(tmp_path, offline_tokens):
    """Run six of the paper's models (mock answers that follow the paper's Π), then compare.

    Answering as themselves, the models shift every answer by their paper Π; answering as a
    typical human they all give about the same answer. The report must match all six models
    through the routing prefix and find the paper's order.
    """
    from _inspect_mock import condition_of

    board = paper_board().set_index("model")
    ids = ["openai/gpt-4o", "x-ai/grok-3", "google/gemini-2.5-pro", "qwen/qwen3-32b",
           "mistralai/mistral-large-2512", "nvidia/nemotron-3-super-120b-a12b"]
    pi = board.loc[ids, "pi_panel"]
    shift = (pi - pi.mean()) / pi.std()

    def answer_for(paper_id: str):
        def generate(messages, tools, tool_choice, config):
            prompt = messages[-1].text
            wobble = sum(map(ord, prompt + paper_id)) % 2  # small spread between models
            rating = 4 + wobble if condition_of(prompt) == "human_simulation" \
                else int(np.clip(round(4 + 2.5 * shift[paper_id]), 1, 7))
            return ModelOutput.from_content(model="mockllm", content=str(rating))
        return generate

    models = [get_model(f"mockllm/{i}", custom_outputs=answer_for(i)) for i in ids]
    ok, logs = rep.run_study(models, tmp_path / "logs", questionnaires="swls,cmq",
                             display="none")
    assert ok and len(logs) == 6

    res = CliRunner().invoke(cli, ["report", str(tmp_path / "logs"), "--compare-paper",
                                   "--format", "json", "--out", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    cp = json.loads((tmp_path / "r.json").read_text())["compare_paper"]
    assert cp["unmatched"] == {} and cp["n_models"] == 6
    assert {m["match"] for m in cp["models"]} == {"after routing prefix"}
    assert {m["paper_id"] for m in cp["models"]} == set(ids)
    assert cp["spearman"] > 0.9
    assert (tmp_path / "r-vs-paper.png").is_file()


def test_shards_on_two_machines_merge_into_one_complete_study(tmp_path, offline_tokens):
    """Each shard its own folder; copying the .eval files together gives a finished eval-set."""
    import shutil

    models = tmp_path / "models.txt"
    models.write_text("a\nb\nc\n")

    def run(log_dir, *extra):
        res = _invoke("--models", str(models), "--provider", "mockllm", "-q", "swls",
                      "--conditions", "neutral", "--log-dir", str(log_dir), "--display", "none",
                      *extra)
        assert res.exit_code == 0, res.output
        return res.output

    run(tmp_path / "m1", "--shard", "1/2")
    run(tmp_path / "m2", "--shard", "2/2")
    assert sorted(_logs(tmp_path / "m1")) == ["mockllm/a", "mockllm/c"]
    assert sorted(_logs(tmp_path / "m2")) == ["mockllm/b"]

    merged = tmp_path / "all"
    merged.mkdir()
    for f in [*(tmp_path / "m1").glob("*.eval"), *(tmp_path / "m2").glob("*.eval")]:
        shutil.copy(f, merged)
    before = {f.name: f.stat().st_mtime_ns for f in merged.glob("*.eval")}
    out = run(merged)  # the whole list on the merged folder: recognised as done
    assert out.count("success, 5/5 samples") == 3
    assert {f.name: f.stat().st_mtime_ns for f in merged.glob("*.eval")} == before
