"""The Inspect task: dataset, registration, scorer statuses, metrics, repeats (mock model)."""

from __future__ import annotations

import math
import re
from importlib.metadata import entry_points

import numpy as np
import pytest

pytest.importorskip("inspect_ai")

from _inspect_mock import condition_of, run  # noqa: E402
from pinocchio_eval.battery import get_battery  # noqa: E402
from pinocchio_eval.inspect_task.task import build_samples, pinocchio  # noqa: E402
from pinocchio_eval.scoring.selfanchored import pi_self_from_means  # noqa: E402

SMALL = "swls,rses"  # 5 + 10 items, both in the frozen weight table


def _metrics(log) -> dict[str, float]:
    return {k: m.value for k, m in log.results.scores[0].metrics.items()}


def _scale_max(prompt: str) -> int:
    return int(re.search(r"one number from (\d+) to (\d+)", prompt).group(2))


def test_samples_cover_items_and_conditions_grouped_by_questionnaire():
    battery = get_battery()
    samples = build_samples("neutral,human_simulation", SMALL)
    n_items = sum(battery.n_active_items(q) for q in SMALL.split(","))
    assert len(samples) == 2 * n_items
    assert len({s.id for s in samples}) == len(samples)
    meta = samples[0].metadata
    for key in ("questionnaire", "questionnaire_id", "item_index", "condition", "scale_min",
                "scale_max", "item"):
        assert key in meta
    order = [s.metadata["questionnaire_id"] for s in samples]
    assert order == sorted(order, key=order.index)  # each questionnaire in one block
    assert all(isinstance(s.input, str) for s in samples)  # one user message


def test_default_is_three_conditions_over_the_analysed_set():
    samples = build_samples()
    assert {s.metadata["condition"] for s in samples} == {"neutral", "llm_analog",
                                                          "human_simulation"}
    analysed = {i.name for i in get_battery().instruments()}
    assert {s.metadata["questionnaire"] for s in samples} == analysed


def test_shuffle_is_seeded_and_text_mode_switches():
    a = [s.id for s in build_samples("neutral", SMALL, shuffle=7)]
    b = [s.id for s in build_samples("neutral", SMALL, shuffle=7)]
    assert a == b and a != [s.id for s in build_samples("neutral", SMALL)]
    src = build_samples("neutral", SMALL, text="source")
    assert src[0].metadata["text_mode"] == "source"
    with pytest.raises(ValueError):
        build_samples("neutral", SMALL, text="fixed")
    with pytest.raises(KeyError):
        build_samples("neutral", "no-such-questionnaire")


def test_inspect_entry_point_is_declared():
    names = {ep.name: ep.value for ep in entry_points(group="inspect_ai")}
    assert names.get("pinocchio_eval") == "pinocchio_eval.inspect_task._registry"
    from inspect_ai._util.registry import registry_lookup

    assert registry_lookup("task", "pinocchio_eval/pinocchio") is not None


def test_statuses_and_rates_on_refusal_garbage_and_out_of_range(tmp_path):
    replies = ["4", "As an AI, I cannot rate this.", "banana", "754", ""]
    items = [i for i in get_battery().items("swls") if i.active]
    by_text = {i.text: r for i, r in zip(items, replies, strict=True)}

    def answer(prompt: str) -> str:
        return next(r for text, r in by_text.items() if text in prompt)
    log = run(pinocchio(conditions="neutral", questionnaires="swls"), answer, tmp_path)
    samples = sorted(log.samples, key=lambda s: s.metadata["item_index"])
    statuses = [s.scores["pinocchio_scorer"].metadata["status"] for s in samples]
    assert statuses == ["ok", "refusal", "unparseable", "out_of_range", "empty"]
    m = _metrics(log)
    assert m["parse_rate"] == pytest.approx(1 / 5)
    assert m["refusal_rate"] == pytest.approx(1 / 5)
    assert math.isnan(m["pi_self"])  # no human_simulation condition in this run
    out_of_range = samples[3].scores["pinocchio_scorer"]
    assert math.isnan(out_of_range.value["rating"]) and out_of_range.metadata["number"] == 754


