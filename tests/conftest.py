"""Shared fixtures, and the CI guard against silent skips.

Under ``CI=true`` a skipped test fails the run unless its node id (or a prefix of it) is on
``tests/skip_allowlist.txt`` with a reason: a test that quietly stops running (missing data,
a dependency not installed, a catch-all ``except: skip``) is a gap the suite would otherwise
hide behind a green result. Deselected tests (``-m "not realmodel"``) are not skips.
"""

from __future__ import annotations

import locale
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinocchio_eval.plugins import reset_plugin_manager

DATA = Path(__file__).parent / "data"


@pytest.fixture
def toy_plugin(tmp_path, monkeypatch):
    """Install the toy plugin the way pip would: a module plus an entry point in a dist-info."""
    plugin_dir = DATA / "plugin_pkg"
    dist = tmp_path / "toy_pinocchio_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-pinocchio-plugin\n"
                                   "Version: 0.1\n")
    (dist / "entry_points.txt").write_text("[pinocchio_eval]\ntoy = toy_pinocchio_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(plugin_dir))
    reset_plugin_manager()
    yield
    sys.modules.pop("toy_pinocchio_plugin", None)
    monkeypatch.undo()
    reset_plugin_manager()


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    """The C locale, whose default text encoding is ASCII outside Python's UTF-8 mode (like a
    non-UTF-8 Windows code page): a file opened without an explicit encoding cannot decode "é"."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


@pytest.fixture(autouse=True)
def _log_cache_in_tmp(tmp_path_factory, monkeypatch):
    """The readers' log cache goes to a temporary folder, never the user's home."""
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


# ---------------------------------------------------------------- no silent skips under CI
ALLOWLIST = Path(__file__).with_name("skip_allowlist.txt")
_SKIPPED: dict[str, str] = {}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def read_allowlist(path: Path = ALLOWLIST) -> dict[str, str]:
    """``node-id-or-prefix | reason`` per line; ``#`` comments. A line without a reason is an
    error: the list exists to say why each skip is acceptable."""
    entries = {}
    if not path.exists():
        return entries
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        node, sep, reason = (part.strip() for part in line.partition("|"))
        if not sep or not node or not reason:
            raise pytest.UsageError(f"{path}:{n}: expected 'node id | reason', got {line!r}")
        entries[node] = reason
    return entries


def unexpected_skips(skipped: dict[str, str], allowed: dict[str, str]) -> dict[str, str]:
    return {node: why for node, why in skipped.items()
            if not any(node == a or node.startswith(a.rstrip(":") + "::") or
                       (a.endswith((".py", "/")) and node.startswith(a)) for a in allowed)}


def _record(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        why = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        _SKIPPED[report.nodeid] = why


def pytest_collectreport(report: pytest.CollectReport) -> None:
    _record(report)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _record(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if in_ci() and unexpected_skips(_SKIPPED, read_allowlist()) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config) -> None:  # noqa: ANN001
    if not in_ci():
        return
    bad = unexpected_skips(_SKIPPED, read_allowlist())
    if bad:
        terminalreporter.section("skips not on tests/skip_allowlist.txt (CI=true)", red=True)
        for node, why in sorted(bad.items()):
            terminalreporter.line(f"{node}: {why}")
        terminalreporter.line("Make the test run (install what it needs, put the reference "
                              "data beside the clone), or add 'node id | reason' to "
                              "tests/skip_allowlist.txt.")
