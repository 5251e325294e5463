"""The CI guard in conftest.py: an unexpected skip fails the run, an allowlisted one does not."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
CONFTEST = Path(__file__).with_name("conftest.py").read_text(encoding="utf-8")
TESTS = """
import pytest

def test_runs():
    assert 1 + 1 == 2

def test_skips():
    pytest.skip("data not here")
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_x=TESTS)
    return pytester


def test_skip_fails_the_run_under_ci(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    res = suite.runpytest()
    res.assert_outcomes(passed=1, skipped=1)
    assert res.ret == pytest.ExitCode.TESTS_FAILED
    res.stdout.fnmatch_lines(["*skips not on tests/skip_allowlist.txt*",
                              "*test_x.py::test_skips*data not here*"])


def test_allowlisted_skip_passes_and_outside_ci_nothing_changes(suite, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert suite.runpytest().ret == pytest.ExitCode.OK
    monkeypatch.setenv("CI", "true")
    (suite.path / "skip_allowlist.txt").write_text(
        "# comment\ntest_x.py::test_skips | the data is optional here\n")
    assert suite.runpytest().ret == pytest.ExitCode.OK


def test_allowlist_entries_need_a_reason(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    (suite.path / "skip_allowlist.txt").write_text("test_x.py::test_skips\n")
    res = suite.runpytest()
    assert res.ret != pytest.ExitCode.OK
    assert "expected 'node id | reason'" in res.stderr.str() + res.stdout.str()


def test_module_level_skip_is_caught_too(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    suite.makepyfile(test_y="import pytest\npytest.importorskip('no_such_module_xyz')\n")
    res = suite.runpytest()
    assert res.ret == pytest.ExitCode.TESTS_FAILED
    res.stdout.fnmatch_lines(["*test_y.py*no_such_module_xyz*"])
