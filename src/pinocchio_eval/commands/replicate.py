"""``pinocchio-eval replicate``: the paper's study (its 50 models × 3 conditions) in one command.

The run is Inspect's ``eval_set`` over the battery task, one log per model in ``--log-dir``:
eval-set retries failed tasks, and running the same command again with the same log folder
skips models whose log is complete and resumes the others without asking a finished sample
again. ``--dry-run`` builds exactly the samples the run would send and prints what they cost
(prompts and estimated tokens per model) without calling anything.

This module also holds the ``report --compare-paper`` output (:func:`report_text`): the
study's last step, comparing the replication with the paper's board.
"""

from __future__ import annotations

import difflib
import inspect
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml

from ..battery import get_battery
from ..leaderboard.paper_scatter import render_paper_scatter
from ..outputs import json_ready
from ..paper_reference import paper_model_ids
from ..scoring.compare_paper import compare_with_paper
from ..scoring.report import build_report
from ._common import command

PAPER = "paper"
DEFAULT_PROVIDER = "openrouter"
DEFAULT_LOG_DIR = "logs/replicate"
#: Characters per token for the input estimate (English prose with GPT-style BPE tokenizers;
#: docs/replication.md gives the figure measured on the battery with a real tokenizer).
CHARS_PER_TOKEN = 4.0
#: Providers whose only way in is one key variable: a missing key is caught before the run
#: (otherwise every model would fail and be retried with growing waits). Providers with
#: several ways to authenticate (cloud accounts, proxies) are left to Inspect.
PROVIDER_KEYS = {"openrouter": "OPENROUTER_API_KEY"}
#: eval_set arguments this command sets itself (or that would change what is run).
MANAGED = {"tasks", "model", "log_dir", "task_args", "solver", "epochs", "model_roles",
           "scanner", "sandbox"}


class ReplicateError(click.ClickException):
    """A problem the user can fix (bad model file, unknown option, missing key)."""


# ------------------------------------------------------------------------------- models

def read_model_file(path: str | Path) -> list[str]:
    """Model ids from a JSON list (the authors' ``models.json``) or one id per line (# = note)."""
    path = Path(path)
    if not path.is_file():
        raise ReplicateError(f"--models {path}: no such file (give 'paper' or a file of ids)")
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            ids = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReplicateError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})"
                                 ) from None
        if not all(isinstance(i, str) and i.strip() for i in ids):
            raise ReplicateError(f"{path}: a JSON model list must hold non-empty strings")
        ids = [i.strip() for i in ids]
        lines = list(range(1, len(ids) + 1))
    else:
        pairs = [(n, ln.split("#", 1)[0].strip())
                 for n, ln in enumerate(text.splitlines(), start=1)]
        pairs = [(n, i) for n, i in pairs if i]
        ids, lines = [i for _, i in pairs], [n for n, _ in pairs]
    seen: dict[str, int] = {}
    for model_id, line in zip(ids, lines, strict=True):
        if model_id in seen:
            raise ReplicateError(f"{path}: model {model_id!r} is listed twice (entries "
                                 f"{seen[model_id]} and {line}); remove one")
        seen[model_id] = line
    if not ids:
        raise ReplicateError(f"{path}: no model ids found")
    return ids


def resolve_models(spec: str) -> list[str]:
    """``paper`` (the paper's 50 models) or a model file."""
    if spec == PAPER:
        return paper_model_ids()
    return read_model_file(spec)


def inspect_model_names(ids: Sequence[str], provider: str) -> list[str]:
    """Inspect model names: ``<provider>/<id>``; provider ``none`` keeps the ids as given."""
    if provider in ("none", ""):
        return list(ids)
    return [i if i.startswith(provider + "/") else f"{provider}/{i}" for i in ids]


def select_shard(models: list[str], shard: str | None) -> list[str]:
    """Every N-th model starting at K for ``K/N`` (1-based), so N machines split the list."""
    if not shard:
        return models
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", shard)
    if not m or not 1 <= int(m[1]) <= int(m[2]):
        raise ReplicateError(f"--shard {shard!r}: expected K/N with 1 ≤ K ≤ N, e.g. 2/4")
    k, n = int(m[1]), int(m[2])
    return models[k - 1::n]


# ------------------------------------------------------------------ pass-through options

def _allowed_options() -> set[str]:
    from inspect_ai import eval_set  # lazy: optional (inspect_ai)
    from inspect_ai.model import GenerateConfigArgs  # lazy: optional (inspect_ai)

    names = {p for p in inspect.signature(eval_set).parameters if p != "kwargs"}
    return (names | set(GenerateConfigArgs.__annotations__)) - MANAGED


