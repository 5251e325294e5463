"""``pinocchio-eval run-local``: the battery on the embedded Gemma model, through Inspect.

Gemma 3 270M is a *base* model: asked an item, it mostly continues the questionnaire instead of
writing a number. So by default (``--reading probabilities``) each item is read from the
model's probability of every scale value at the answer position, through the in-process
``llama-cpp-local`` Inspect provider (one token per prompt, the shared prompt prefix reused).
``--reading text`` parses generated answers instead, through llama.cpp's OpenAI-compatible
server on 127.0.0.1 (completions endpoint: the GGUF has no chat template; ``--api chat`` is
there for instruction-tuned GGUFs).

Either way ``inspect_ai.eval`` runs the ``pinocchio`` task, an ordinary Inspect log lands in
``--out`` (for ``inspect view`` and ``pinocchio-eval score``), and the command prints Π_self
with its 95 % questionnaire-bootstrap interval, the items it rests on, the rate of rated
prompts and, for the probability reading, the mean probability on the scale.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..responses import ResponseTableError
from ..scoring.engine import ScoringError, score_table
from ._common import command

SERVICE = "llamacpp"  # env vars LLAMACPP_BASE_URL / LLAMACPP_API_KEY for the provider
QUICK_SUBSET = "bfi-2,dass-21,swls,rses,erq,cmq"
#: Bootstrap draws for the printed Π_self interval (seeded: the same run prints the same).
BOOTSTRAP = 1000
#: Inspect options for the in-process probability run (the main job, and its benchmark):
#: one sample at a time in dataset order, so consecutive prompts share the KV cache and a rerun
#: reads the same numbers (a cached prefix and a recomputed one differ by up to ~0.02 in a
#: scale value's probability); no live metric display (Inspect recomputes every metric over all
#: samples so far, Π_self's bootstrap included: ~8 % of the full battery's time); no realtime
#: sample buffer (``inspect view`` shows the log once samples are flushed, not live). The
#: metrics are still computed once at the end and stored in the log.
IN_PROCESS_EVAL: dict[str, Any] = {"max_samples": 1, "score_display": False,
                                   "log_realtime": False}


@contextlib.contextmanager
def full_collections_deferred() -> Iterator[None]:
    """Python's cycle collector without its automatic full passes, for one in-process run.

    Inspect keeps every finished sample of a run in memory until the log is written, and
    each automatic full collection rescans all of them: on the full battery that was ~2 ms of
    a ~75 ms prompt (with an instant model, ~3 of 8 ms per sample). Young collections still
    run, so most cyclic garbage is freed as it dies; the full pass runs once, at the end.
    Cost: cycles that outlive a young collection wait for that pass (peak memory, measured
    by ``benchmarks/bench_local_model.py``).
    """
    old = gc.get_threshold()
    gc.set_threshold(old[0], old[1], 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.collect()


def model_spec(api: str, model_name: str) -> str:
    """Inspect model name for the local server (completions or chat endpoint)."""
    provider = "openai-api-completions" if api == "completions" else "openai-api"
    return f"{provider}/{SERVICE}/{model_name}"


def local_model_spec(model_name: str) -> str:
    """Inspect model name for the embedded model run in-process (probability reading)."""
    from ..inspect_task.local_provider import PROVIDER  # lazy: optional (inspect_ai)

    return f"{PROVIDER}/{model_name}"


def _fmt(x: Any) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def summarise(log: Any) -> dict[str, Any]:
    """Headline numbers of one Inspect log (metrics plus status counts)."""
    metrics: dict[str, float] = {}
    if log.results and log.results.scores:
        metrics = {k: m.value for k, m in log.results.scores[0].metrics.items()}
    statuses: Counter[str] = Counter()
    for s in log.samples or []:
        sc = next(iter((s.scores or {}).values()), None)
        statuses[(sc.metadata or {}).get("status", "?") if sc else "unscored"] += 1
    return {"metrics": metrics, "statuses": dict(statuses),
            "samples": len(log.samples or []), "status": log.status}


def _display_for_stdout() -> str:
    """Inspect's live display in a terminal; one progress line per step in logs and CI."""
    return "full" if sys.stdout.isatty() else "plain"


def run_local(conditions: str, questionnaires: str | None, limit: int | None, out: Path,
              api: str = "completions", max_tokens: int = 5, logprobs: bool = False,
              repeats: int = 1, display: str | None = None,
              reading: str = "probabilities") -> Any:
    """Run the task on the embedded model; return the Inspect log (any server always stopped)."""
    from inspect_ai import eval as inspect_eval  # lazy: optional (inspect_ai)

    from ..inspect_task.task import pinocchio  # lazy: optional (inspect_ai)

    # lazy: start (local_server: urllib, subprocess)
    from ..local_server import MODEL_ALIAS, LocalModelServer

    task = pinocchio(conditions=conditions, questionnaires=questionnaires,
                     max_tokens=max_tokens, logprobs=logprobs, repeats=repeats,
                     reading=reading)
    common: dict[str, Any] = dict(log_dir=str(out), limit=limit, fail_on_error=False,
                                  display=display or _display_for_stdout())
    if reading == "probabilities":
        click.echo("[run-local] reading ratings from probabilities (in-process model)")
        with full_collections_deferred():
            return inspect_eval(task, model=local_model_spec(MODEL_ALIAS),
                                **IN_PROCESS_EVAL, **common)[0]
    os.environ.setdefault(f"{SERVICE.upper()}_API_KEY", "local")
    # logprobs from llama-cpp-python's server need logits for every position (slow)
    with LocalModelServer(logits_all=logprobs) as server:
        click.echo(f"[run-local] model server on {server.base_url} (log: {server.log_file})")
        return inspect_eval(task, model=model_spec(api, server.model_name),
                            model_base_url=server.base_url,
                            max_connections=1,  # one slot: keep llama.cpp's prefix cache warm
                            **common)[0]


