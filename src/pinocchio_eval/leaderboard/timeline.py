"""Model facts on a board, and the chart of Π against release date (``pi_vs_release.png``).

:func:`attach_facts` puts provider, family and release date on the board's rows and stores the
provider/family summaries and the release-date trend (computed by the scoring engine's
:mod:`~pinocchio_eval.scoring.providers` and :mod:`~pinocchio_eval.scoring.trend`) in
``board.analyses``, which the JSON and HTML exporters carry. The chart shows every dated model
coloured by provider, its interval when the board has one, the fitted trend with its 95 % band,
and the trend without the influential models (Cook's distance > 4 / n), ringed on the chart.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..outputs import json_ready, plain_label
from ..scoring.facts import model_facts
from ..scoring.providers import group_analysis
from ..scoring.trend import fit_line, public, release_trend, years
from .chart import provider_colours
from .model import Leaderboard, provider_from_id

FILENAME = "pi_vs_release.png"
FACT_COLUMNS = ("provider", "family", "release_date", "parent")


def attach_facts(board: Leaderboard, info: pd.DataFrame, source: str | Path | None = None,
                 n_boot: int = 1000, seed: int = 0) -> Leaderboard:
    """Add fact columns and the provider/family/trend analyses to ``board`` (in place)."""
    t = board.table
    facts = model_facts(t["model"].astype(str), info, provider_from_id)
    shown = facts.reset_index()[["model", *[c for c in FACT_COLUMNS if c in facts.columns]]]
    shown["release_date"] = pd.to_datetime(shown["release_date"]).dt.strftime("%Y-%m-%d")
    shown = shown.loc[:, [c for c in shown.columns
                          if c in ("model", "provider") or shown[c].notna().any()]]
    board.table = t.drop(columns=[c for c in shown.columns if c != "model" and c in t.columns]
                         ).merge(shown, on="model", how="left")
    scores = board.table[["model", *[c for c in board.table.columns
                                     if c in ("pi_panel", "pi_axis", "pi_self")]]]
    board.analyses["groups"] = json_ready(group_analysis(scores, facts, n_boot=n_boot, seed=seed))
    m, t = board.primary_method, board.table
    if m is not None and m.column in t and "release_date" in t:
        tr = release_trend(t["model"], pd.to_datetime(t["release_date"]), t[m.column])
        if tr is not None:
            board.analyses["release_trend"] = json_ready({"method": m.column, **public(tr)})
    if source is not None:
        board.provenance["models_info"] = {
            "path": Path(source).name,
            "sha256": hashlib.sha256(Path(source).read_bytes()).hexdigest()}
    return board


def _frame(board: Leaderboard) -> pd.DataFrame:
    m = board.primary_method
    t = board.table
    if m is None or "release_date" not in t or m.column not in t:
        return pd.DataFrame()
    df = pd.DataFrame({"model": t["model"].astype(str), "provider": t["provider"].astype(str),
                       "date": pd.to_datetime(t["release_date"]),
                       "value": pd.to_numeric(t[m.column], errors="coerce"),
                       "lo": pd.to_numeric(t[m.lo], errors="coerce") if m.lo in t else np.nan,
                       "hi": pd.to_numeric(t[m.hi], errors="coerce") if m.hi in t else np.nan})
    return df.dropna(subset=["date", "value"]).reset_index(drop=True)


def slope_sentence(trend: dict[str, Any]) -> str:
    """The trend in one sentence: slope with and without the influential models."""
    a, w = trend["all"], trend["without_influential"]
    names = ", ".join(i["model"] for i in trend["influential"])
    text = (f"{trend['method']} against release date: slope {a['slope_per_year']:+.3f} per "
            f"year (95 % CI {a['ci_low']:+.3f} … {a['ci_high']:+.3f}, n = {a['n']})")
    if w is not None:
        text += (f"; without the {len(trend['influential'])} influential model(s) ({names}): "
                 f"{w['slope_per_year']:+.3f} ({w['ci_low']:+.3f} … {w['ci_high']:+.3f}, "
                 f"n = {w['n']})")
    elif trend["influential"]:
        text += (f"; influential: {names} (without them too few dated models remain for a "
                 "second fit)")
    else:
        text += "; no model is influential"
    return text + f". Influential = {trend['rule']}."


def _draw(board: Leaderboard, fig_out: str | Path | io.BytesIO, dpi: int = 120) -> bool:
    import matplotlib  # lazy: heavy (matplotlib)

    matplotlib.use("Agg")
    import matplotlib.dates as mdates  # lazy: heavy (matplotlib)
    import matplotlib.pyplot as plt  # lazy: heavy (matplotlib)
    from matplotlib.lines import Line2D  # lazy: heavy (matplotlib)

    df, trend = _frame(board), board.analyses.get("release_trend")
    if df.empty or trend is None:
        return False
    colours = provider_colours(df["provider"])
    infl = {i["model"] for i in trend["influential"]}
    fig, ax = plt.subplots(figsize=(9, 5.6))
    try:
        _draw_models(ax, df, colours, infl)
        handles = _draw_trend(ax, df, trend, infl)
        handles += [Line2D([], [], marker="o", ls="", color=c, label=plain_label(p))
                    for p, c in colours.items()]
        legend = ax.legend(handles=handles, fontsize=7, loc="best", ncol=2)
        for text in legend.get_texts():
            text.set_parse_math(False)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.axhline(0, color="#bbb", lw=0.8, ls=":")
        label = board.primary_method.label if board.primary_method else "Π"
        ax.set_ylabel(label)
        ax.set_xlabel("release date")
        ax.set_title(f"{label} against release date ({len(df)} dated models)", fontsize=10)
        ax.grid(color="#eee")
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(fig_out, dpi=dpi, format="png")
    finally:
        plt.close(fig)
    return True


def _draw_models(ax: Any, df: pd.DataFrame, colours: dict[str, str], infl: set[str]) -> None:
    """Each dated model: its interval, its dot in the provider's colour, a ring and a name
    if it is influential on the trend."""
    import matplotlib.dates as mdates  # lazy: heavy (matplotlib)

    x = mdates.date2num(df["date"])
    has = df["lo"].notna() & df["hi"].notna()
    for i in np.flatnonzero(has.to_numpy()):
        ax.vlines(x[i], df["lo"][i], df["hi"][i], color=colours[df["provider"][i]],
                  lw=1.2, alpha=0.7)
    ax.scatter(x, df["value"], c=[colours[p] for p in df["provider"]], s=28, zorder=3)
    for i, r in df.iterrows():
        if r["model"] in infl:
            ax.scatter(x[i], r["value"], s=120, facecolors="none", edgecolors="#222",
                       zorder=4)
            ax.annotate(plain_label(r["model"].split("/")[-1]), (x[i], r["value"]),
                        fontsize=7, xytext=(5, -10), textcoords="offset points",
                        parse_math=False)


def _draw_trend(ax: Any, df: pd.DataFrame, trend: dict[str, Any], infl: set[str]) -> list[Any]:
    """The fitted trend over all models with its 95 % band, and (dashed) without the ringed
    influential ones; returns their legend entries."""
    import matplotlib.dates as mdates  # lazy: heavy (matplotlib)
    from matplotlib.lines import Line2D  # lazy: heavy (matplotlib)

    yr = years(df["date"])
    grid = pd.Series(pd.date_range(df["date"].min(), df["date"].max(), periods=100))
    grid_years, grid_dates = years(grid), mdates.date2num(grid)
    a = trend["all"]
    fit_all = _refit(df, yr, set())
    lo, hi = fit_all.band(grid_years)
    ax.fill_between(grid_dates, lo, hi, color="#888", alpha=0.18, lw=0)
    ax.plot(grid_dates, fit_all.intercept + fit_all.slope * grid_years, color="#444", lw=1.5)
    handles = [Line2D([], [], color="#444", lw=1.5,
                      label=f"trend, all: {a['slope_per_year']:+.3f}/yr (95 % band)")]
    w = trend["without_influential"]
    if w is not None:
        fit_w = _refit(df, yr, infl)
        ax.plot(grid_dates, fit_w.intercept + fit_w.slope * grid_years, color="#444",
                lw=1.2, ls="--")
        handles.append(Line2D([], [], color="#444", lw=1.2, ls="--",
                              label=f"without ringed models: {w['slope_per_year']:+.3f}/yr"))
    return handles


def _refit(df: pd.DataFrame, yr: np.ndarray, drop: set[str]) -> Any:
    keep = ~df["model"].isin(drop).to_numpy()
    return fit_line(yr[keep], df["value"].to_numpy(dtype=float)[keep])


def write_release_chart(board: Leaderboard, out_dir: str | Path) -> Path | None:
    """Write ``pi_vs_release.png`` when the board has a release-date trend; else nothing."""
    path = Path(out_dir) / FILENAME
    return path if _draw(board, path) else None


def html_section(board: Leaderboard) -> str:
    """The chart (inline PNG, so the page stays one file) and the slope sentence, or ''."""
    trend = board.analyses.get("release_trend")
    buf = io.BytesIO()
    if trend is None or not _draw(board, buf, dpi=100):
        return ""
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    e = html.escape
    return (f'<h2>Π against release date</h2>\n<figure id="release-chart">'
            f'<img src="data:image/png;base64,{data}" alt="{e(trend["method"])} against '
            f'release date, coloured by provider, with the fitted trend">'
            f"<figcaption>{e(slope_sentence(trend))}</figcaption></figure>")