def _value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def parse_inspect_options(args: Sequence[str]) -> dict[str, Any]:
    """``--max-connections 20 --batch --no-fail-on-error`` → eval_set keyword arguments.

    ``--name VALUE`` and ``--name=VALUE`` take YAML scalars (numbers, true/false); a bare
    ``--name`` is True and ``--no-name`` False. Names are eval_set's parameters and Inspect's
    generate-config fields, spelled as on Inspect's command line.
    """
    allowed = _allowed_options()
    out: dict[str, Any] = {}
    i = 0
    while i < len(args):
        tok = args[i]
        if not tok.startswith("--") or tok == "--":
            raise ReplicateError(f"unexpected argument {tok!r}: Inspect options go as "
                                 "--name VALUE, model arguments as --model-args "
                                 "'{key: value}' (see --help)")
        name, eq, raw = tok[2:].partition("=")
        key = name.replace("-", "_")
        value: Any = True
        if not eq and key.startswith("no_") and key[3:] in allowed:
            key, value = key[3:], False
        elif eq:
            value = _value(raw)
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            value = _value(args[i + 1])
            i += 1
        if key in MANAGED:
            hint = {"epochs": "use --repeats", "model": "use --models/--provider",
                    "log_dir": "use --log-dir"}.get(key, "this command sets it")
            raise ReplicateError(f"--{name}: not accepted here ({hint})")
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=3)
            hint = f"; did you mean {', '.join('--' + c.replace('_', '-') for c in close)}?" \
                if close else ""
            raise ReplicateError(f"--{name}: not an Inspect eval-set option{hint}")
        out[key] = value
        i += 1
    return out


# -------------------------------------------------------------------------------- plan

@dataclass
class StudyPlan:
    """What a run sends: the same samples for every model."""

    models: list[str]
    conditions: list[str]
    questionnaires: int
    items: int
    prompts_per_model: int
    input_tokens_per_model: int
    max_tokens: int
    repeats: int
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def output_tokens_per_model(self) -> tuple[int, int]:
        """At least one token per answer, at most the answer budget."""
        return self.prompts_per_model, self.prompts_per_model * self.max_tokens

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.output_tokens_per_model
        per_model = [{"model": m, "prompts": self.prompts_per_model,
                      "input_tokens": self.input_tokens_per_model,
                      "output_tokens_min": lo, "output_tokens_max": hi} for m in self.models]
        n = len(self.models)
        return {"models": per_model, "n_models": n, "conditions": self.conditions,
                "questionnaires": self.questionnaires, "items": self.items,
                "repeats": self.repeats, "max_tokens": self.max_tokens,
                "prompts_per_model": self.prompts_per_model,
                "total": {"prompts": n * self.prompts_per_model,
                          "input_tokens": n * self.input_tokens_per_model,
                          "output_tokens_min": n * lo, "output_tokens_max": n * hi},
                "token_estimate": f"input: characters / {CHARS_PER_TOKEN:g} of the rendered "
                                  "prompts; output: 1 to max_tokens per prompt",
                "inspect_options": self.options}

    def text(self) -> str:
        d = self.to_dict()
        lo, hi = self.output_tokens_per_model
        width = max([len(m) for m in self.models] + [5])
        lines = [f"{d['n_models']} models × {len(self.conditions)} conditions "
                 f"({', '.join(self.conditions)}) × {self.items:,} items of "
                 f"{self.questionnaires} questionnaires"
                 + (f" × {self.repeats} repeats" if self.repeats > 1 else "")
                 + f" = {self.prompts_per_model:,} prompts per model, "
                   f"{d['total']['prompts']:,} in total",
                 f"Tokens: {d['token_estimate']} (max_tokens = {self.max_tokens}).", "",
                 f"{'model':<{width}}  {'prompts':>9}  {'input tokens':>13}  "
                 f"{'output tokens (min-max)':>25}"]
        for m in self.models:
            lines.append(f"{m:<{width}}  {self.prompts_per_model:>9,}  "
                         f"{self.input_tokens_per_model:>13,}  {f'{lo:,}-{hi:,}':>25}")
        t = d["total"]
        out_range = f"{t['output_tokens_min']:,}-{t['output_tokens_max']:,}"
        lines.append(f"{'total':<{width}}  {t['prompts']:>9,}  {t['input_tokens']:>13,}  "
                     f"{out_range:>25}")
        tasks = min(self.options.get("max_tasks") or len(self.models), len(self.models))
        conns = self.options.get("max_connections")
        lines += ["", f"At once: {tasks} model(s) (--max-tasks) × "
                  + (f"{conns} requests each (--max-connections)" if conns else
                     "a number of requests Inspect adapts to the provider's limits "
                     "(--max-connections fixes it)")]
        if self.options:
            lines.append("Inspect options: " + ", ".join(f"{k}={v!r}"
                                                         for k, v in self.options.items()))
        return "\n".join(lines) + "\n"


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def plan_study(models: list[str], conditions: str | None, questionnaires: str | None,
               text: str, max_tokens: int, repeats: int,
               options: dict[str, Any] | None = None) -> StudyPlan:
    """Count what the run would send, from the very samples the task builds."""
    from ..inspect_task.task import build_samples  # lazy: optional (inspect_ai)

    samples = build_samples(conditions, questionnaires, text)
    limit = (options or {}).get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool):
        samples = samples[:limit]
    conds = list(dict.fromkeys(s.metadata["condition"] for s in samples))
    keys = {(s.metadata["questionnaire"], s.metadata["item_index"]) for s in samples}
    battery = get_battery()  # a questionnaire stored in parts (MFQ) counts once
    n_q = len({battery.get(q).family or q for q, _ in keys})
    input_tokens = sum(estimate_tokens(str(s.input)) for s in samples) * repeats
    return StudyPlan(models=models, conditions=conds, questionnaires=n_q, items=len(keys),
                     prompts_per_model=len(samples) * repeats,
                     input_tokens_per_model=input_tokens, max_tokens=max_tokens,
                     repeats=repeats, options=dict(options or {}))


