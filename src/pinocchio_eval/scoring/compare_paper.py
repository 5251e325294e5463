"""Does a replication agree with the paper? Rank correlations with the paper's 50-model board.

Π_panel is relative to the panel scored together, so numbers from two panels are not on one
scale; what can be compared is the *order* of the models both panels share. For the models of
a scored panel that are on the paper's board this gives

- Spearman's ρ between this panel's Π_panel and the paper's (neutral answers);
- the same for the paper's llm_analog variant: the panel's π weights (from neutral and
  human_simulation) applied to llm_analog answers z-scored across models, as the authors'
  robustness check did;
- PC1's and PC2's share of variance of the axis PCA next to the paper's 47.1 % and 12.0 %.

Model ids are matched exactly, then after a routing prefix (``openrouter/openai/gpt-4o`` is the
paper's ``openai/gpt-4o``), then by the spellings ``leaderboard merge`` accepts. Models that
match nothing are listed with the closest paper ids; two inputs that match one paper model are
both left out (a paper model is never counted twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ..model_ids import match_ids
from ..paper_reference import PAPER_PC1_VARIANCE, PAPER_PC2_VARIANCE, paper_board
from .matrices import PanelData
from .panel import fit_panel, item_norms, weighted_scores, zscores
from .report import md_table
from .result import PiScores

#: Fewer shared models than this give no correlation.
MIN_SHARED = 3


@dataclass
class PaperComparison:
    """The comparison's numbers; ``table`` holds one row per model found on the paper board."""

    table: pd.DataFrame
    spearman: float
    spearman_p: float
    n_models: int
    spearman_llm_analog: float
    spearman_llm_analog_p: float
    n_models_llm_analog: int
    pc1_variance: float
    pc2_variance: float
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN stays NaN; the caller's encoder decides)."""
        return {
            "spearman": self.spearman, "spearman_p": self.spearman_p,
            "n_models": self.n_models,
            "spearman_llm_analog": self.spearman_llm_analog,
            "spearman_llm_analog_p": self.spearman_llm_analog_p,
            "n_models_llm_analog": self.n_models_llm_analog,
            "pc1_variance": self.pc1_variance, "pc2_variance": self.pc2_variance,
            "paper_pc1_variance": PAPER_PC1_VARIANCE, "paper_pc2_variance": PAPER_PC2_VARIANCE,
            "unmatched": self.unmatched, "duplicates": self.duplicates, "notes": self.notes,
            "models": self.table.to_dict(orient="records"),
        }

    def markdown(self) -> str:
        """A report section: headline figures, then the shared models side by side."""
        def rho(value: float, p: float, n: int) -> str:
            if np.isnan(value):
                return f"not available ({n} shared model(s) with a score)"
            return f"ρ = {value:.3f} (p = {p:.2g}, {n} models)"

        neutral = rho(self.spearman, self.spearman_p, self.n_models)
        analog = rho(self.spearman_llm_analog, self.spearman_llm_analog_p,
                     self.n_models_llm_analog)
        out = ["## Comparison with the paper", "",
               "Ranks only: Π panel is relative to the panel scored together, so the numbers "
               "of two panels are not on one scale.", "",
               f"- Spearman, Π panel (neutral) vs the paper's: {neutral}",
               f"- Spearman, Π on llm_analog answers vs the paper's: {analog}",
               f"- PC1 share of variance: {_pct(self.pc1_variance)} (paper "
               f"{_pct(PAPER_PC1_VARIANCE)}); PC2: {_pct(self.pc2_variance)} (paper "
               f"{_pct(PAPER_PC2_VARIANCE)})"]
        if self.unmatched:
            out += ["", f"{len(self.unmatched)} model(s) not on the paper's board:"]
            for model, close in sorted(self.unmatched.items()):
                hint = f"closest: {', '.join(close)}" if close else "no close paper id"
                out.append(f"- `{model}` ({hint})")
        if self.duplicates:
            out += ["", "Left out, several inputs match one paper model:"]
            out += [f"- `{pid}`: {', '.join(f'`{m}`' for m in ms)}"
                    for pid, ms in sorted(self.duplicates.items())]
        if self.notes:
            out += ["", "Notes:"] + [f"- {n}" for n in self.notes]
        if not self.table.empty:
            out += ["", md_table(self.table)]
        return "\n".join(out) + "\n"


def _pct(value: float) -> str:
    return "n/a" if value is None or np.isnan(value) else f"{100 * value:.1f} %"


