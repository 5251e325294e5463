"""``pinocchio-eval score | items | calibrate | report``: the scoring engine on the command line.

Call :func:`register` with the CLI group to add the commands. Every failure the user can fix
(bad input, unknown questionnaire, a method the input cannot support) ends in a one-line
message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click
import pandas as pd

from ..leaderboard.model import provider_from_id
from ..outputs import csv_text, json_ready, markdown_cell
from ..scoring import PI_METHODS, PanelNorms, score_table
from ..scoring.factors import read_factors
from ..scoring.facts import load_models_info
from ..scoring.questions import analyse, parse_resample
from ..scoring.report import md_table
from ._common import (
    check_norms,
    command,
    echo_notes,
    group,
    include_superseded_option,
    input_options,
    load_responses,
    read_responses,
    write_output,
)
from .replicate import report_text

FORMATS = ("csv", "json", "markdown")


def _methods(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    bad = [n for n in names if n not in PI_METHODS]
    if bad:
        raise click.BadParameter(f"unknown method(s) {bad}; choose from {', '.join(PI_METHODS)}")
    return names


def _scores_text(result: Any, fmt: str) -> str:
    df = result.scores
    if fmt == "csv":
        return csv_text(df)
    if fmt == "json":
        doc = {"scores": df.to_dict(orient="records"), "status": result.status,
               "summary": result.summary, "notes": result.notes}
        return json.dumps(json_ready(doc), indent=1, ensure_ascii=False) + "\n"
    text = df.select_dtypes(exclude="number").columns
    safe = df.assign(**{c: df[c].map(markdown_cell) for c in text})
    lines = [md_table(safe), "", *[f"- {k}: {v}" for k, v in result.status.items()]]
    return "\n".join(lines) + "\n"


_inputs = click.argument("inputs", nargs=-1, required=True, type=click.Path())
_models_info = click.option(
    "--models-info", type=click.Path(), default=None,
    help="CSV or YAML of model facts: model, and any of provider, family, release_date "
         "(YYYY-MM-DD), parent (the base a fine-tune came from), notes. Adds those columns "
         "and the analyses by provider, over time and against the parent.")
_panel_resample = click.option(
    "--panel-resample", default=None, metavar="loo|N",
    help="How much Π_panel/Π_axis depend on the panel: 'loo' refits leaving out one model at "
         "a time (pi_*_loo_min/max, rank ranges); N does N refits on models drawn with "
         "replacement (pi_*_rs_lo/hi, rank intervals). Each refit fits the axis again: slow "
         "on big panels.")


def _questions(result: Any, table: pd.DataFrame, models_info: str | None,
               panel_resample: str | None, bootstrap: int, seed: int,
               include_superseded: bool = False, reparse: bool = False) -> Any:
    """Add the provider/trend/panel-dependence/fine-tune analyses when asked for."""
    mode = parse_resample(panel_resample)
    if models_info is None and mode is None:
        return result
    info = load_models_info(models_info) if models_info else None
    return analyse(result, table, info, provider_from_id, panel_resample=mode,
                   n_boot=bootstrap, seed=seed, include_superseded=include_superseded,
                   reparse=reparse)


def method_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--compat, --factors, --reparse and --min-parse-rate (docs/methods.md explains them)."""
    for option in reversed([
        click.option("--compat", type=click.Choice(["project", "paper"]), default="project",
                     show_default=True,
                     help="'paper' follows the authors' analysis rule for rule (their π "
                          "rounding, text-keyed items, PCA fallback, bootstrap; seed 42) to "
                          "get the paper's numbers back; 'project' is the documented default."),
        click.option("--factors", "factors_file", type=click.Path(), default=None,
                     help="CSV shaped like the paper's efa_results/summary.csv (questionnaire, "
                          "condition, method, n_factors): fix each questionnaire's number of "
                          "factors (neutral rows) instead of parallel analysis."),
        click.option("--reparse", is_flag=True,
                     help="Re-parse response_raw where the table left response empty (by "
                          "default such an answer stays missing: the table judged it "
                          "unreadable)."),
        click.option("--min-parse-rate", type=click.FloatRange(0, 1), default=None,
                     help="Drop models whose share of usable answers is below this (e.g. "
                          "0.9); the notes list them."),
    ]):
        func = option(func)
    return func


def method_kwargs(compat: str, factors_file: str | None, reparse: bool,
                  min_parse_rate: float | None) -> dict[str, Any]:
    """The options of :func:`method_options` as keyword arguments of the scoring API."""
    return {"compat": compat, "reparse": reparse, "min_parse_rate": min_parse_rate,
            "factors": read_factors(factors_file) if factors_file else None}


_seed = click.option("--seed", type=int, default=None,
                     help="Random seed for bootstrap and parallel analysis [default: 0; 42, "
                          "the authors' seed, with --compat paper].")


_norms = click.option("--norms", type=click.Path(), default=None, callback=check_norms,
                      help="Score against frozen norms from 'pinocchio-eval calibrate'.")


@command("score")
@_inputs
@click.option("--method", "method", default=None,
              help="Comma-separated: panel,axis,self (default: all the input supports).")