# --------------------------------------------------------------------------------- run

def run_study(models: Sequence[Any], log_dir: str | Path, conditions: str | None = None,
              questionnaires: str | None = None, text: str = "corrected",
              max_tokens: int | None = None, repeats: int = 1,
              **options: Any) -> tuple[bool, list[Any]]:
    """``eval_set`` of the battery over ``models`` (names or Inspect Model objects).

    Returns eval_set's (success, logs). Calling it again with the same ``log_dir`` and the
    same task settings resumes: complete logs are kept, failed ones continue where they
    stopped.
    """
    from inspect_ai import eval_set  # lazy: optional (inspect_ai)

    from ..inspect_task.task import DEFAULT_MAX_TOKENS, pinocchio  # lazy: optional (inspect_ai)

    task = pinocchio(conditions=conditions, questionnaires=questionnaires, text=text,
                     max_tokens=max_tokens or DEFAULT_MAX_TOKENS, repeats=repeats)
    return eval_set(task, model=list(models), log_dir=str(log_dir), **options)


def _check_keys(provider: str) -> None:
    var = PROVIDER_KEYS.get(provider)
    if var and not os.environ.get(var):
        raise ReplicateError(f"{var} is not set: the {provider} provider needs it (export it, "
                             "or try --dry-run first)")


def _log_line(log: Any) -> str:
    res = getattr(log, "results", None)
    done = f"{res.completed_samples}/{res.total_samples} samples" if res else "no results"
    return f"  {log.eval.model}: {log.status}, {done}"


@command("replicate", context_settings={"ignore_unknown_options": True,
                                              "allow_extra_args": True})
@click.option("--models", "models_spec", default=PAPER, show_default=True,
              help="'paper' (the paper's 50 models) or a file of model ids: a JSON list "
                   "like the authors' models.json, or one id per line.")
@click.option("--provider", default=DEFAULT_PROVIDER, show_default=True,
              help="Inspect provider put before each id (openrouter/<id>); 'none' uses "
                   "the ids as full Inspect model names.")
@click.option("--log-dir", default=DEFAULT_LOG_DIR, show_default=True,
              help="Eval-set log folder; running again with the same folder resumes.")
@click.option("--dry-run", is_flag=True,
              help="Print models, prompts and estimated tokens per model; call nothing.")
@click.option("--conditions", default=None,
              help="Comma-separated (default: the paper's three).")
@click.option("--questionnaires", "-q", default=None,
              help="Names or ids (default: the analysed set; 'all' adds the two superseded "
                   "instruments the authors also queried).")
@click.option("--text", type=click.Choice(["corrected", "source"]), default="corrected",
              show_default=True, help="'source' sends the items exactly as the authors did.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=None,
              help="Answer budget per prompt (default: the task's, 256).")
@click.option("--repeats", type=click.IntRange(min=1), default=1, show_default=True,
              help="Times each item is asked (Inspect epochs).")
@click.option("--shard", default=None,
              help="K/N: run only every N-th model from the K-th, to split the study over "
                   "N machines (give each its own --log-dir).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output of --dry-run.")
