"""Probability reading on the embedded model: the Inspect task against a bare llama.cpp loop.

Both sides send the same prompts in the same order (the task's sample order, each prompt with
the answer delimiter appended, plus the one extra prompt per multi-digit prefix the task asks
for) and get one token each. The bare side is stock ``llama_cpp.Llama.create_completion`` with
``max_tokens=1`` (prefix reuse included); the task side is ``inspect_ai.eval`` of the
``pinocchio`` task with ``reading=probabilities`` on the ``llama-cpp-local`` provider, model
already loaded, through ``run-local``'s own code path (``commands.run.run_local``). Prints both
times, per prompt, and their ratio (target ≤ 1.15), best of
``--rounds``, with the load average so that figures from a busy machine are read as such.

It also prints Inspect's own floor: the same number of samples, with the same eval options,
through a model that answers instantly, Inspect's plain ``generate()`` solver and a one-line
scorer. That is the per-sample cost of one Inspect sample on this machine with no model and no
Pinocchio code in it, the part of the task's overhead this project cannot remove.

    python benchmarks/bench_local_model.py                       # full analysed battery
    python benchmarks/bench_local_model.py -q quick --rounds 2   # the six-questionnaire set
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.scorer import Score, Target, mean, scorer
from inspect_ai.solver import TaskState, generate

from pinocchio_eval.commands.run import (
    IN_PROCESS_EVAL,
    QUICK_SUBSET,
    full_collections_deferred,
    run_local,
)
from pinocchio_eval.inspect_task.local_provider import _load
from pinocchio_eval.inspect_task.logprobs import scale_prefixes
from pinocchio_eval.inspect_task.reading import ANSWER_DELIMITER
from pinocchio_eval.inspect_task.scorer import scale_from_metadata
from pinocchio_eval.inspect_task.task import build_samples


def task_prompts(conditions: str, questionnaires: str | None) -> list[str]:
    """Every prompt the task sends, in its order."""
    out = []
    for sample in build_samples(conditions, questionnaires, suffix=ANSWER_DELIMITER):
        prompt = str(sample.input)
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


@modelapi(name="bench-instant")
class InstantAPI(ModelAPI):
    """Answers "3" at once: what is left of a run is Inspect's own work."""

    def __init__(self, model_name: str, base_url: str | None = None,
                 api_key: str | None = None, config: GenerateConfig | None = None,
                 **model_args: object) -> None:
        super().__init__(model_name, base_url, api_key, [], config or GenerateConfig())

    async def generate(self, input, tools, tool_choice, config) -> ModelOutput:  # noqa: ANN001
        return ModelOutput.from_content(self.model_name, "3")


@scorer(metrics=[mean()])
def _constant():  # noqa: ANN202
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value=1.0)
    return score


def inspect_floor(prompts: list[str]) -> float:
    """Seconds for one Inspect sample per prompt with an instant model and a trivial scorer."""
    task = Task(dataset=[Sample(input=p, id=i) for i, p in enumerate(prompts)],
                solver=generate(), scorer=_constant())
    with tempfile.TemporaryDirectory() as logs, full_collections_deferred():
        start = time.perf_counter()
        log = eval(task, model="bench-instant/x", log_dir=logs, display="none",
                   **IN_PROCESS_EVAL)[0]
        seconds = time.perf_counter() - start
    if log.status != "success":
        raise SystemExit(f"the floor run failed: {log.error}")
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
    bare_times, task_times, model_times, floor_times = [], [], [], []
    for r in range(args.rounds):
        floor_times.append(inspect_floor(prompts))
        bare_times.append(bare_loop(bare, prompts))
        before = model.busy_seconds
        task_times.append(through_task(args.conditions, qs))
        model_times.append(model.busy_seconds - before)
        print(f"round {r + 1}: floor {floor_times[-1]:.1f} s, bare {bare_times[-1]:.1f} s, "
              f"task {task_times[-1]:.1f} s, of "
              f"which in the model {model_times[-1]:.1f} s (load {os.getloadavg()[0]:.2f})",
              flush=True)
    b, best = min(bare_times), task_times.index(min(task_times))
    t, m = task_times[best], model_times[best]
    n = len(prompts)
    print(f"bare llama_cpp loop : {b:8.1f} s  ({b / n * 1000:.1f} ms per prompt)")
    print(f"Inspect task        : {t:8.1f} s  ({t / n * 1000:.1f} ms per prompt; model "
          f"{m / n * 1000:.1f} ms, Inspect and scoring {(t - m) / n * 1000:.1f} ms)")
    print(f"ratio task / bare   : {t / b:8.3f}  (target <= 1.15)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS)   : {peak:8.0f} MB (the whole process: model, bare loop, runs)")
    f = min(floor_times)
    print(f"Inspect's floor     : {f:8.1f} s  ({f / n * 1000:.1f} ms per sample with an instant "
          f"model and a trivial scorer; bare + floor = {(b + f) / b:.3f} x bare)")


if __name__ == "__main__":
    main()
