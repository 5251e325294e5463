"""Benchmark reading a paper-sized panel of Inspect logs: first read, then a cached second read.

Makes one full-battery log by running the ``pinocchio`` task on Inspect's mock model (every
condition, every analysed questionnaire: 4,134 samples), then writes it again under other
model names with ``inspect_ai.log.write_eval_log`` until there are ``--models`` logs in one
folder (the seed log sits in a sibling folder, ``<folder>-seed``). Then times
``read_inputs`` on the folder twice with an empty cache folder: the first read parses every log
(in worker processes); the second is served from the cache. Target (issue 10): second read
≤ 5 % of the first.

Run: python benchmarks/bench_reading.py [--models 50] [--keep DIR] [--workers N]
(``--keep`` reuses the logs in DIR if they are already there.)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def _write_copies(seed: str, jobs: list[tuple[str, str]]) -> None:
    """Write ``seed`` again under each (path, model name) with Inspect's own log writer."""
    from inspect_ai.log import read_eval_log, write_eval_log

    log = read_eval_log(seed)
    for path, model in jobs:
        log.eval.model = model
        write_eval_log(log, path)


def _make_logs(folder: Path, n_models: int, workers: int) -> list[Path]:
    """``n_models`` full-battery logs in ``folder`` (reused when already there)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    from pinocchio_eval.inspect_task.task import pinocchio

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"model-{i:03d}.eval" for i in range(n_models)]
    jobs = [(str(p), f"bench/model-{i:03d}") for i, p in enumerate(paths) if not p.exists()]
    if not jobs:
        return paths
    rng = random.Random(0)

    def answer(messages, tools, tool_choice, config):  # type: ignore[no-untyped-def]
        out = ModelOutput.from_content(model="mockllm", content=str(rng.randint(1, 5)))
        out.usage = ModelUsage(input_tokens=100, output_tokens=1, total_tokens=101)  # no
        return out  # tokenizer download for token counts

    seeds = sorted(folder.parent.glob(f"{folder.name}-seed/*.eval"))
    t0 = time.perf_counter()
    if not seeds:
        model = get_model("mockllm/model", custom_outputs=answer)
        log = inspect_eval(pinocchio(), model=model, log_dir=str(folder.parent /
                                                                  f"{folder.name}-seed"),
                           display="none", max_connections=64)[0]
        if log.status != "success":
            raise SystemExit(f"the mock run failed: {log.error}")
        seeds = [Path(log.location.removeprefix("file://"))]
        print(f"ran the task on the mock model: {log.results.total_samples} samples, "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    chunks = [jobs[i::workers] for i in range(workers) if jobs[i::workers]]
    with ProcessPoolExecutor(len(chunks), mp_context=get_context("spawn")) as pool:
        list(pool.map(_write_copies, [str(seeds[0])] * len(chunks), chunks))
    print(f"wrote {len(jobs)} logs with inspect_ai.log.write_eval_log: "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--keep", type=Path, default=None, help="folder for the logs (kept)")
    ap.add_argument("--workers", type=int, default=None,
                    help="worker processes for the first read (default: one per CPU)")
    args = ap.parse_args(argv)
    if args.workers:
        os.environ["PINOCCHIO_EVAL_WORKERS"] = str(args.workers)
    folder = args.keep or Path(tempfile.mkdtemp()) / "logs"
    logs = _make_logs(folder, args.models, args.workers or os.cpu_count() or 1)
    size = sum(p.stat().st_size for p in logs)
    os.environ["PINOCCHIO_EVAL_CACHE_DIR"] = tempfile.mkdtemp(prefix="pinocchio-cache-")
    os.environ.pop("PINOCCHIO_EVAL_NO_CACHE", None)

    from pinocchio_eval.readers import read_inputs

    times = []
    for label in ("first read (parse every log)", "second read (from the cache)"):
        t0 = time.perf_counter()
        got = read_inputs([folder])
        times.append(time.perf_counter() - t0)
        print(f"{label:<36s}{times[-1]:8.2f} s   {len(got.responses):,} rows, "
              f"{got.responses['model'].nunique()} models", flush=True)
    print(f"logs: {len(logs)} files, {size / 1e6:.1f} MB; CPUs: {os.cpu_count()}; "
          f"workers: {os.environ.get('PINOCCHIO_EVAL_WORKERS', 'one per CPU')}")
    ratio = times[1] / times[0]
    print(f"second / first = {ratio:.1%} (target <= 5%): {'met' if ratio <= 0.05 else 'MISSED'}")
    return 0 if ratio <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
