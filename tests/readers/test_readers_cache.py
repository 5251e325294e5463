"""The log cache: a second read skips parsing, any change to the log or package re-reads."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

pytest.importorskip("inspect_ai")

import pinocchio_eval.inspect_task.reader as inspect_reader  # noqa: E402
from _inspect_mock import condition_of, run  # noqa: E402
from pinocchio_eval.inspect_task.task import pinocchio  # noqa: E402
from pinocchio_eval.readers import cache, load_inputs  # noqa: E402


@pytest.fixture(scope="module")
def log_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("cachelog")
    log = run(pinocchio(conditions="neutral,human_simulation", questionnaires="swls"),
              lambda p: "2" if condition_of(p) == "neutral" else "5", root)
    return log.location.removeprefix("file://")


@pytest.fixture
def fresh(tmp_path, monkeypatch, log_file):
    """A private copy of the log and an empty cache folder."""
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "logs" / "run.eval"
    copy.parent.mkdir()
    shutil.copy(log_file, copy)
    return copy


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the log was parsed again")

    monkeypatch.setattr(inspect_reader, "read_eval_log", refuse)


def test_second_read_comes_from_the_cache(fresh, monkeypatch, tmp_path):
    first = load_inputs([fresh])
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 1
    _no_parsing(monkeypatch)
    second = load_inputs([fresh])
    pd.testing.assert_frame_equal(first, second)


def test_a_changed_log_is_read_again(fresh, monkeypatch):
    load_inputs([fresh])
    st = fresh.stat()
    os.utime(fresh, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    _no_parsing(monkeypatch)
    with pytest.raises(inspect_reader.InspectLogError, match="parsed again"):
        load_inputs([fresh])


def test_another_package_version_is_read_again(fresh, monkeypatch):
    load_inputs([fresh])
    monkeypatch.setattr(cache, "__version__", "999.0")
    _no_parsing(monkeypatch)
    with pytest.raises(inspect_reader.InspectLogError, match="parsed again"):
        load_inputs([fresh])


def test_cache_can_be_switched_off(fresh, monkeypatch, tmp_path):
    monkeypatch.setenv("PINOCCHIO_EVAL_NO_CACHE", "1")
    load_inputs([fresh])
    assert not (tmp_path / "cache").exists()


def test_xdg_cache_home_is_respected(monkeypatch, tmp_path):
    monkeypatch.delenv("PINOCCHIO_EVAL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "pinocchio-eval"


def test_a_damaged_entry_is_a_miss(fresh, tmp_path):
    first = load_inputs([fresh])
    for entry in (tmp_path / "cache").glob("*.parquet"):
        entry.write_bytes(b"garbage")
    pd.testing.assert_frame_equal(first, load_inputs([fresh]))


def test_parallel_reading_gives_the_same_rows(fresh, monkeypatch, tmp_path):
    other = fresh.with_name("other.eval")
    shutil.copy(fresh, other)
    monkeypatch.setenv("PINOCCHIO_EVAL_NO_CACHE", "1")
    serial = cache.extract_many([fresh, other], "inspect", inspect_reader.extract_log)
    parallel = cache.extract_many([fresh, other], "inspect", inspect_reader.extract_log,
                                  parallel_bytes=0)
    for (f1, r1), (f2, r2) in zip(serial, parallel, strict=True):
        assert f1 == f2
        pd.testing.assert_frame_equal(r1, r2)


def test_cached_extracts_once_then_answers_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PINOCCHIO_EVAL_NO_CACHE", raising=False)
    src = tmp_path / "run.log"
    src.write_text("some log", encoding="utf-8")
    calls = []

    def extract(path):
        calls.append(path)
        return {"model": "m", "n": len(calls)}, pd.DataFrame({"item_index": [0, 1]})

    first = cache.cached(src, "inspect", extract)
    again = cache.cached(src, "inspect", extract)
    assert calls == [src]                                   # the second came from the cache
    assert first[0] == again[0] == {"model": "m", "n": 1}
    pd.testing.assert_frame_equal(again[1], first[1])
    other_kind = cache.cached(src, "lm-eval", extract)      # the reader is part of the key
    assert calls == [src, src] and other_kind[0]["n"] == 2


# --- surviving mutants (wave 5): where an entry is written before it is renamed ---


def test_an_entry_is_written_to_a_hidden_temporary_named_after_its_key(tmp_path, monkeypatch):
    # a write in progress (or one cut short by a killed process) must not look like an
    # entry: it is a dot-file in the cache folder that names the entry it will become
    folder = tmp_path / "cache"
    monkeypatch.setenv("PINOCCHIO_EVAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("PINOCCHIO_EVAL_NO_CACHE", raising=False)
    real_write = cache.pq.write_table
    written: list[str] = []

    def spy(table, where, *args, **kwargs):
        written.append(str(where))
        return real_write(table, where, *args, **kwargs)

    monkeypatch.setattr(cache.pq, "write_table", spy)
    key = "ab" * 32
    cache.store(key, {"model": "m"}, pd.DataFrame({"item_index": [0, 1]}))
    assert len(written) == 1
    tmp = written[0]
    name = os.path.basename(tmp)
    assert os.path.dirname(tmp) == str(folder)
    assert name.startswith(f".{key}.") and name.endswith(".tmp")
    # renamed into place, nothing left behind
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.parquet"]
    facts, rows = cache.load(key)
    assert facts == {"model": "m"} and rows["item_index"].tolist() == [0, 1]
