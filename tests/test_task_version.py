"""Task version and battery fingerprint: recorded alike by both harnesses, bumped on change."""

from __future__ import annotations

from pathlib import Path

import yaml

from pinocchio_eval.lmeval import lm_eval_path
from pinocchio_eval.task_version import (
    RELEASED_FINGERPRINT,
    TASK_VERSION,
    battery_fingerprint,
    comparability_version,
    fingerprint_parts,
    parser_readings,
    version_info,
)

ROOT = Path(__file__).resolve().parents[1]


def _yaml(path: Path) -> dict:
    # lm-eval's `!function` tag is not plain YAML; keep its text
    loader = type("L", (yaml.SafeLoader,), {})
    loader.add_constructor("!function", lambda ld, node: ld.construct_scalar(node))
    return yaml.load(path.read_text(), Loader=loader)  # noqa: S506


def test_the_released_fingerprint_is_the_installed_battery():
    assert battery_fingerprint() == RELEASED_FINGERPRINT, (
        "the battery, errata, condition texts or parser changed: bump TASK_VERSION in "
        "task_version.py (N if results can move, the letter if only options changed), "
        f"set RELEASED_FINGERPRINT = {battery_fingerprint()!r} there and in "
        "tasks/lm_eval/*.yaml, and add a CHANGELOG.md entry")
    assert "battery_note" not in version_info()


def test_version_format_and_changelog():
    n, letter = TASK_VERSION.split("-")
    assert int(n) == comparability_version() >= 1 and letter.isalpha() and letter.isupper()
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"[{TASK_VERSION}]" in changelog and RELEASED_FINGERPRINT in changelog


def test_lm_eval_task_files_carry_the_same_version():
    files = [p for p in lm_eval_path().iterdir() if "template" in p.name
             or p.name in ("pinocchio.yaml", "pinocchio_mc.yaml")]
    assert len(files) == 4
    for path in files:
        meta = _yaml(path)["metadata"]
        assert meta["task_version"] == TASK_VERSION, path.name
        assert meta["battery_fingerprint"] == RELEASED_FINGERPRINT, path.name
        assert float(meta["version"]) == comparability_version(), path.name


def test_fingerprint_moves_with_what_a_model_sees_or_how_answers_are_read(monkeypatch):
    before = fingerprint_parts()
    assert set(before) == {"instruments", "errata", "conditions", "parser"}
    import pinocchio_eval.parsing as parsing

    real = parsing.parse_answer
    monkeypatch.setattr(parsing, "parse_answer",
                        lambda text, scale: real("4" if text == "banana" else text, scale))
    changed = fingerprint_parts()
    assert changed["parser"] != before["parser"]
    assert {k: v for k, v in changed.items() if k != "parser"} == {
        k: v for k, v in before.items() if k != "parser"}


def test_parser_probes_cover_every_status():
    statuses = {r[3] for r in parser_readings()}
    assert {"ok", "refusal", "unparseable", "out_of_range", "empty"} <= statuses
