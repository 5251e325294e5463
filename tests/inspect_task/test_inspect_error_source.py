"""A bad row in Inspect logs is reported against the logs the caller named, all of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import read_eval_log, write_eval_log  # noqa: E402

from _inspect_mock import run  # noqa: E402
from pinocchio_eval.inspect_task.reader import read_inspect_logs  # noqa: E402
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.responses import ResponseTableError  # noqa: E402


@pytest.fixture(scope="module")
def good_and_bad(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A good SWLS log, and a copy (another model) whose first sample has item_index -1."""
    root = tmp_path_factory.mktemp("source")
    good = run(pinocchio(conditions="neutral", questionnaires="swls"), lambda p: "3",
               root / "good")
    log = read_eval_log(good.location)
    log.eval.model = "other/model"
    log.samples[0].metadata["item_index"] = -1
    bad = root / "bad.eval"
    write_eval_log(log, str(bad))
    return Path(good.location.removeprefix("file://")), bad


def test_good_log_reads(good_and_bad: tuple[Path, Path]) -> None:
    good, _ = good_and_bad
    assert len(read_inspect_logs(good)) == 5  # SWLS: 5 items, one condition


def test_bad_row_error_names_every_given_path(good_and_bad: tuple[Path, Path]) -> None:
    good, bad = good_and_bad
    source = f"{good}, {bad}"  # the inputs as given, joined by ", "
    with pytest.raises(ResponseTableError,
                       match=f"^{re.escape(source)}: row \\d+ has item_index -1;"):
        read_inspect_logs([good, bad])


def test_bad_row_error_names_the_single_given_log(good_and_bad: tuple[Path, Path]) -> None:
    _, bad = good_and_bad
    with pytest.raises(ResponseTableError, match=f"^{re.escape(str(bad))}: row 1 has "
                                                 "item_index -1;"):
        read_inspect_logs(bad)
