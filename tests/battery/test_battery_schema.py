"""Malformed questionnaire files fail with messages naming file, field and item."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pinocchio_eval.battery import BatteryError, load_instrument
from pinocchio_eval.cli import cli

TOY = Path(__file__).resolve().parents[1] / "data" / "plugin_pkg" / "toy_inner_weather.yaml"


def _write(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(TOY.read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_toy_file_is_valid():
    inst = load_instrument(TOY)
    assert (inst.scale_min, inst.scale_max, len(inst.items)) == (1, 4, 3)
    assert inst.scales["default"].normalise(4) == 1.0


BROKEN = {
    "empty item text": (lambda d: d["items"][1].update(text=""),
                        ["items[1] (item_index 1).text"]),
    "duplicate index": (lambda d: d["items"][2].update(index=0),
                        ["index 0 appears more than once"]),
    "unknown item scale": (lambda d: d["items"][0].update(scale="trait"),
                           ["item 0 uses unknown scale 'trait'"]),
    "gap in scale": (lambda d: d["scales"]["default"]["labels"].pop(2),
                     ["scales.default.labels", "consecutive integers"]),
    "example off scale": (lambda d: d["scales"]["default"].update(example=9),
                          ["example 9 is not a value"]),
    "missing citation": (lambda d: d.pop("citation"), ["citation", "Field required"]),
    "bad id": (lambda d: d.update(id="Toy Scale!"), ["id", "pattern"]),
    "unknown field": (lambda d: d.update(colour="red"), ["colour", "Extra inputs"]),
    "bad status": (lambda d: d.update(status="retired"), ["status"]),
    "superseded without successor": (lambda d: d.update(status="superseded"),
                                     ["superseded_by is required"]),
    "negative index": (lambda d: d["items"][0].update(index=-1),
                       ["items[0] (item_index -1).index"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_name_the_problem(tmp_path, case):
    mutate, fragments = BROKEN[case]
    path = _write(tmp_path, mutate)
    with pytest.raises(BatteryError) as err:
        load_instrument(path)
    message = str(err.value)
    assert str(path) in message
    assert "Toy Inner Weather Scale" in message or case == "missing citation"
    for fragment in fragments:
        assert fragment in message


def test_not_yaml_and_not_a_mapping(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("items: [unclosed\n")
    with pytest.raises(BatteryError, match="not valid YAML"):
        load_instrument(bad)
    bad.write_text("- just\n- a list\n")
    with pytest.raises(BatteryError, match="expected a mapping"):
        load_instrument(bad)


def test_validate_command_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["battery", "validate", str(TOY)])
    assert ok.exit_code == 0 and "ok:" in ok.output
    broken = _write(tmp_path, BROKEN["duplicate index"][0])
    result = runner.invoke(cli, ["battery", "validate", str(TOY), str(broken)])
    assert result.exit_code == 1
    assert "index 0 appears more than once" in result.output
    assert "1 of 2 file(s) invalid" in result.output