@_norms
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap draws over questionnaires for 95 % intervals (0 = none).")
@_seed
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(), default=None, help="Write here instead of stdout.")
@include_superseded_option
@_models_info
@_panel_resample
@method_options
@input_options
def score_command(inputs: tuple[str, ...], method: str | None, norms: str | None,
                  bootstrap: int, seed: int | None, fmt: str, out: str | None,
                  include_superseded: bool, models_info: str | None,
                  panel_resample: str | None, all_runs: bool, drop_unknown_items: bool,
                  **options: Any) -> None:
    """Π per model (panel, axis and self-anchored methods) from response tables or logs.

    Each (harness, task, model) counts its latest complete run only (see --all-runs).
    --compat paper reproduces the authors' analysis; docs/methods.md lists every difference
    from the default method and its measured effect.
    """
    kwargs = method_kwargs(**options)
    got = read_responses(inputs, out, all_runs, drop_unknown_items)
    frozen = PanelNorms.load(norms) if norms else None
    result = score_table(got.responses, methods=_methods(method), bootstrap=bootstrap,
                         seed=seed, norms=frozen, include_superseded=include_superseded,
                         **kwargs)
    result = _questions(result, got.responses, models_info, panel_resample, bootstrap,
                        result.summary.get("seed", seed or 0), include_superseded,
                        kwargs["reparse"])
    result.notes = [*got.notes, *result.notes]  # skipped runs travel with the scores
    echo_notes(result.notes)
    write_output(_scores_text(result, fmt), out)


@command("items")
@_inputs
@click.option("--out", type=click.Path(), default=None, help="CSV file (default: stdout).")
@include_superseded_option
@method_options
def items_command(inputs: tuple[str, ...], out: str | None, include_superseded: bool,
                  **options: Any) -> None:
    """The per-item table: variances per condition, counts, π and the capped log weight."""
    result = score_table(load_responses(inputs, out), methods=("panel",),
                         include_superseded=include_superseded, **method_kwargs(**options))
    if result.items is None:
        raise click.ClickException(f"no item table: panel {result.status['panel']}")
    write_output(csv_text(result.items), out)


@command("calibrate")
@_inputs
@click.option("--out", type=click.Path(), required=True, help="Norms JSON file to write.")
@_seed
@include_superseded_option
@method_options
def calibrate_command(inputs: tuple[str, ...], out: str, seed: int | None,
                      include_superseded: bool, **options: Any) -> None:
    """Fit norms on a panel and save them, to place later models on this panel's scale.

    Norms are the project's method: with --compat paper this stops with the reason (the
    authors scored each panel on itself).
    """
    scorer = PanelNorms(seed=seed or 0, include_superseded=include_superseded,
                        **method_kwargs(**options))
    scorer.fit(load_responses(inputs, out))
    scorer.save(out)
    click.echo(f"wrote {out} ({len(scorer.provenance_['models'])} models, "
               f"{scorer.provenance_['n_weighted_items']} weighted items)", err=True)


@command("report")
@_inputs
@click.option("--out", type=click.Path(), default=None, help="Output file (default: stdout).")
@_seed
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap draws for the between-provider share and each fine-tune's ΔΠ.")
@click.option("--compare-paper", is_flag=True,
              help="Compare with the paper's 50-model board: Spearman ρ of Π ranks (neutral "
                   "and llm_analog), PC1/PC2 shares, unmatched ids, and a scatter plot PNG "
                   "written beside --out.")
@click.option("--format", "fmt", type=click.Choice(("markdown", "json")), default="markdown",
              show_default=True)
@include_superseded_option
@_models_info
@_panel_resample
@method_options
def report_command(inputs: tuple[str, ...], out: str | None, seed: int | None, bootstrap: int,
                   compare_paper: bool, fmt: str, include_superseded: bool,
                   models_info: str | None, panel_resample: str | None, **options: Any) -> None:
    """A report of the paper's panel statistics on this panel (Markdown or JSON).

    With --models-info it adds Π by provider and family (with the between-provider share of
    variance), Π against release date, and each fine-tune's ΔΠ against its parent; with
    --panel-resample, how stable the ranking is under a different panel; with --compare-paper,
    how this panel's Π ranks agree with the paper's. --compat paper scores the panel the
    authors' way (docs/methods.md).
    """
    table = load_responses(inputs, out)
    kwargs = method_kwargs(**options)
    result = score_table(table, seed=seed, include_superseded=include_superseded, **kwargs)
    seed = result.summary.get("seed", seed or 0)
    result = _questions(result, table, models_info, panel_resample, bootstrap, seed,
                        include_superseded, kwargs["reparse"])
    write_output(report_text(result, fmt, seed=seed, compare_paper=compare_paper, out=out), out)


def register(cli_group: click.Group) -> None:
    """Add ``score``, ``items``, ``calibrate`` and ``report`` to the CLI group."""
    for each in (score_command, items_command, calibrate_command, report_command):
        cli_group.add_command(each)


@group()
def _standalone() -> None:
    """Scoring commands (standalone entry for testing: python -m pinocchio_eval.commands.score)."""


register(_standalone)

if __name__ == "__main__":
    _standalone(prog_name="pinocchio-eval", args=sys.argv[1:])