def match_paper_ids(models: list[str], paper_ids: list[str]
                    ) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """Map input model ids to paper ids: ``{model: (paper_id, how)}`` and the unmatched."""
    matched: dict[str, tuple[str, str]] = {}
    rest = []
    for m in models:
        if m in paper_ids:
            matched[m] = (m, "exact")
            continue
        tails = [p for p in paper_ids if m.lower().endswith("/" + p.lower())]
        if len(tails) == 1:
            matched[m] = (tails[0], "after routing prefix")
        else:
            rest.append(m)
    more, unmatched = match_ids(rest, paper_ids)
    matched.update(more)
    return matched, unmatched


def llm_analog_scores(panel: PanelData) -> pd.Series | None:
    """Π on llm_analog answers with the panel's neutral weights (the paper's robustness check).

    Needs the panel method's weights (neutral and human_simulation) and llm_analog answers;
    each item is z-scored across the models that answered it (population SD, as the authors
    did). None when the panel cannot give weights or has no llm_analog answers.
    """
    if not {"neutral", "human_simulation", "llm_analog"} <= set(panel.matrices):
        return None
    fit = fit_panel(panel)
    if not (fit.weights > 0).any():
        return None
    analog = panel.matrix("llm_analog")
    mean, sd = item_norms(analog)
    score, _ = weighted_scores(zscores(analog, mean, sd), fit.weights)
    return pd.Series(score, index=panel.models, name="pi_llm_analog")


def _spearman(a: pd.Series, b: pd.Series) -> tuple[float, float, int]:
    ok = a.notna() & b.notna()
    n = int(ok.sum())
    if n < MIN_SHARED or a[ok].nunique() < 2 or b[ok].nunique() < 2:
        return float("nan"), float("nan"), n
    res = spearmanr(a[ok], b[ok])
    return float(res.statistic), float(res.pvalue), n


def compare_with_paper(result: PiScores, board: pd.DataFrame | None = None
                       ) -> PaperComparison:
    """Compare a scored panel with the paper's board (default: the shipped one)."""
    board = paper_board() if board is None else board
    scores = result.scores.set_index("model")
    models = [str(m) for m in scores.index]
    matched, unmatched = match_paper_ids(models, board["model"].astype(str).tolist())
    notes: list[str] = []
    by_paper: dict[str, list[str]] = {}
    for model, (pid, _) in matched.items():
        by_paper.setdefault(pid, []).append(model)
    duplicates = {pid: sorted(ms) for pid, ms in by_paper.items() if len(ms) > 1}
    keep = {m: v for m, v in matched.items() if v[0] not in duplicates}

    paper = board.set_index("model")
    analog = llm_analog_scores(result.panel) if result.panel is not None else None
    rows = []
    for model, (pid, how) in sorted(keep.items(), key=lambda kv: kv[1][0]):
        rows.append({"model": model, "paper_id": pid, "match": how,
                     "pi_panel": scores.at[model, "pi_panel"] if "pi_panel" in scores
                     else np.nan,
                     "paper_pi_panel": float(paper.at[pid, "pi_panel"]),
                     "pi_llm_analog": analog.get(model, np.nan) if analog is not None
                     else np.nan,
                     "paper_pi_llm_analog": float(paper.at[pid, "pi_llm_analog"])})
    cols = ["model", "paper_id", "match", "pi_panel", "paper_pi_panel", "pi_llm_analog",
            "paper_pi_llm_analog"]
    table = pd.DataFrame(rows, columns=cols)
    for c in cols[3:]:
        table[c] = table[c].astype(float)

    panel_status = result.status.get("panel", "not asked")
    if not panel_status.startswith("ok"):
        notes.append(f"no Π panel for this input ({panel_status})")
    if analog is None:
        notes.append("no llm_analog variant: needs neutral, human_simulation and llm_analog "
                     "answers with a usable π weight")
    if len(table) < MIN_SHARED:
        notes.append(f"only {len(table)} model(s) of this input are on the paper's board; a "
                     f"rank correlation needs at least {MIN_SHARED}")
    rho, p, n = _spearman(table["pi_panel"], table["paper_pi_panel"])
    rho_a, p_a, n_a = _spearman(table["pi_llm_analog"], table["paper_pi_llm_analog"])
    summary = result.summary
    return PaperComparison(
        table=table, spearman=rho, spearman_p=p, n_models=n,
        spearman_llm_analog=rho_a, spearman_llm_analog_p=p_a, n_models_llm_analog=n_a,
        pc1_variance=float(summary.get("pc1_variance", np.nan)),
        pc2_variance=float(summary.get("pc2_variance", np.nan)),
        unmatched=unmatched, duplicates=duplicates, notes=notes)
