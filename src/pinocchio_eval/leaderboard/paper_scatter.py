"""Scatter plot of a panel's Π against the paper's, one labelled point per shared model.

Drawn from a :class:`~pinocchio_eval.scoring.compare_paper.PaperComparison`: Π panel on
neutral answers, and beside it the llm_analog variant when the panel has one. Points are
coloured by provider like the leaderboard chart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..scoring.compare_paper import PaperComparison
from .chart import provider_colours
from .model import provider_from_id

PANELS = (("pi_panel", "paper_pi_panel", "spearman", "Π panel (neutral)"),
          ("pi_llm_analog", "paper_pi_llm_analog", "spearman_llm_analog",
           "Π on llm_analog answers"))


def render_paper_scatter(comparison: PaperComparison, path: str | Path,
                         dpi: int = 120) -> Path:
    """Write the plot as PNG (matplotlib, Agg backend) and return its path."""
    import matplotlib  # lazy: heavy (matplotlib)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: heavy (matplotlib)

    path = Path(path)
    table = comparison.table
    shown = [p for p in PANELS if table[p[0]].notna().any()] or [PANELS[0]]
    fig, axes = plt.subplots(1, len(shown), figsize=(6.5 * len(shown), 6.2), squeeze=False)
    providers = table["paper_id"].map(provider_from_id)
    colours = provider_colours(providers)
    try:
        for ax, (ours, theirs, key, label) in zip(axes[0], shown, strict=True):
            ok = table[ours].notna().to_numpy()
            rho = getattr(comparison, key)
            if not ok.any():
                ax.text(0.5, 0.5, "No shared model has this score.", ha="center",
                        va="center", transform=ax.transAxes)
            else:
                sub = table[ok]
                ax.scatter(sub[theirs], sub[ours], s=22, zorder=3,
                           c=[colours[p] for p in providers[ok]])
                for x, y, name in zip(sub[theirs], sub[ours], sub["paper_id"], strict=True):
                    ax.annotate(name.split("/")[-1], (x, y), fontsize=6, xytext=(3, 2),
                                textcoords="offset points")
                ax.axhline(0, color="#bbb", lw=0.6)
                ax.axvline(0, color="#bbb", lw=0.6)
            shown_rho = "n/a" if np.isnan(rho) else f"{rho:.3f}"
            ax.set_title(f"{label}: Spearman ρ = {shown_rho} (n = {int(ok.sum())})",
                         fontsize=9)
            ax.set_xlabel(f"the paper's {label}")
            ax.set_ylabel(f"this panel's {label}")
            ax.grid(color="#eee")
        fig.suptitle("This panel against the paper's 50-model board (compare ranks, not "
                     "values)", fontsize=10)
        fig.tight_layout()
        fig.savefig(path, dpi=dpi)
    finally:
        plt.close(fig)
    return path
