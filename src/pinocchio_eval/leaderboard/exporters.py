"""Leaderboard output formats, each a small class contributed through the pluggy hook.

The built-ins are registered by :mod:`pinocchio_eval.builtin_plugin` exactly as a third-party
package would register its own (``pinocchio_leaderboard_exporters`` returning objects with a
``name`` and ``write(board, out_dir) -> Path``), so a new format needs no change here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol, runtime_checkable

from .chart import render_png
from .model import SCHEMA_VERSION, Leaderboard, format_cell, json_safe
from .page import render_html

STEM = "leaderboard"


@runtime_checkable
class Exporter(Protocol):
    name: str

    def write(self, board: Leaderboard, out_dir: Path) -> Path: ...


class CsvExporter:
    """Machine-readable table; also the input ``leaderboard merge`` can extend."""

    name = "csv"

    def write(self, board: Leaderboard, out_dir: Path) -> Path:
        path = Path(out_dir) / f"{STEM}.csv"
        board.ordered().to_csv(path, index=False, float_format="%.6g")
        return path


def board_to_dict(board: Leaderboard) -> dict:
    """The JSON document: rows plus everything needed to read them later."""
    t = board.ordered()
    return {
        "schema_version": SCHEMA_VERSION,
        "title": board.title,
        "primary_method": board.primary,
        "methods": [{"key": m.key, "label": m.label, "column": m.column,
                     "interval_columns": [m.lo, m.hi], "note": m.note} for m in board.methods],
        "benchmarks": list(board.benchmarks),
        "notes": list(board.notes),
        "provenance": board.provenance,
        **({"analyses": board.analyses} if board.analyses else {}),
        "columns": list(t.columns),
        "rows": [{c: json_safe(v) for c, v in row.items()} for row in t.to_dict("records")],
    }


def _md_cell(value: object, col: str) -> str:
    return format_cell(value, col).replace("|", "\\|")


def render_markdown(board: Leaderboard) -> str:
    t = board.ordered()
    cols = list(t.columns)
    lines = [f"# {board.title}", ""]
    lines += [f"> {n}\n" for n in board.notes]
    lines.append("| " + " | ".join(board.column_label(c) for c in cols) + " |")
    lines.append("|" + "|".join("---:" if c not in ("model", "provider", "conditions",
                                                     "harness", "run_date") else "---"
                                for c in cols) + "|")
    for row in t.to_dict("records"):
        lines.append("| " + " | ".join(_md_cell(row[c], c) for c in cols) + " |")
    lines += ["", "## Methods", ""]
    lines += [f"- **{m.label}** (`{m.column}`): {m.note}" for m in board.methods]
    if board.benchmarks:
        lines += ["", "Other benchmarks from the same inputs: "
                  + ", ".join(f"`{b}`" for b in board.benchmarks)]
    lines += ["", "## Provenance", "", "```json",
              json.dumps(board.provenance, indent=2, default=str), "```", ""]
    return "\n".join(lines)


class _TextExporter:
    """A format that is one text file rendered from the board."""

    name = ""
    suffix = ""

    def render(self, board: Leaderboard) -> str:
        raise NotImplementedError

    def write(self, board: Leaderboard, out_dir: Path) -> Path:
        path = Path(out_dir) / f"{STEM}.{self.suffix}"
        path.write_text(self.render(board), encoding="utf-8")
        return path


class JsonExporter(_TextExporter):
    """Versioned JSON with provenance, for dashboards and other tools."""

    name = suffix = "json"

    def render(self, board: Leaderboard) -> str:
        return json.dumps(board_to_dict(board), indent=2, default=str) + "\n"


class MarkdownExporter(_TextExporter):
    """For READMEs, pull requests and issue comments."""

    name = suffix = "md"

    def render(self, board: Leaderboard) -> str:
        return render_markdown(board)


class HtmlExporter(_TextExporter):
    """One static page: sortable table, ranked chart, method notes; works offline."""

    name = suffix = "html"

    def render(self, board: Leaderboard) -> str:
        return render_html(board)


class PngExporter:
    """The ranked Π chart as an image."""

    name = "png"

    def write(self, board: Leaderboard, out_dir: Path) -> Path:
        return render_png(board, Path(out_dir) / f"{STEM}.png")


BUILTIN_EXPORTERS: list[Exporter] = [CsvExporter(), JsonExporter(), MarkdownExporter(),
                                     HtmlExporter(), PngExporter()]


def get_exporters() -> dict[str, Exporter]:
    """Every exporter the plugin manager knows, by name (a plugin may override a built-in)."""
    from ..plugins import get_plugin_manager

    found: dict[str, Exporter] = {}
    # pluggy calls the most recently registered plugins first; reverse so that later
    # registrations (third-party) win over the built-ins on a name clash.
    for batch in reversed(get_plugin_manager().hook.pinocchio_leaderboard_exporters()):
        for exp in batch or []:
            if not isinstance(exp, Exporter):
                raise TypeError(f"leaderboard exporter {exp!r} needs a 'name' and a "
                                "'write(board, out_dir)' method")
            found[exp.name] = exp
    return found


def export(board: Leaderboard, out_dir: str | Path,
           formats: list[str] | None = None) -> dict[str, Path]:
    """Write the board in the given formats (default: every registered one)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    exporters = get_exporters()
    names = formats or list(exporters)
    unknown = [n for n in names if n not in exporters]
    if unknown:
        raise ValueError(f"unknown leaderboard format(s) {unknown}; known: {sorted(exporters)}")
    return {n: Path(exporters[n].write(board, out)) for n in names}
