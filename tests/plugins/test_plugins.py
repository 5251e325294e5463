"""A questionnaire and a condition from an installed plugin show up wherever built-ins do."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pinocchio_eval.battery import get_battery
from pinocchio_eval.cli import cli
from pinocchio_eval.conditions import get_conditions
from pinocchio_eval.plugins import get_plugin_manager


def test_plugin_is_loaded_from_entry_point(toy_plugin):
    names = {name for name, _ in get_plugin_manager().list_name_plugin()}
    assert {"builtin", "toy"} <= names
    assert "Toy Inner Weather Scale" in get_battery()
    assert "third_person" in get_conditions()


def test_plugin_questionnaire_in_cli_listing_and_prompt(toy_plugin):
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["battery", "list", "--format", "json"]).output)
    toy = [row for row in listed if row["id"] == "toy-inner-weather"]
    assert toy == [{**toy[0], "n_items": 3, "n_active_items": 3, "scale_min": 1, "scale_max": 4}]
    assert len(listed) == 47  # the 46 analysed built-ins plus the plugin's

    out = runner.invoke(cli, ["prompt", "toy-inner-weather", "1", "--condition", "third_person"])
    assert out.exit_code == 0, out.output
    assert "My thoughts feel like weather passing through." in out.output
    assert out.output.rstrip().endswith("Rating (1-4):")
    assert "Think about the last week." in out.output


def test_without_plugin_the_toy_is_absent():
    assert "Toy Inner Weather Scale" not in get_battery()
    assert "third_person" not in get_conditions()


def test_builtins_come_through_their_entry_point_before_any_plugin(toy_plugin):
    names = [name for name, _ in get_plugin_manager().list_name_plugin()]
    assert names.index("builtin") < names.index("toy")
    # pluggy calls later registrations first: the plugin's condition comes after the paper's
    assert list(get_conditions())[:3] == ["neutral", "llm_analog", "human_simulation"]
    assert list(get_conditions())[-1] == "third_person"


def test_reset_reaches_every_cache_that_registered(toy_plugin):
    from pinocchio_eval.plugins import manager, on_reset, reset_plugin_manager

    before = get_battery()
    calls: list[int] = []
    callback = on_reset(lambda: calls.append(1))
    try:
        reset_plugin_manager()
    finally:
        manager._RESETS.remove(callback)
    assert calls == [1]
    assert get_battery() is not before  # the battery's own cache was cleared as well