def pi_self_interval(log: Any, bootstrap: int = BOOTSTRAP) -> dict[str, float]:
    """Π_self, its 95 % questionnaire-bootstrap interval and item count, from the log's table."""
    # lazy: start (the Inspect log reader and its parquet cache)
    from ..inspect_task.reader import read_inspect_logs

    table = read_inspect_logs(str(log.location).removeprefix("file://"))
    row = score_table(table, methods=("self",), bootstrap=bootstrap, seed=0).scores.iloc[0]
    return {k: float(row.get(k, math.nan)) for k in
            ("pi_self", "pi_self_lo", "pi_self_hi", "n_items_self")}


def print_summary(log: Any, seconds: float) -> None:
    info = summarise(log)
    m = info["metrics"]
    click.echo("")
    click.echo(f"[run-local] {info['samples']} samples in {seconds:.0f} s "
               f"({log.eval.model}, run status {info['status']})")
    try:
        ci = pi_self_interval(log)
    except (ResponseTableError, ScoringError) as exc:  # e.g. no sample rated: say why
        ci = {}
        click.echo(f"  (no Π_self interval: {exc})")
    if ci and not math.isnan(ci["pi_self"]):
        click.echo(f"  pi_self       {_fmt(ci['pi_self'])}  (95 % interval "
                   f"{_fmt(ci['pi_self_lo'])} … {_fmt(ci['pi_self_hi'])}, questionnaire "
                   f"bootstrap; {int(ci['n_items_self'])} items)")
    else:
        click.echo(f"  pi_self       {_fmt(m.get('pi_self'))}")
    click.echo(f"  rated         {_fmt(m.get('parse_rate'))}  (share of prompts with a rating)")
    if "scale_mass" in m and not math.isnan(m["scale_mass"]):
        click.echo(f"  scale_mass    {_fmt(m['scale_mass'])}  (mean probability on the scale's "
                   "values before renormalising)")
    click.echo(f"  refusal_rate  {_fmt(m.get('refusal_rate'))}")
    for k in sorted(k for k in m if k.startswith("mean_") and not k.endswith("_stderr")):
        se = m.get(f"{k}_stderr")
        spread = f" ± {_fmt(se)} (stderr clustered by questionnaire)" if se is not None else ""
        click.echo(f"  {k:<13} {_fmt(m[k])}{spread}  (mean rating, 0 = scale min, 1 = max)")
    click.echo(f"  statuses      {info['statuses']}")
    if m.get("pi_self") is None or math.isnan(m.get("pi_self", math.nan)):
        click.echo("  pi_self needs both neutral and human_simulation answers with a "
                   "rating on weighted items")
    click.echo(f"  log           {log.location}")


@command("run-local")
@click.option("--conditions", default="neutral,human_simulation", show_default=True,
              help="Comma-separated conditions (Π_self needs neutral and human_simulation).")
@click.option("--questionnaires", "-q", default=None,
              help=f"Names or ids, comma separated (default: the whole analysed battery; "
                   f"'quick' = {QUICK_SUBSET}).")
@click.option("--limit", type=int, default=None, help="Run only the first N samples.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("logs/run-local"),
              show_default=True, help="Inspect log folder.")
@click.option("--reading", type=click.Choice(["probabilities", "text"]),
              default="probabilities", show_default=True,
              help="probabilities: expected rating from the probability of each scale value "
                   "at the answer position (in-process model); text: parse generated answers "
                   "(model served on 127.0.0.1).")
@click.option("--api", type=click.Choice(["completions", "chat"]), default="completions",
              show_default=True, help="Server endpoint for --reading text (the base model has "
                                      "no chat template).")
@click.option("--max-tokens", type=int, default=5, show_default=True,
              help="Answer budget for --reading text.")
@click.option("--repeats", type=int, default=1, show_default=True)
@click.option("--logprobs", is_flag=True,
              help="With --reading text: also store the expected rating from the server's top "
                   "log-probabilities (much slower there).")
def run_local_command(conditions: str, questionnaires: str | None, limit: int | None, out: Path,
                      reading: str, api: str, max_tokens: int, repeats: int,
                      logprobs: bool) -> None:
    """Run the battery on the embedded Gemma 3 270M model and print Π_self."""
    if questionnaires == "quick":
        questionnaires = QUICK_SUBSET
    start = time.monotonic()
    log = run_local(conditions, questionnaires, limit, out, api=api, max_tokens=max_tokens,
                    logprobs=logprobs, repeats=repeats, reading=reading)
    print_summary(log, time.monotonic() - start)
    if log.status != "success":
        raise click.ClickException(f"the run ended with status '{log.status}': "
                                   f"{log.error.message if log.error else ''}")


def register(cli_group: click.Group) -> None:
    """Add ``run-local`` to the ``pinocchio-eval`` command group."""
    cli_group.add_command(run_local_command)
