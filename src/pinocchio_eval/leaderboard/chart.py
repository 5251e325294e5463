"""The ranked Π chart: one point per model with its 95 % interval, coloured by provider.

Two renderings of the same picture: a PNG through matplotlib (Agg, no display needed) for
papers and READMEs, and a hand-written inline SVG for the HTML page, so the page stays one
self-contained file that needs neither network nor JavaScript libraries to draw. Both draw
the rows of :func:`chart_frame` on the axis range of :func:`_extent` in the colours of
:func:`provider_colours`.

The page's SVG is not matplotlib's (``savefig(format="svg")``, 3.11) because that cannot write
what the page and its tests rely on: one ``<circle class="pi-point">`` per model with a
``<title>`` child (the browser's hover tooltip "model: +0.123") and one
``<line class="pi-interval">``, grouped in ``<g class="pi-row" data-model="…">``; matplotlib
writes a scatter as ``<use xlink:href="#marker">`` copies of one ``<path>``, has no ``class``,
``data-*`` or ``<title>`` for an artist (only a ``<g id>`` through ``set_gid`` and ``<a>``
links through ``set_url``), and puts no ``role="img"``/``aria-label`` on the ``<svg>``. Its
output also names ``http://`` URLs besides the SVG namespace (the SVG 1.1 DOCTYPE and the
``xmlns:xlink`` its ``<use>`` elements need), which the self-contained page test forbids.
Getting there would mean rewriting matplotlib's XML afterwards, a third renderer in effect.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from ..outputs import plain_label
from .model import Leaderboard

#: Colour-blind-friendly categorical palette (Tableau 10 + extras), cycled if needed.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22",
           "#7f7f7f", "#d62728"]


def provider_colours(providers: pd.Series | list[str]) -> dict[str, str]:
    """A stable provider → colour map (sorted names, so re-runs keep colours)."""
    names = sorted({str(p) for p in providers})
    return {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(names)}


def chart_frame(board: Leaderboard) -> pd.DataFrame:
    """Rows to draw: models with a primary Π, best first; lo/hi are NaN when unknown."""
    m = board.primary_method
    if m is None or m.column not in board.table.columns:
        return pd.DataFrame(columns=["model", "provider", "value", "lo", "hi"])
    t = board.table
    out = pd.DataFrame({
        "model": t["model"].astype(str),
        "provider": t["provider"].astype(str) if "provider" in t else "unknown",
        "value": pd.to_numeric(t[m.column], errors="coerce"),
        "lo": pd.to_numeric(t[m.lo], errors="coerce") if m.lo in t else np.nan,
        "hi": pd.to_numeric(t[m.hi], errors="coerce") if m.hi in t else np.nan,
    })
    out = out.dropna(subset=["value"])
    return out.sort_values(["value", "model"], ascending=[False, True]).reset_index(drop=True)


def _extent(df: pd.DataFrame) -> tuple[float, float]:
    vals = pd.concat([df["value"], df["lo"], df["hi"]]).dropna()
    lo, hi = (float(vals.min()), float(vals.max())) if len(vals) else (-1.0, 1.0)
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = (hi - lo) * 0.05 or 0.5
    return lo - pad, hi + pad


def _ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    step = (hi - lo) / n
    mag = 10 ** np.floor(np.log10(step)) if step > 0 else 1.0
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= step), default=mag)
    start = np.ceil(lo / step) * step
    return [round(float(x), 10) for x in np.arange(start, hi + step / 2, step) if x <= hi]


def render_svg(board: Leaderboard) -> str:
    """The chart as an inline ``<svg>`` element (no external references)."""
    df = chart_frame(board)
    label = board.primary_method.label if board.primary_method else "Π"
    if df.empty:
        return ('<svg xmlns="http://www.w3.org/2000/svg" class="pi-chart" width="480" '
                'height="40"><text x="8" y="24">No model has a Π score.</text></svg>')
    colours = provider_colours(df["provider"])
    row_h, left, right, top = 18, 260, 30, 30
    width = 900
    plot_w = width - left - right
    height = top + row_h * len(df) + 40 + 20 * ((len(colours) + 3) // 4)
    x0, x1 = _extent(df)

    def sx(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * plot_w

    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pi-chart" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{e(label)} by model with 95% intervals">',
             '<style>.pi-chart text{font:11px sans-serif;fill:#222}</style>']
    bottom = top + row_h * len(df)
    for t in _ticks(x0, x1):
        x = sx(t)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="#ddd"/><text x="{x:.1f}" y="{bottom + 14}" '
                     f'text-anchor="middle">{t:g}</text>')
    parts.append(f'<line x1="{sx(0):.1f}" y1="{top - 6}" x2="{sx(0):.1f}" y2="{bottom}" '
                 'stroke="#888" stroke-dasharray="3,3"/>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{bottom + 30}" '
                 f'text-anchor="middle">{e(label)} (95% interval where available)</text>')
    for i, r in df.iterrows():
        y = top + row_h * i + row_h / 2
        c = colours[r["provider"]]
        parts.append(f'<g class="pi-row" data-model="{e(r["model"])}">')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{e(r["model"])}</text>')
        if np.isfinite(r["lo"]) and np.isfinite(r["hi"]):
            parts.append(f'<line class="pi-interval" x1="{sx(r["lo"]):.1f}" y1="{y:.1f}" '
                         f'x2="{sx(r["hi"]):.1f}" y2="{y:.1f}" stroke="{c}" '
                         'stroke-width="2"/>')
        parts.append(f'<circle class="pi-point" cx="{sx(r["value"]):.1f}" cy="{y:.1f}" r="4" '
                     f'fill="{c}"><title>{e(r["model"])}: {r["value"]:+.3f}</title></circle>')
        parts.append("</g>")
    ly = bottom + 48
    for j, (p, c) in enumerate(colours.items()):
        x, y = left + (j % 4) * 150, ly + 20 * (j // 4)
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{c}"/>'
                     f'<text x="{x + 14}" y="{y}">{e(p)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_png(board: Leaderboard, path: str | Path, dpi: int = 120) -> Path:
    """Write the chart as PNG with matplotlib's Agg backend."""
    import matplotlib  # lazy: heavy (matplotlib)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: heavy (matplotlib)
    from matplotlib.patches import Patch  # lazy: heavy (matplotlib)

    path = Path(path)
    df = chart_frame(board)
    label = board.primary_method.label if board.primary_method else "Π"
    fig, ax = plt.subplots(figsize=(8, max(2.0, 0.26 * len(df) + 1.2)))
    try:
        if df.empty:
            ax.text(0.5, 0.5, "No model has a Π score.", ha="center", va="center")
            ax.axis("off")
        else:
            colours = provider_colours(df["provider"])
            ys = np.arange(len(df))[::-1]
            cols = [colours[p] for p in df["provider"]]
            has = df["lo"].notna() & df["hi"].notna()
            if has.any():
                ax.hlines(ys[has.to_numpy()], df.loc[has, "lo"], df.loc[has, "hi"],
                          colors=[c for c, h in zip(cols, has, strict=True) if h], lw=2)
            ax.scatter(df["value"], ys, c=cols, s=22, zorder=3)
            ax.axvline(0, color="#888", ls="--", lw=0.8)
            # names are plain text: no math text ("$...$"), no line breaks
            ax.set_yticks(ys, [plain_label(m) for m in df["model"]], fontsize=7,
                          parse_math=False)
            ax.set_xlim(*_extent(df))
            ax.set_ylim(-0.7, len(df) - 0.3)
            ax.set_xlabel(f"{plain_label(label)} (95% interval where available)",
                          parse_math=False)
            ax.grid(axis="x", color="#eee")
            legend = ax.legend(handles=[Patch(color=c, label=plain_label(p))
                                        for p, c in colours.items()],
                               fontsize=7, loc="lower right", ncol=2 if len(colours) > 8 else 1)
            for text in legend.get_texts():
                text.set_parse_math(False)
        ax.set_title(plain_label(board.title), fontsize=10, parse_math=False)
        fig.tight_layout()
        fig.savefig(path, dpi=dpi)
    finally:
        plt.close(fig)
    return path
