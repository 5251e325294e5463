"""Probability reading on the embedded model: the Inspect task against a bare llama.cpp loop.

Both sides send the same prompts in the same order (the task's sample order, each prompt with
the answer delimiter appended, plus the one extra prompt per multi-digit prefix the task asks
for) and get one token each. The bare side is stock ``llama_cpp.Llama.create_completion`` with
``max_tokens=1`` (prefix reuse included); the task side is ``inspect_ai.eval`` of the
``pinocchio`` task with ``reading=probabilities`` on the ``llama-cpp-local`` provider, model
already loaded, through ``run-local``'s own code path (``commands.run.run_local``). Prints both
times, per prompt, and their ratio (target ≤ 1.15), best of
``--rounds``, with the load average so that figures from a busy machine are read as such.

    python benchmarks/bench_local_model.py                       # full analysed battery
    python benchmarks/bench_local_model.py -q quick --rounds 2   # the six-questionnaire set
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from pinocchio_eval.commands.run import QUICK_SUBSET, run_local
from pinocchio_eval.inspect_task.local_provider import _load
from pinocchio_eval.inspect_task.logprobs import scale_prefixes
from pinocchio_eval.inspect_task.reading import ANSWER_DELIMITER
from pinocchio_eval.inspect_task.scorer import scale_from_metadata
from pinocchio_eval.inspect_task.task import build_samples


def task_prompts(conditions: str, questionnaires: str | None) -> list[str]:
    """Every prompt the task sends, in its order."""
    out = []
    for sample in build_samples(conditions, questionnaires):
        prompt = str(sample.input) + ANSWER_DELIMITER
        out.append(prompt)
        out += [prompt + p for p in scale_prefixes(scale_from_metadata(sample.metadata).values)]
    return out


def bare_loop(llm, prompts: list[str]) -> float:
    start = time.perf_counter()
    for prompt in prompts:
        llm.create_completion(prompt, max_tokens=1, temperature=0.0)
    return time.perf_counter() - start


def through_task(conditions: str, questionnaires: str | None) -> float:
    """The main job's own run (``run-local``'s in-process path), timed."""
    with tempfile.TemporaryDirectory() as logs:
        start = time.perf_counter()
        log = run_local(conditions, questionnaires, None, Path(logs), display="none")
        seconds = time.perf_counter() - start
    if log.status != "success":
        raise SystemExit(f"the task run failed: {log.error}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-q", "--questionnaires", default=None,
                        help="names or ids, or 'quick' (default: the whole analysed battery)")
    parser.add_argument("--conditions", default="neutral,human_simulation")
    parser.add_argument("--rounds", type=int, default=1, help="best of this many runs")
    args = parser.parse_args()
    qs = QUICK_SUBSET if args.questionnaires == "quick" else args.questionnaires
    prompts = task_prompts(args.conditions, qs)
    model = _load(None, None, 2048)  # what the provider uses; loaded once, outside the timing
    import llama_cpp

    bare = llama_cpp.Llama(model_path=str(model.model_path), n_ctx=2048,
                           n_threads=os.cpu_count() or 2, logits_all=False, verbose=False)
    print(f"{len(prompts)} prompts ({args.conditions}; {qs or 'analysed battery'}), "
          f"load average before: {os.getloadavg()[0]:.2f}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}", flush=True)
    bare_times, task_times, model_times = [], [], []
    for r in range(args.rounds):
        bare_times.append(bare_loop(bare, prompts))
        before = model.busy_seconds
        task_times.append(through_task(args.conditions, qs))
        model_times.append(model.busy_seconds - before)
        print(f"round {r + 1}: bare {bare_times[-1]:.1f} s, task {task_times[-1]:.1f} s, of "
              f"which in the model {model_times[-1]:.1f} s (load {os.getloadavg()[0]:.2f})",
              flush=True)
    b, best = min(bare_times), task_times.index(min(task_times))
    t, m = task_times[best], model_times[best]
    n = len(prompts)
    print(f"bare llama_cpp loop : {b:8.1f} s  ({b / n * 1000:.1f} ms per prompt)")
    print(f"Inspect task        : {t:8.1f} s  ({t / n * 1000:.1f} ms per prompt; model "
          f"{m / n * 1000:.1f} ms, Inspect and scoring {(t - m) / n * 1000:.1f} ms)")
    print(f"ratio task / bare   : {t / b:8.3f}  (target <= 1.15)")


if __name__ == "__main__":
    main()