def test_pi_self_metric_calls_the_scoring_engine(tmp_path):
    # neutral: the scale maximum; human simulation: the minimum
    def answer(prompt: str) -> str:
        return str(_scale_max(prompt)) if condition_of(prompt) == "neutral" else "1"
    log = run(pinocchio(conditions="neutral,human_simulation", questionnaires=SMALL),
              answer, tmp_path)
    neutral, human = {}, {}
    for s in log.samples:
        key = (s.metadata["questionnaire"], s.metadata["item_index"])
        target = neutral if s.metadata["condition"] == "neutral" else human
        target[key] = s.scores["pinocchio_scorer"].value["rating"]
    expected, n = pi_self_from_means(neutral, human)
    m = _metrics(log)
    assert n > 0 and m["pi_self"] == pytest.approx(expected)
    assert m["parse_rate"] == 1.0
    assert m["mean_neutral"] == 1.0 and m["mean_human_simulation"] == 0.0


def test_repeats_are_averaged_per_item_before_metrics(tmp_path):
    calls: dict[str, int] = {}

    def answer(prompt: str) -> str:  # 1 then 5 for every item: the item mean is 3
        calls[prompt] = calls.get(prompt, 0) + 1
        return "1" if calls[prompt] % 2 else "5"
    log = run(pinocchio(conditions="neutral", questionnaires="swls", repeats=2), answer,
              tmp_path)
    assert len(log.samples) == 2 * 5  # one sample per epoch in the log
    reduced = log.reductions[0].samples
    assert {r.value["rating"] for r in reduced} == {3.0}
    scale = get_battery().scale_of("The Satisfaction with Life Scale", 0)
    assert _metrics(log)["mean_neutral"] == pytest.approx(scale.normalise(3))


def test_task_is_versioned_with_the_battery_fingerprint():
    from pinocchio_eval.task_version import TASK_VERSION, battery_fingerprint

    t = pinocchio(conditions="neutral", questionnaires="swls")
    assert t.version == int(TASK_VERSION.split("-")[0]) >= 1
    assert t.metadata["task_version"] == TASK_VERSION
    assert t.metadata["battery_fingerprint"] == battery_fingerprint()


def test_metrics_carry_the_engines_interval_and_clustered_stderrs(tmp_path):
    from pinocchio_eval.inspect_task.reader import read_inspect_logs
    from pinocchio_eval.scoring.engine import score_table

    # answers differ by questionnaire and item, some unreadable: nothing degenerate
    def answer(prompt: str) -> str:
        top = _scale_max(prompt)
        h = sum(map(ord, prompt)) % (top + 2)
        return "no idea" if h > top else str(max(h, 1))
    log = run(pinocchio(conditions="neutral,human_simulation", questionnaires="swls,rses,bai"),
              answer, tmp_path)
    m = _metrics(log)
    # the same answers through the reader and `pinocchio-eval score`'s engine
    engine = score_table(read_inspect_logs(tmp_path), methods=("self",), bootstrap=1000,
                         seed=0).scores.iloc[0]
    assert m["pi_self"] == pytest.approx(engine["pi_self"])
    assert (m["pi_self_lo"], m["pi_self_hi"]) == pytest.approx(
        (engine["pi_self_lo"], engine["pi_self_hi"]))
    assert m["pi_self_lo"] < m["pi_self"] < m["pi_self_hi"]
    assert m["pi_self_items"] == engine["n_items_self"]
    # parse rate's standard error, clustered by questionnaire, by hand
    ok = {}
    for s in log.samples:
        ok.setdefault(s.metadata["questionnaire"], []).append(
            s.scores["pinocchio_scorer"].value["ok"])
    values = np.concatenate([np.array(v) for v in ok.values()])
    c = len(ok)
    by_hand = math.sqrt(sum((np.array(v) - values.mean()).sum() ** 2 for v in ok.values())
                        * c / (c - 1)) / len(values)
    assert 0 < m["parse_rate"] < 1
    assert m["parse_rate_stderr"] == pytest.approx(by_hand)
    assert m["mean_neutral_stderr"] > 0 and m["mean_human_simulation_stderr"] > 0
