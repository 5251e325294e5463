"""``pinocchio-eval compare``: did Π move between two models or two checkpoints of one?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..outputs import json_ready
from ..scoring import PanelNorms
from ..scoring.compare import compare_models
from ..scoring.compare import interval_text as _span
from ._common import command, include_superseded_option, load_responses, write_output

FORMATS = ("text", "json")


def render_text(doc: dict[str, Any]) -> str:
    """The comparison as a few readable lines and a table of the questionnaires that moved."""
    verdict = {True: "excludes 0: the two differ beyond questionnaire sampling",
               False: "includes 0: no difference beyond questionnaire sampling",
               None: "is not computed (--bootstrap 0): no claim either way"}
    lines = [f"ΔΠ_self ({doc['b']} − {doc['a']}) = {doc['delta_pi_self']:+.3f}  "
             f"(95 % paired bootstrap {_span(doc['ci_low'], doc['ci_high'])}; "
             f"{doc['bootstrap']['draws']} draws over questionnaires, seed "
             f"{doc['bootstrap']['seed']})",
             f"  Π_self: {doc['a']} {doc['pi_self_a']:+.3f}, {doc['b']} {doc['pi_self_b']:+.3f}; "
             f"{doc['n_items']} weighted items",
             "  the interval " + verdict[doc["excludes_zero"]]]
    p = doc.get("panel")
    if p:
        lines.append(f"ΔΠ_panel (frozen norms) = {p['delta_pi_panel']:+.3f}  (95 % "
                     f"{_span(p['ci_low'], p['ci_high'])})")
    lines += ["", "Questionnaires that moved most (Δ of Π_self on that questionnaire alone, "
                  "95 % paired bootstrap over its items):"]
    for q in doc["per_questionnaire"]:
        lines.append(f"  {q['delta']:+.3f}  ({_span(q['ci_low'], q['ci_high'])})  "
                     f"{q['questionnaire']}  [{q['n_items']} items]")
    return "\n".join(lines) + "\n"


def plot_comparison(doc: dict[str, Any], path: str | Path) -> Path:
    """A forest plot: overall ΔΠ_self on top, then each listed questionnaire's Δ."""
    import matplotlib  # lazy: heavy (matplotlib)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: heavy (matplotlib)

    rows = [("ΔΠ_self (overall)", doc["delta_pi_self"], doc["ci_low"], doc["ci_high"])]
    rows += [(q["questionnaire"], q["delta"], q["ci_low"], q["ci_high"])
             for q in doc["per_questionnaire"]]
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.3))
    try:
        for i, (_name, d, lo, hi) in enumerate(rows):
            y = len(rows) - 1 - i
            colour = "#e15759" if i == 0 else "#4e79a7"
            ax.hlines(y, lo, hi, color=colour, lw=2)
            ax.plot(d, y, "o", color=colour)
        ax.axvline(0, color="#888", ls="--", lw=0.8)
        ax.set_yticks(range(len(rows))[::-1], [r[0][:45] for r in rows], fontsize=7)
        ax.set_xlabel(f"Δ = {doc['b']} − {doc['a']} (95 % paired bootstrap)")
        ax.set_title(f"Did Π move? {doc['a']} → {doc['b']}", fontsize=9)
        ax.grid(axis="x", color="#eee")
        fig.tight_layout()
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)
    return Path(path)


@command("compare")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--a", "a", required=True, help="The base model id (or the earlier checkpoint).")
@click.option("--b", "b", required=True, help="The other model id; Δ = b − a.")
@click.option("--norms", type=click.Path(), default=None,
              help="Frozen norms (from 'calibrate'): also give ΔΠ_panel on that panel's scale.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Paired bootstrap draws (0 = no intervals).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the questionnaires that moved most to list.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--out", type=click.Path(), default=None, help="Write here instead of stdout.")
@click.option("--plot", type=click.Path(), default=None, help="Also write a PNG forest plot.")
@click.option("--reparse", is_flag=True,
              help="Re-parse response_raw where the table left response empty, as 'score "
                   "--reparse' does (by default such an answer stays missing).")
@include_superseded_option
def compare_command(inputs: tuple[str, ...], a: str, b: str, norms: str | None, bootstrap: int,
                    seed: int, top: int, fmt: str, out: str | None, plot: str | None,
                    reparse: bool, include_superseded: bool) -> None:
    """ΔΠ between two models of any input, with a paired bootstrap interval.

    Both models must have answers in neutral and human_simulation. Two checkpoints of one
    model need distinct model ids in the inputs. Δ is b − a, so with a = base model and
    b = fine-tune a negative Δ means the fine-tune presents itself less as a locus of
    experience. The interval resamples questionnaires with the same draw for both models.
    """
    frozen = PanelNorms.load(norms) if norms else None
    doc = compare_models(load_responses(inputs), a, b, n_boot=bootstrap, seed=seed, norms=frozen,
                         include_superseded=include_superseded, reparse=reparse
                         ).to_dict(top=top)
    text = (json.dumps(json_ready(doc), indent=1, ensure_ascii=False) + "\n" if fmt == "json"
            else render_text(doc))
    write_output(text, out)
    if plot:
        click.echo(f"wrote {plot_comparison(doc, plot)}", err=True)


def register(cli_group: click.Group) -> None:
    """Add ``compare`` to the CLI group."""
    cli_group.add_command(compare_command)