@click.argument("inspect_args", nargs=-1, type=click.UNPROCESSED)
def replicate_command(models_spec: str, provider: str, log_dir: str, dry_run: bool,
                      conditions: str | None, questionnaires: str | None, text: str,
                      max_tokens: int | None, repeats: int, shard: str | None, fmt: str,
                      inspect_args: tuple[str, ...]) -> None:
    """Re-run the paper's study through Inspect's eval-set, resumably.

    Every model gets the battery in the chosen conditions, one log per model in --log-dir.
    Any further option goes to Inspect's eval-set as on its command line, e.g.
    --max-connections 20 (requests in flight per model), --max-tasks 10 (models at once),
    --batch (the provider's batch API where it has one: about half price, slower),
    --retry-attempts 5, --temperature 0, --limit 30 (first N samples, for a trial).
    Details and the vLLM / multi-machine recipes: docs/replication.md.

    \b
    Whole study:
      pinocchio-eval replicate --dry-run
      pinocchio-eval replicate --log-dir logs/replicate --max-connections 20
      pinocchio-eval report logs/replicate --compare-paper --format json
    """
    from ..inspect_task.task import DEFAULT_MAX_TOKENS  # lazy: optional (inspect_ai)

    options = parse_inspect_options(inspect_args)
    models = inspect_model_names(select_shard(resolve_models(models_spec), shard), provider)
    if not models:
        raise ReplicateError(f"--shard {shard}: selects no model from {models_spec!r}")
    budget = max_tokens or DEFAULT_MAX_TOKENS
    if dry_run:
        try:
            plan = plan_study(models, conditions, questionnaires, text, budget, repeats,
                              options)
        except ValueError as exc:
            raise ReplicateError(str(exc)) from None
        if fmt == "json":
            click.echo(json.dumps(plan.to_dict(), indent=1))
        else:
            click.echo(plan.text(), nl=False)
            click.echo(f"Dry run: nothing was called. The run writes one log per model to "
                       f"{log_dir}; running it again with the same --log-dir resumes.")
        return
    _check_keys(provider)
    try:
        success, logs = run_study(models, log_dir, conditions=conditions,
                                  questionnaires=questionnaires, text=text,
                                  max_tokens=budget, repeats=repeats, **options)
    except ValueError as exc:
        raise ReplicateError(str(exc)) from None
    except Exception as exc:  # Inspect's own prerequisite errors (e.g. a dirty log folder)
        if type(exc).__name__ == "PrerequisiteError":  # its text carries rich markup
            raise ReplicateError(re.sub(r"\[/?bold\]", "", str(exc)).strip()) from None
        raise
    click.echo(f"[replicate] {len(logs)} log(s) in {log_dir}:")
    for log in logs:
        click.echo(_log_line(log))
    if not success:
        raise ReplicateError(f"not every model finished; run the same command again to "
                             f"resume (finished samples are kept in {log_dir})")
    click.echo(f"[replicate] done. Compare: pinocchio-eval report {log_dir} --compare-paper")


# ---------------------------------------------------------------- report --compare-paper

def scatter_path(out: str | None) -> Path:
    """The scatter plot goes beside --out, or into the current folder."""
    if out:
        p = Path(out)
        return p.with_name(p.stem + "-vs-paper.png")
    return Path("pinocchio-vs-paper.png")


def report_text(result: Any, fmt: str, seed: int, compare_paper: bool,
                out: str | None) -> str:
    """``report`` output: Markdown (the panel report + the paper section) or JSON.

    JSON holds the per-model ``scores`` (with the fact and panel-resample columns, as in the
    Markdown's score table), the panel-level figures (``status``, ``summary``, ``notes``) and, with
    ``compare_paper``, a ``compare_paper`` object (``spearman``, ``n_models``, ``unmatched``,
    the llm_analog variant, PC1/PC2 shares, the shared models and the plot's path).
    """
    comparison = plot = None
    if compare_paper:
        comparison = compare_with_paper(result)
        plot = render_paper_scatter(comparison, scatter_path(out))
        click.echo(f"wrote {plot}", err=True)
    if fmt == "json":
        doc: dict[str, Any] = {"scores": result.scores.to_dict(orient="records"),
                               "status": result.status, "summary": result.summary,
                               "notes": result.notes}
        if comparison is not None:
            doc["compare_paper"] = {**comparison.to_dict(), "plot": str(plot)}
        return json.dumps(json_ready(doc), indent=1, ensure_ascii=False) + "\n"
    text = build_report(result, seed=seed)
    if comparison is not None:
        text += "\n" + comparison.markdown() + f"\nScatter plot: `{plot}`\n"
    return text


def register(cli_group: click.Group) -> None:
    """Add ``replicate`` to the ``pinocchio-eval`` command group."""
    cli_group.add_command(replicate_command)
