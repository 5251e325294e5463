"""Leaderboard output formats, each a small class contributed through the pluggy hook.

The built-ins are registered by :mod:`pinocchio_eval.builtin_plugin` exactly as a third-party
package would register its own (``pinocchio_leaderboard_exporters`` returning objects with a
``name`` and ``write(board, out_dir) -> Path``), so a new format needs no change here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..outputs import csv_text, markdown_cell, markdown_text, staged_dir
from ..plugins import get_plugin_manager
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
        path.write_text(csv_text(board.ordered(), float_format="%.6g"), encoding="utf-8",
                        newline="")
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


def render_markdown(board: Leaderboard) -> str:
    """The board as Markdown; every cell and text from the inputs is escaped (``|``, HTML,
    line breaks), so a hostile model id can neither break the table nor inject markup."""
    t = board.ordered()
    cols = list(t.columns)
    lines = [f"# {markdown_text(board.title)}", ""]
    lines += [f"> {markdown_text(n)}\n" for n in board.notes]
    lines.append("| " + " | ".join(markdown_cell(board.column_label(c)) for c in cols) + " |")
    lines.append("|" + "|".join("---:" if c not in ("model", "provider", "conditions",
                                                     "harness", "run_date") else "---"
                                for c in cols) + "|")
    for row in t.to_dict("records"):
        lines.append("| " + " | ".join(markdown_cell(format_cell(row[c], c)) for c in cols)
                     + " |")
    lines += ["", "## Methods", ""]
    lines += [f"- **{m.label}** (`{m.column}`): {m.note}" for m in board.methods]
    if board.benchmarks:
        lines += ["", "Other benchmarks from the same inputs: "
                  + ", ".join(markdown_cell(b) for b in board.benchmarks)]
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


class UnknownFormatError(ValueError):
    """A requested output format no exporter provides."""


def check_formats(formats: list[str] | None) -> list[str]:
    """The format names to write (default: every registered one); unknown ones are refused."""
    exporters = get_exporters()
    names = list(dict.fromkeys(formats)) if formats else list(exporters)
    unknown = [n for n in names if n not in exporters]
    if unknown:
        raise UnknownFormatError(f"unknown leaderboard format(s) {unknown}; known: "
                                 f"{', '.join(sorted(exporters))}")
    return names


def export(board: Leaderboard, out_dir: str | Path, formats: list[str] | None = None,
           extras: Mapping[str, Callable[[Leaderboard, Path], Path | None]] | None = None
           ) -> dict[str, Path]:
    """Write the board in the given formats (default: every registered one), all or nothing.

    ``extras`` are further writers (name → function of board and folder returning the file
    written, or None when it has nothing to write) staged with the formats.

    Every format is written into a temporary folder beside ``out_dir``; only when all have
    succeeded do the files move into ``out_dir``, so a failing exporter leaves no partial
    board (and other files already in ``out_dir`` are left alone).
    """
    exporters = get_exporters()
    names = check_formats(formats)
    out = Path(out_dir)
    with staged_dir(out) as tmp:
        written = {n: Path(exporters[n].write(board, tmp)) for n in names}
        for name, write in (extras or {}).items():
            path = write(board, tmp)
            if path is not None:
                written[name] = Path(path)
    return {n: out / p.relative_to(tmp) for n, p in written.items()}
