"""``pinocchio-eval battery|prompt|parse``: look at the battery, its prompts and the parser."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from ..battery import BatteryError, get_battery, load_instrument
from ..battery.registry import Battery
from ..conditions import get_conditions, render_prompt
from ..parsing import parse_answer
from ._common import command, fail, group, resolve_questionnaire


def _listing(battery: Battery, include_superseded: bool) -> list[dict]:
    rows = []
    for inst in battery.instruments(include_superseded=include_superseded):
        rows.append({
            "id": inst.id, "name": inst.name, "title": inst.title, "status": inst.status,
            "family": inst.family, "n_items": len(inst.items),
            "n_active_items": battery.n_active_items(inst.name),
            "scale_min": inst.scale_min, "scale_max": inst.scale_max,
        })
    return rows


@group("battery")
def battery_group() -> None:
    """List, show and validate the questionnaires of the battery."""


@battery_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
@click.option("--all", "include_all", is_flag=True,
              help="Include superseded instruments (left out of Π by default).")
def list_cmd(fmt: str, include_all: bool) -> None:
    """List instruments: id, name, status, items, active items, scale range."""
    rows = _listing(get_battery(), include_all)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        width = max(len(r["id"]) for r in rows)
        click.echo(f"{'id':<{width}}  {'status':<10} {'items':>5} {'active':>6} {'scale':>6}  name")
        for r in rows:
            click.echo(f"{r['id']:<{width}}  {r['status']:<10} {r['n_items']:>5} "
                       f"{r['n_active_items']:>6} {r['scale_min']:>2}..{r['scale_max']:<2}  "
                       f"{r['name']}")
        total = sum(r["n_items"] for r in rows)
        active = sum(r["n_active_items"] for r in rows)
        click.echo(f"{len(rows)} instruments, {total} items, {active} administered "
                   f"({total - active} excluded by errata)")


@battery_group.command("show")
@click.argument("name_or_id")
@click.option("--mode", type=click.Choice(["corrected", "source"]), default="corrected",
              show_default=True, help="Item texts with errata applied, or exactly as the source.")
def show_cmd(name_or_id: str, mode: str) -> None:
    """Show one instrument: citation, terms of use, scale, instructions, items, errata."""
    battery = get_battery()
    inst = resolve_questionnaire(battery, name_or_id)
    items = battery.items(inst.name, mode=mode)  # type: ignore[arg-type]
    click.echo(f"{inst.title}  [{inst.id}]\nsource name: {inst.name}\nstatus: {inst.status}"
               + (f" (superseded by {inst.superseded_by})" if inst.superseded_by else "")
               + (f"\nfamily: {inst.family}" if inst.family else ""))
    click.echo(f"citation: {inst.citation}\nterms of use: {inst.terms_of_use}")
    for key, scale in inst.scales.items():
        labels = "; ".join(f"{v} = {lab}" for v, lab in scale.labels.items())
        click.echo(f"scale '{key}': {labels}")
    instructions = battery.instructions(inst, mode)  # type: ignore[arg-type]
    click.echo(f"instructions: {instructions or '(none)'}\nitems ({len(items)}):")
    for it in items:
        flag = "" if it.active else "   [excluded]"
        click.echo(f"  {it.item_index:>3}  {it.text}{flag}")
    errata = battery.errata_for(inst.name)
    if errata:
        click.echo(f"errata ({len(errata)}):")
        for e in errata:
            where = f"item {e.item_index}" if e.item_index is not None else e.field
            click.echo(f"  {where}: {e.action} — {e.why}")


@battery_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate_cmd(paths: tuple[Path, ...]) -> None:
    """Validate instrument files (default: the whole installed battery and its plugins).

    Exits with status 1 and names the file, field and item of every problem.
    """
    if not paths:
        battery = get_battery()
        click.echo(f"ok: {len(battery)} instruments, {len(battery.errata)} errata")
        return
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    problems = 0
    for f in files:
        try:
            inst = load_instrument(f)
            click.echo(f"ok: {f} ({inst.name}, {len(inst.items)} items)")
        except BatteryError as exc:
            problems += 1
            click.echo(f"invalid: {exc}", err=True)
    if problems:
        fail(f"{problems} of {len(files)} file(s) invalid")


@command("prompt")
@click.argument("name_or_id")
@click.argument("item_index", type=int)
@click.option("--condition", "-c", default="neutral", show_default=True,
              help="Prompting condition (see 'pinocchio-eval conditions').")
@click.option("--mode", type=click.Choice(["corrected", "source"]), default="corrected",
              show_default=True, help="Use corrected or source-exact texts.")
def prompt_cmd(name_or_id: str, item_index: int, condition: str, mode: str) -> None:
    """Print the exact prompt sent to a model for one item."""
    battery = get_battery()
    inst = resolve_questionnaire(battery, name_or_id)
    items = {i.item_index: i for i in battery.items(inst.name, mode=mode)}  # type: ignore[arg-type]
    if item_index not in items:
        fail(f"{inst.name} has no item {item_index}; valid indices are 0..{max(items)}")
    item = items[item_index]
    if not item.active:
        click.echo(f"note: item {item_index} is excluded by the errata and is not administered "
                   "in corrected mode (use --mode source to see the source text)", err=True)
    click.echo(render_prompt(item, condition))


@command("parse")
@click.argument("text")
@click.option("--questionnaire", "-q", required=True, help="Name or id whose scale applies.")
@click.option("--item-index", type=int, default=None,
              help="Item whose scale applies (matters for instruments with several scales).")
def parse_cmd(text: str, questionnaire: str, item_index: int | None) -> None:
    """Parse a model answer on a questionnaire's scale; print JSON (value, status, ...).

    TEXT is the answer ("-" reads it from standard input). The status is ok, refusal,
    unparseable, out_of_range, ambiguous or empty, and "detail" says why: the parser never
    guesses between two readings. Example: pinocchio-eval parse "Agree strongly" -q BFI-2
    """
    battery = get_battery()
    inst = resolve_questionnaire(battery, questionnaire)
    scale = inst.scale_of(item_index) if item_index is not None else inst.scales["default"]
    if text == "-":
        text = sys.stdin.read()
    click.echo(json.dumps(parse_answer(text, scale).to_dict(), ensure_ascii=False))


@command("conditions")
def conditions_cmd() -> None:
    """List the prompting conditions (built-in and from plugins)."""
    for cond in get_conditions().values():
        click.echo(f"{cond.name:<18} {cond.description}")


def register(cli_group: click.Group) -> None:
    """Add ``battery``, ``prompt``, ``parse`` and ``conditions`` to the CLI group."""
    for each in (battery_group, prompt_cmd, parse_cmd, conditions_cmd):
        cli_group.add_command(each)
