"""A cache of what was extracted from each log, so a panel is parsed once, not on every command.

Parsing an Inspect log costs about a millisecond per sample; a 50-model panel is minutes of it.
The rows and header facts extracted from a log are stored as one Parquet file in the user's
cache folder, keyed by the log's resolved path, size, modification time, a hash of its first
and last 64 KiB (the zip directory of an ``.eval`` file sits at its end) and this package's
version: any change to the log or to the package means a fresh read, never a stale answer.

Location: ``$PINOCCHIO_EVAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/pinocchio-eval``, else
``~/.cache/pinocchio-eval``. ``PINOCCHIO_EVAL_NO_CACHE=1`` turns it off. A cache that cannot be
written (read-only home, full disk) is skipped silently: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__

#: Bumped when the layout of a cached entry changes.
FORMAT = "1"
_EDGE = 65536


def cache_dir() -> Path | None:
    """The folder for cached entries, or None when caching is switched off."""
    if os.environ.get("PINOCCHIO_EVAL_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("PINOCCHIO_EVAL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pinocchio-eval"


def file_key(path: Path, kind: str) -> str:
    """Identity of one file's content as far as a reader cares, plus reader and version."""
    st = path.stat()
    h = hashlib.sha256()
    with path.open("rb") as fh:
        h.update(fh.read(_EDGE))
        if st.st_size > _EDGE:
            fh.seek(max(_EDGE, st.st_size - _EDGE))
            h.update(fh.read(_EDGE))
    ident = json.dumps([kind, FORMAT, __version__, str(path.resolve()), st.st_size,
                        st.st_mtime_ns, h.hexdigest()])
    return hashlib.sha256(ident.encode()).hexdigest()


def load(key: str) -> tuple[dict[str, Any], pd.DataFrame] | None:
    """A cached (facts, rows) entry, or None when absent or unreadable."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.parquet"
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        facts = json.loads(table.schema.metadata[b"pinocchio_eval"])
        return facts, table.to_pandas()
    except Exception:  # a damaged entry is a cache miss, never an error
        return None


def store(key: str, facts: dict[str, Any], rows: pd.DataFrame) -> None:
    """Save an entry atomically (temporary file and rename); failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(rows, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[b"pinocchio_eval"] = json.dumps(facts).encode()
        table = table.replace_schema_metadata(meta)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, folder / f"{key}.parquet")
        finally:
            Path(tmp).unlink(missing_ok=True)
    except Exception:
        return


def cached(path: Path, kind: str,
           extract: Callable[[Path], tuple[dict[str, Any], pd.DataFrame]]
           ) -> tuple[dict[str, Any], pd.DataFrame]:
    """``extract(path)`` through the cache."""
    key = file_key(path, kind)
    hit = load(key)
    if hit is not None:
        return hit
    facts, rows = extract(path)
    store(key, facts, rows)
    return facts, rows


def _workers(n_jobs: int) -> int:
    env = os.environ.get("PINOCCHIO_EVAL_WORKERS", "").strip()
    limit = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(limit, n_jobs))


def extract_many(paths: list[Path], kind: str,
                 extract: Callable[[Path], tuple[dict[str, Any], pd.DataFrame]],
                 parallel_bytes: int = 4_000_000
                 ) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """``extract`` over many files: cached entries first, the rest in worker processes.

    Worker processes pay off only for big batches (each imports the harness afresh), so
    fewer than ``parallel_bytes`` of uncached logs are read in this process. ``extract``
    must be a module-level function (workers import it by name).
    """
    keys = [file_key(p, kind) for p in paths]
    out: list[tuple[dict[str, Any], pd.DataFrame] | None] = [load(k) for k in keys]
    todo = [i for i, hit in enumerate(out) if hit is None]
    size = sum(paths[i].stat().st_size for i in todo)
    workers = _workers(len(todo))
    if workers > 1 and size >= parallel_bytes:
        ctx = multiprocessing.get_context("spawn")  # fork is unsafe with the harness's threads
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            results = list(pool.map(extract, [paths[i] for i in todo]))
    else:
        results = [extract(paths[i]) for i in todo]
    for i, res in zip(todo, results, strict=True):
        store(keys[i], *res)
        out[i] = res
    return [r for r in out if r is not None]
