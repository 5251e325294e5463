"""``pinocchio-eval leaderboard build | merge | paper``: Π as a leaderboard.

Kept apart from the library code so the commands stay thin: parse options, call
:mod:`pinocchio_eval.leaderboard`, print where things went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..leaderboard import build_leaderboard, export, get_exporters
from ..leaderboard.merge import merge_into, read_table
from ..leaderboard.paper import paper_leaderboard
from ..scoring.paper import PAPER_SEED
from ._common import user_errors
from .score import method_kwargs, method_options


def _formats(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@click.group("leaderboard")
def leaderboard_group() -> None:
    """Build leaderboards with Π, add Π to an existing one, or render the paper's."""


@leaderboard_group.command("build")
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for leaderboard.csv/.json/.md/.html/.png.")
@click.option("--title", default=None, help="Heading of the page and chart.")
@click.option("--norms", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Frozen panel norms: score on that panel's scale instead of the inputs'.")
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0),
              help="Bootstrap draws for the 95% intervals (0 = no intervals).")
@click.option("--seed", default=None, type=int,
              help="Bootstrap seed [default: 0; 42 with --compat paper].")
@click.option("--formats", default=None,
              help="Comma-separated subset of output formats (default: all registered).")
@method_options
def build_cmd(inputs: tuple[Path, ...], out_dir: Path, title: str | None,
              norms: Path | None, bootstrap: int, seed: int | None, formats: str | None,
              **options: Any) -> None:
    """Turn Inspect logs, lm-eval outputs and response tables into a leaderboard.

    Other tasks found in the same inputs (an Inspect task's first metric, lm-eval task
    metrics) become extra columns beside Π. --compat paper scores the panel the authors' way
    (docs/methods.md).
    """
    try:
        scoring = method_kwargs(**options)
        if seed is None:
            seed = PAPER_SEED if scoring["compat"] == "paper" else 0
        board = build_leaderboard(list(inputs), title=title, norms=norms,
                                  bootstrap=bootstrap, seed=seed, **scoring)
    except user_errors() as exc:
        raise click.ClickException(str(exc)) from exc
    written = export(board, out_dir, _formats(formats))
    for note in board.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"{len(board.table)} model(s); wrote:")
    for path in written.values():
        click.echo(f"  {path}")
    if "html" in written:
        click.echo(f"open {written['html'].resolve()} in a browser to view it")


@leaderboard_group.command("merge")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--on", "on", required=True, help="The table's model id column.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the merged CSV (default: TABLE with a .pinocchio.csv suffix).")
@click.option("--norms", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=0, show_default=True, type=int)
def merge_cmd(table: Path, inputs: tuple[Path, ...], on: str, out: Path | None,
              norms: Path | None, bootstrap: int, seed: int) -> None:
    """Add Π columns (with intervals) to an existing leaderboard TABLE by model id.

    Every row is kept; rows whose id matches no scored model are listed with the closest ids.
    """
    existing = read_table(table)
    if on not in existing.columns:
        raise click.ClickException(f"{table}: no column {on!r}; columns are "
                                   f"{list(existing.columns)}")
    try:
        board = build_leaderboard(list(inputs), norms=norms, bootstrap=bootstrap, seed=seed)
    except user_errors() as exc:
        raise click.ClickException(str(exc)) from exc
    merged, report = merge_into(existing, board, on)
    out = out or table.with_suffix(".pinocchio.csv")
    merged.to_csv(out, index=False)
    for line in report.lines():
        click.echo(line, err=True)
    click.echo(f"wrote {out}")


@leaderboard_group.command("paper")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
def paper_cmd(source: Path, out_dir: Path) -> None:
    """Render the paper's 50-model leaderboard from the authors' pinocchio_llm_analog_log.txt."""
    board = paper_leaderboard(source)
    for path in export(board, out_dir).values():
        click.echo(f"wrote {path}")


@leaderboard_group.command("formats")
def formats_cmd() -> None:
    """List the output formats (built-in and from plugins)."""
    for name, exp in sorted(get_exporters().items()):
        click.echo(f"{name}\t{type(exp).__module__}.{type(exp).__name__}")


def register(cli_group: click.Group) -> None:
    """Attach ``leaderboard`` to the main command line."""
    cli_group.add_command(leaderboard_group)
