"""``pinocchio-eval run-local``: the battery on the embedded Gemma model, through Inspect.

Starts llama.cpp's OpenAI-compatible server on 127.0.0.1, runs the ``pinocchio`` Inspect task
against it with ``inspect_ai.eval`` (Inspect shows its own progress), prints Π_self with the
parse and refusal rates, and leaves an ordinary Inspect log in ``--out`` for ``inspect view``
and ``pinocchio-eval score``.

Gemma 3 270M here is a *base* model and its GGUF carries no chat template (llama.cpp would
fall back to a Llama-2 ``[INST]`` template it was never trained on). So by default the prompt
goes through the completions endpoint as plain text, exactly as rendered, ending with the
answer cue; ``--api chat`` is there for comparison and for instruction-tuned GGUFs.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

SERVICE = "llamacpp"  # env vars LLAMACPP_BASE_URL / LLAMACPP_API_KEY for the provider
QUICK_SUBSET = "bfi-2,dass-21,swls,rses,erq,cmq"


def model_spec(api: str, model_name: str) -> str:
    """Inspect model name for the local server (completions or chat endpoint)."""
    provider = "openai-api-completions" if api == "completions" else "openai-api"
    return f"{provider}/{SERVICE}/{model_name}"


def _fmt(x: Any) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def summarise(log: Any) -> dict[str, Any]:
    """Headline numbers of one Inspect log (metrics plus status counts)."""
    from collections import Counter

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
              repeats: int = 1, display: str | None = None) -> Any:
    """Run the task on the embedded model; return the Inspect log (server always stopped)."""
    from inspect_ai import eval as inspect_eval

    from ..inspect_task.task import pinocchio
    from ..local_server import LocalModelServer

    task = pinocchio(conditions=conditions, questionnaires=questionnaires,
                     max_tokens=max_tokens, logprobs=logprobs, repeats=repeats)
    os.environ.setdefault(f"{SERVICE.upper()}_API_KEY", "local")
    # logprobs from llama-cpp-python need logits for every position (slow: 262k vocabulary)
    with LocalModelServer(logits_all=logprobs) as server:
        click.echo(f"[run-local] model server on {server.base_url} (log: {server.log_file})")
        logs = inspect_eval(task, model=model_spec(api, server.model_name),
                            model_base_url=server.base_url, log_dir=str(out), limit=limit,
                            max_connections=1,  # one slot: keep llama.cpp's prefix cache warm
                            display=display or _display_for_stdout(), fail_on_error=False)
    return logs[0]


def print_summary(log: Any, seconds: float) -> None:
    info = summarise(log)
    m = info["metrics"]
    click.echo("")
    click.echo(f"[run-local] {info['samples']} samples in {seconds:.0f} s "
               f"({log.eval.model}, run status {info['status']})")
    click.echo(f"  pi_self       {_fmt(m.get('pi_self'))}")
    click.echo(f"  parse_rate    {_fmt(m.get('parse_rate'))}")
    click.echo(f"  refusal_rate  {_fmt(m.get('refusal_rate'))}")
    for k in sorted(k for k in m if k.startswith("mean_")):
        click.echo(f"  {k:<13} {_fmt(m[k])}  (mean rating, 0 = scale min, 1 = max)")
    click.echo(f"  statuses      {info['statuses']}")
    if m.get("pi_self") is None or math.isnan(m.get("pi_self", math.nan)):
        click.echo("  pi_self needs both neutral and human_simulation answers with a "
                   "parsed rating on weighted items")
    click.echo(f"  log           {log.location}")


@click.command("run-local")
@click.option("--conditions", default="neutral,human_simulation", show_default=True,
              help="Comma-separated conditions (Π_self needs neutral and human_simulation).")
@click.option("--questionnaires", "-q", default=None,
              help=f"Names or ids, comma separated (default: the whole analysed battery; "
                   f"'quick' = {QUICK_SUBSET}).")
@click.option("--limit", type=int, default=None, help="Run only the first N samples.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("logs/run-local"),
              show_default=True, help="Inspect log folder.")
@click.option("--api", type=click.Choice(["completions", "chat"]), default="completions",
              show_default=True, help="Server endpoint (the base model has no chat template).")
@click.option("--max-tokens", type=int, default=5, show_default=True)
@click.option("--repeats", type=int, default=1, show_default=True)
@click.option("--logprobs", is_flag=True,
              help="Store the expected rating from top log-probabilities (much slower here).")
def run_local_command(conditions: str, questionnaires: str | None, limit: int | None, out: Path,
                      api: str, max_tokens: int, repeats: int, logprobs: bool) -> None:
    """Run the battery on the embedded Gemma 3 270M model and print Π_self."""
    if questionnaires == "quick":
        questionnaires = QUICK_SUBSET
    start = time.monotonic()
    log = run_local(conditions, questionnaires, limit, out, api=api, max_tokens=max_tokens,
                    logprobs=logprobs, repeats=repeats)
    print_summary(log, time.monotonic() - start)
    if log.status != "success":
        raise click.ClickException(f"the run ended with status '{log.status}': "
                                   f"{log.error.message if log.error else ''}")


def register(cli_group: click.Group) -> None:
    """Add ``run-local`` to the ``pinocchio-eval`` command group."""
    cli_group.add_command(run_local_command)
