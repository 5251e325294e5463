"""The foundation's CLI: listing counts, look-ups with suggestions, prompt and parse."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pinocchio_eval.cli import cli


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def _json(runner, *args):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_default_listing_is_the_analysed_set(runner):
    rows = _json(runner, "battery", "list", "--format", "json")
    assert len(rows) == 46
    assert sum(r["n_items"] for r in rows) == 1389
    assert {r["status"] for r in rows} == {"analysed"}
    for row in rows:
        assert {"name", "id", "status", "n_items", "n_active_items", "scale_min",
                "scale_max"} <= set(row)
        assert row["n_active_items"] <= row["n_items"]


def test_all_includes_the_superseded_pair(runner):
    rows = _json(runner, "battery", "list", "--format", "json", "--all")
    assert len(rows) == 48
    assert sum(r["n_items"] for r in rows) == 1443
    superseded = {r["name"] for r in rows if r["status"] == "superseded"}
    assert superseded == {"IRQ", "Varieties of Inner Speech Questionnaire"}


def test_listing_formats(runner):
    table = runner.invoke(cli, ["battery", "list"]).output
    assert "46 instruments, 1389 items" in table
    csv_out = runner.invoke(cli, ["battery", "list", "--format", "csv"]).output
    assert csv_out.splitlines()[0].startswith("id,name,")
    assert len(csv_out.splitlines()) == 47


def test_show_by_name_and_by_id(runner):
    by_name = runner.invoke(cli, ["battery", "show", "BAI"])
    assert by_name.exit_code == 0 and "citation:" in by_name.output
    inst_id = next(r["id"] for r in _json(runner, "battery", "list", "--format", "json")
                   if r["name"] == "BAI")
    assert runner.invoke(cli, ["battery", "show", inst_id]).output == by_name.output


def test_unknown_name_suggests_close_names(runner):
    result = runner.invoke(cli, ["battery", "show", "HEXACCO"])
    assert result.exit_code == 1
    assert "unknown questionnaire 'HEXACCO'" in result.output
    assert "'HEXACO'" in result.output
    assert "Traceback" not in result.output


def test_prompt_and_unknown_condition(runner):
    result = runner.invoke(cli, ["prompt", "BFI-2", "0", "--condition", "llm_analog"])
    assert result.exit_code == 0
    assert "large language model" in result.output
    bad = runner.invoke(cli, ["prompt", "BFI-2", "0", "--condition", "human"])
    assert bad.exit_code == 1 and "unknown condition 'human'" in bad.output
    off = runner.invoke(cli, ["prompt", "BFI-2", "999"])
    assert off.exit_code == 1 and "has no item 999" in off.output


def test_parse_prints_json(runner):
    assert _json(runner, "parse", "4 - Agree", "-q", "BFI-2")["value"] == 4
    refusal = _json(runner, "parse", "As an AI I have no feelings.", "-q", "BFI-2")
    assert (refusal["value"], refusal["status"]) == (None, "refusal")
    assert _json(runner, "parse", "754", "-q", "BFI-2")["status"] == "out_of_range"


def test_validate_builtin_battery(runner):
    result = runner.invoke(cli, ["battery", "validate"])
    assert result.exit_code == 0 and "48 instruments" in result.output


def test_every_command_has_help(runner):
    for args in (["--help"], ["battery", "--help"], ["battery", "list", "--help"],
                 ["battery", "show", "--help"], ["battery", "validate", "--help"],
                 ["prompt", "--help"], ["parse", "--help"], ["conditions", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and "Usage:" in result.output


def _all_commands(command, path=("pinocchio-eval",)):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _all_commands(sub, (*path, name))


def test_every_command_reports_user_errors_through_the_one_mechanism():
    from pinocchio_eval.commands._common import UserErrorsAsMessages

    others = [" ".join(path) for path, command in _all_commands(cli)
              if not isinstance(command, UserErrorsAsMessages)]
    assert others == [], "make these with commands._common.command / group"


def test_a_user_error_is_one_line_without_the_main_group(tmp_path):
    """A command run on its own (as the tests and `python -m` do) still reports in one line."""
    from pinocchio_eval.commands.leaderboard import leaderboard_group

    log = tmp_path / "not-the-log.txt"
    log.write_text("nothing here\n")
    result = CliRunner().invoke(leaderboard_group, ["paper", str(log), "--out",
                                                    str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {log}: no leaderboard rows found; expected lines like "
        "'  1  27  google/gemini-2.5-pro  +0.827  +0.026'"]
    assert result.exception is None or isinstance(result.exception, SystemExit)
