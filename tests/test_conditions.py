"""Prompt rendering: the paper's order, determinism, shared prefixes, unknown names."""

from __future__ import annotations

import os

import pytest

from pinocchio_eval.battery import get_battery
from pinocchio_eval.conditions import (
    PAPER_CONDITIONS,
    UnknownConditionError,
    get_condition,
    parse_condition_list,
    render_prompt,
)


def test_three_paper_conditions_are_registered():
    for name in PAPER_CONDITIONS:
        assert get_condition(name).framing


def test_unknown_condition_suggests_the_close_one():
    with pytest.raises(UnknownConditionError, match="(?i)did you mean 'human_simulation'") as err:
        parse_condition_list("neutral,human_simulaton")
    assert "Known conditions" in str(err.value)


def test_condition_list_defaults_and_dedupes():
    assert parse_condition_list(None) == list(PAPER_CONDITIONS)
    assert parse_condition_list(" neutral, neutral,human_simulation ") == [
        "neutral", "human_simulation"]


@pytest.mark.parametrize("condition", PAPER_CONDITIONS)
def test_prompt_follows_the_papers_order(condition):
    item = get_battery().items("BAI")[3]
    prompt = render_prompt(item, condition)
    cond = get_condition(condition)
    positions = [prompt.index(cond.framing.strip()), prompt.index(item.instructions.strip()),
                 prompt.index(item.scale_text.strip()), prompt.index(item.text.strip()),
                 prompt.index("one number from 0 to 3")]
    assert positions == sorted(positions)
    assert prompt.endswith("Your answer (one number from 0 to 3):")
    assert render_prompt(item, condition) == prompt  # deterministic


def test_conditions_differ_only_in_framing():
    item = get_battery().items("BFI-2")[0]
    prompts = {c: render_prompt(item, c) for c in PAPER_CONDITIONS}
    assert len(set(prompts.values())) == 3
    tails = {p[p.index("Instructions:"):] for p in prompts.values()}
    assert len(tails) == 1


def test_consecutive_items_share_everything_before_the_item():
    items = get_battery().items("HEXACO")
    a, b = render_prompt(items[0], "neutral"), render_prompt(items[1], "neutral")
    prefix = os.path.commonprefix([a, b])
    before_item = a[: a.index("Statement:\n") + len("Statement:\n")]
    assert prefix.startswith(before_item)  # only the item and the cue differ


def test_source_mode_uses_the_source_scale_prompt():
    inst = get_battery().get("BSI")
    item = get_battery().items("BSI", mode="source")[0]
    assert item.scale_text == inst.source.scale_prompt
    assert "R = Refused to answer" in render_prompt(item, "neutral")
    corrected = get_battery().items("BSI")[0]
    assert "Refused" not in render_prompt(corrected, "neutral")
