"""``pinocchio-eval leaderboard build | merge | paper``: Π as a leaderboard.

Kept apart from the library code so the commands stay thin: parse options, call
:mod:`pinocchio_eval.leaderboard`, print where things went. Every output path and format is
checked before any reading or scoring starts, and a board is written all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..leaderboard import build_leaderboard, export, get_exporters
from ..leaderboard.exporters import check_formats
from ..leaderboard.merge import merge_into, read_table
from ..leaderboard.model import Leaderboard
from ..leaderboard.paper import paper_leaderboard
from ..leaderboard.timeline import FILENAME, attach_facts, write_release_chart
from ..outputs import (
    check_output_dir,
    check_output_file,
    csv_text,
    terminal_safe,
    write_text_atomic,
)
from ..scoring.facts import load_models_info
from ..scoring.paper import PAPER_SEED
from ._common import check_norms, echo_notes, fail, group, input_options
from .score import method_kwargs, method_options


def _formats(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _with_facts(board: Leaderboard, models_info: Path | None, bootstrap: int,
                seed: int) -> Leaderboard:
    if models_info is None:
        return board
    return attach_facts(board, load_models_info(models_info), models_info,
                        n_boot=bootstrap, seed=seed)


def _export(board: Leaderboard, out_dir: Path, formats: list[str] | None) -> dict[str, Path]:
    """Every asked format, plus the release-date chart when the board has dates and PNGs,
    written together (all or nothing)."""
    names = check_formats(formats)
    extras = {"release": write_release_chart} if "png" in names else {}
    return export(board, out_dir, names, extras=extras)


@group("leaderboard")
def leaderboard_group() -> None:
    """Build leaderboards with Π, add Π to an existing one, or render the paper's."""


@leaderboard_group.command("build")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for leaderboard.csv/.json/.md/.html/.png (created if missing; "
                   "other files in it are left alone).")
@click.option("--title", default=None, help="Heading of the page and chart.")
@click.option("--norms", type=click.Path(path_type=Path), callback=check_norms,
              help="Frozen panel norms: score on that panel's scale instead of the inputs'.")
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0),
              help="Bootstrap draws for the 95% intervals (0 = no intervals).")
@click.option("--seed", default=None, type=int,
              help="Bootstrap seed [default: 0; 42 with --compat paper].")
@click.option("--formats", default=None,
              help="Comma-separated subset of output formats (default: all registered; "
                   "see 'leaderboard formats').")
@click.option("--models-info", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None,
              help="CSV/YAML of model facts (model, provider, family, release_date, parent): "
                   "sets providers, adds Π by provider/family to the JSON and page and, with "
                   f"release dates, writes {FILENAME}.")
@method_options
@input_options
def build_cmd(inputs: tuple[Path, ...], out_dir: Path, title: str | None,
              norms: Path | None, bootstrap: int, seed: int | None, formats: str | None,
              models_info: Path | None, all_runs: bool, drop_unknown_items: bool,
              **options: Any) -> None:
    """Turn Inspect logs, lm-eval outputs and response tables into a leaderboard.

    Other tasks found in the same inputs (an Inspect task's first metric, lm-eval task
    metrics) become extra columns beside Π. Each (harness, task, model) counts its latest
    complete run only (see --all-runs); what was skipped is listed in the notes.
    --compat paper scores the panel the authors' way (docs/methods.md).
    """
    names = check_formats(_formats(formats))
    check_output_dir(out_dir, inputs)
    scoring = method_kwargs(**options)
    if seed is None:
        seed = PAPER_SEED if scoring["compat"] == "paper" else 0
    board = build_leaderboard(list(inputs), title=title, norms=norms,
                              bootstrap=bootstrap, seed=seed, all_runs=all_runs,
                              drop_unknown_items=drop_unknown_items, **scoring)
    board = _with_facts(board, models_info, bootstrap, seed)
    written = _export(board, out_dir, names)
    echo_notes(board.notes)
    click.echo(f"{len(board.table)} model(s); wrote:")
    for path in written.values():
        click.echo(f"  {terminal_safe(path)}")
    if "html" in written:
        click.echo(f"open {terminal_safe(written['html'].resolve())} in a browser to view it")


@leaderboard_group.command("merge")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--on", "on", required=True, help="The table's model id column.")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Where to write the merged CSV (default: TABLE with a .pinocchio.csv suffix).")
@click.option("--norms", type=click.Path(path_type=Path), callback=check_norms)
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=0, show_default=True, type=int)
@input_options
def merge_cmd(table: Path, inputs: tuple[Path, ...], on: str, out: Path | None,
              norms: Path | None, bootstrap: int, seed: int, all_runs: bool,
              drop_unknown_items: bool) -> None:
    """Add Π columns (with intervals) to an existing leaderboard TABLE by model id.

    Every row is kept; rows whose id matches no scored model are listed with the closest ids.
    """
    out = out or table.with_suffix(".pinocchio.csv")
    check_output_file(out, (table, *inputs))
    existing = read_table(table)
    if on not in existing.columns:
        fail(f"{table}: no column {on!r}; columns are {list(existing.columns)}")
    board = build_leaderboard(list(inputs), norms=norms, bootstrap=bootstrap, seed=seed,
                              all_runs=all_runs, drop_unknown_items=drop_unknown_items)
    merged, report = merge_into(existing, board, on)
    write_text_atomic(out, csv_text(merged))
    echo_notes(board.notes)
    for line in report.lines():
        click.echo(terminal_safe(line), err=True)
    click.echo(f"wrote {terminal_safe(out)}")


@leaderboard_group.command("paper")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--models-info", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Model facts for the 50 models (the repository ships "
                                 "leaderboards/paper/models_info.csv).")
@click.option("--seed", default=0, show_default=True, type=int)
def paper_cmd(source: Path, out_dir: Path, models_info: Path | None, seed: int) -> None:
    """Render the paper's 50-model leaderboard from the authors' pinocchio_llm_analog_log.txt."""
    check_output_dir(out_dir, (source,))
    board = _with_facts(paper_leaderboard(source), models_info, 1000, seed)
    if models_info is not None:
        board.provenance["command"] += f" --models-info {models_info.as_posix()}"
    written = _export(board, out_dir, None)
    for path in written.values():
        click.echo(f"wrote {terminal_safe(path)}")


@leaderboard_group.command("formats")
def formats_cmd() -> None:
    """List the output formats (built-in and from plugins)."""
    for name, exp in sorted(get_exporters().items()):
        click.echo(f"{name}\t{type(exp).__module__}.{type(exp).__name__}")


def register(cli_group: click.Group) -> None:
    """Attach ``leaderboard`` to the main command line."""
    cli_group.add_command(leaderboard_group)
