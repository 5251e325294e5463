"""Documents for lm-eval come from the battery; choices tokenise as disjoint strings."""

from __future__ import annotations

import json

import pytest

from pinocchio_eval.battery import get_battery
from pinocchio_eval.battery.schema import Scale
from pinocchio_eval.conditions import render_prompt
from pinocchio_eval.lmeval.docs import TERMINATOR, build_docs, choices, load_docs, scale_from_json


def _scale(lo: int, hi: int) -> Scale:
    return Scale(labels={v: f"label {v}" for v in range(lo, hi + 1)})


@pytest.mark.parametrize(("lo", "hi"), [(0, 1), (1, 5), (0, 3), (1, 9)])
def test_one_digit_scales_use_bare_values(lo, hi):
    assert choices(_scale(lo, hi)) == [str(v) for v in range(lo, hi + 1)]


@pytest.mark.parametrize(("lo", "hi"), [(0, 10), (1, 10), (1, 11)])
def test_two_digit_scales_are_made_prefix_free(lo, hi):
    got = choices(_scale(lo, hi))
    assert got == [f"{v}{TERMINATOR}" for v in range(lo, hi + 1)]
    assert not any(a != b and b.startswith(a) for a in got for b in got)


def test_docs_match_the_shared_prompts(toy_plugin):
    docs = build_docs(["neutral"], "toy-inner-weather")
    items = get_battery().items("toy-inner-weather")
    assert [d["item_index"] for d in docs] == [0, 1, 2]
    assert docs[1]["prompt"] == render_prompt(items[1], "neutral")
    assert docs[1]["choices"] == ["1", "2", "3", "4"]
    assert scale_from_json(docs[1]["scale_labels"]).labels == items[1].scale.labels
    assert docs[0]["questionnaire"] == "Toy Inner Weather Scale"


def test_several_conditions_interleave_per_item(toy_plugin):
    docs = build_docs(["neutral", "human_simulation"], ["Toy Inner Weather Scale"])
    assert [(d["item_index"], d["condition"]) for d in docs[:4]] == [
        (0, "neutral"), (0, "human_simulation"), (1, "neutral"), (1, "human_simulation")]


def test_only_active_items_are_administered():
    battery = get_battery()
    for inst in battery.instruments():
        inactive = [i.item_index for i in battery.items(inst.name) if not i.active]
        if inactive:
            docs = build_docs(["neutral"], inst.id)
            assert len(docs) == battery.n_active_items(inst.name)
            assert not set(inactive) & {d["item_index"] for d in docs}
            return
    pytest.skip("no questionnaire has an excluded item")


def test_load_docs_reads_metadata_and_ignores_model_args(toy_plugin):
    ds = load_docs(pinocchio_conditions="llm_analog", questionnaires="toy-inner-weather",
                   base_url="http://127.0.0.1:1", version=1.0, config_source="x.yaml")
    test = ds["test"]
    assert len(test) == 3
    assert set(test["condition"]) == {"llm_analog"}
    assert json.loads(test[0]["scale_labels"])["4"] == "Always"


def test_full_battery_has_every_analysed_questionnaire():
    docs = build_docs(["neutral"])
    battery = get_battery()
    assert len(docs) == sum(battery.n_active_items(i.name) for i in battery.instruments())
    assert {d["questionnaire"] for d in docs} == {i.name for i in battery.instruments()}
