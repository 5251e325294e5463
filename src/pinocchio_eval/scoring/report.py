"""The paper's panel statistics on a user's panel, as Markdown and as plain data.

Covers: PC1/PC2 variance explained; Tucker congruence of first-factor loadings between
conditions (per questionnaire, on shared items); the specificity contrast (do high-π items
carry the axis more than low-π items, in neutral but not in human_simulation); and the
correlations among Π_panel, Π_axis and Π_self.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .axis import fit_groups
from .compare import interval_text
from .efa import tucker_congruence
from .matrices import PanelData
from .result import PiScores

PAIRS = (("llm_analog", "neutral"), ("human_simulation", "llm_analog"),
         ("human_simulation", "neutral"))
SHORT = {"neutral": "n", "llm_analog": "la", "human_simulation": "hs"}


def congruence(panel: PanelData, seed: int = 0) -> pd.DataFrame:
    """|φ| between conditions' first-factor loadings, per questionnaire group."""
    fits = {}
    for cond in SHORT:
        if cond in panel.matrices:
            groups, _ = fit_groups(panel, cond, seed)
            fits[cond] = {g.name: dict(zip(g.columns.tolist(), g.loadings, strict=True))
                          for g in groups}
    rows = []
    names = sorted(set().union(*[set(f) for f in fits.values()])) if fits else []
    for name in names:
        row: dict[str, Any] = {"questionnaire": name}
        for a, b in PAIRS:
            la, lb = fits.get(a, {}).get(name), fits.get(b, {}).get(name)
            key = f"phi_{SHORT[a]}_{SHORT[b]}"
            if la is None or lb is None:
                row[key] = np.nan
                continue
            common = sorted(set(la) & set(lb))
            row[key] = (tucker_congruence(np.array([la[c] for c in common]),
                                          np.array([lb[c] for c in common]))
                        if len(common) >= 2 else np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def _col_corr(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of every column of x with y over rows where both are present."""
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        ok = ~(np.isnan(x[:, j]) | np.isnan(y))
        if ok.sum() >= 3 and np.std(x[ok, j]) > 0 and np.std(y[ok]) > 0:
            out[j] = np.corrcoef(x[ok, j], y[ok])[0, 1]
    return out


def specificity(panel: PanelData, items: pd.DataFrame, axis_scores: np.ndarray) -> pd.DataFrame:
    """Per condition: how item π relates to the item's correlation with Π_axis.

    For each condition, r_i = corr(answers to item i, Π_axis) across models. Reported: the
    Pearson and Spearman correlation of ln π_i with r_i over items, and the mean r_i of the
    high-π quarter minus that of the low-π quarter (the contrast). The paper's reading is that
    the link is positive for the self-report conditions and absent or negative for
    human_simulation.
    """
    log_pi = items["log_pi"].to_numpy()
    ok_pi = np.isfinite(log_pi)
    if ok_pi.sum() < 8:
        return pd.DataFrame()
    q_lo, q_hi = np.nanpercentile(log_pi[ok_pi], [25, 75])
    rows = []
    for cond in SHORT:
        if cond not in panel.matrices:
            continue
        r = _col_corr(panel.matrix(cond), axis_scores)
        ok = ok_pi & np.isfinite(r)
        if ok.sum() < 3:
            continue
        s = pd.Series(r[ok])
        lp = pd.Series(log_pi[ok])
        hi = r[ok & (log_pi >= q_hi)]
        lo = r[ok & (log_pi <= q_lo)]
        rows.append({"condition": cond, "n_items": int(ok.sum()),
                     "pearson_r": float(np.corrcoef(lp, s)[0, 1]),
                     "spearman_rho": float(lp.rank().corr(s.rank())),
                     "mean_r_high_pi": float(np.mean(hi)) if hi.size else np.nan,
                     "mean_r_low_pi": float(np.mean(lo)) if lo.size else np.nan,
                     "contrast": (float(np.mean(hi) - np.mean(lo))
                                  if hi.size and lo.size else np.nan)})
    return pd.DataFrame(rows)


def md_table(df: pd.DataFrame, floatfmt: str = "{:.3f}") -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            if isinstance(v, float | np.floating):
                cells.append("" if np.isnan(v) else floatfmt.format(v))
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pct(v: float | None) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{100 * v:.1f} %"


def _groups_section(groups: dict[str, Any]) -> list[str]:
    out = ["", "## Π by provider and family", ""]
    plural = {"provider": "providers", "family": "families"}
    for by, block in groups.items():
        table = pd.DataFrame(block["groups"])
        if table.empty:
            continue
        out += [f"### By {by}", "", md_table(table), ""]
        for col, sh in block["between_share"].items():
            out.append(f"- {col}: {_pct(sh['share'])} of the variance lies between {plural[by]} "
                       f"(95 % interval over models {_pct(sh['ci_low'])} – "
                       f"{_pct(sh['ci_high'])}; {sh['n_models']} models in {sh['n_groups']} "
                       f"{plural[by]}, where chance alone gives about {_pct(sh['chance'])}).")
        out.append("")
    out.append("The share is η² (between-group over total sum of squares); its interval "
               "resamples models with replacement. Few models per group make it noisy: read "
               "it against the chance level, as the paper reads provider differences — "
               "exploratory.")
    return out


def _trend_section(trends: dict[str, Any]) -> list[str]:
    out = ["", "## Π against release date", ""]
    for col, t in trends.items():
        if t is None:
            continue
        a, w = t["all"], t["without_influential"]
        line = (f"- {col}: slope {a['slope_per_year']:+.3f} per year (95 % CI "
                f"{a['ci_low']:+.3f} … {a['ci_high']:+.3f}, n = {a['n']})")
        names = ", ".join(i["model"] for i in t["influential"]) or "none"
        if w is not None:
            line += (f"; without the influential models ({names}): {w['slope_per_year']:+.3f} "
                     f"({w['ci_low']:+.3f} … {w['ci_high']:+.3f}, n = {w['n']})")
        else:
            line += f"; influential models: {names}"
        out.append(line + ".")
    out += ["", "Influential: Cook's distance above 4 / n in the fit on every dated model."]
    return out


def _stability_section(rs: dict[str, Any]) -> list[str]:
    out = ["", "## How much the ranking depends on the panel", "",
           f"{rs['refits']} refits ({rs['mode']}, seed {rs['seed']}); every refit scores all "
           "models, and stability is the Spearman correlation of a refit's scores with the "
           "full panel's.", ""]
    for col in ("pi_panel", "pi_axis"):
        if col in rs and rs[col]["median_spearman"] is not None:
            out.append(f"- {col}: median Spearman {rs[col]['median_spearman']:.3f}, lowest "
                       f"{rs[col]['min_spearman']:.3f} over {rs[col]['refits_scored']} refits.")
    out.append("- pi_self: needs no panel, so its score and rank are the same under every "
               "refit (Spearman 1 by construction); its uncertainty is over questionnaires "
               "only (see its bootstrap interval).")
    return out


def _finetune_section(fine: list[dict[str, Any]]) -> list[str]:
    out = ["", "## Fine-tunes against their parents (ΔΠ_self = fine-tune − parent)", ""]
    for f in fine:
        if "error" in f:
            out.append(f"- {f['b']} vs {f['a']}: not computed ({f['error']}).")
            continue
        moved = ", ".join(f"{q['questionnaire']} {q['delta']:+.3f}"
                          for q in f["per_questionnaire"][:3])
        verdict = {True: ", excludes 0", False: ", includes 0", None: ""}[f["excludes_zero"]]
        out.append(f"- {f['b']} vs {f['a']}: ΔΠ_self {f['delta_pi_self']:+.3f} (95 % "
                   f"{interval_text(f['ci_low'], f['ci_high'])}{verdict}); moved most: "
                   f"{moved}.")
    return out


def questions_sections(summary: dict[str, Any]) -> list[str]:
    """Report sections for the provider, trend, panel-dependence and fine-tune analyses."""
    out: list[str] = []
    if summary.get("groups"):
        out += _groups_section(summary["groups"])
    if summary.get("release_trend"):
        out += _trend_section(summary["release_trend"])
    if summary.get("panel_resample"):
        out += _stability_section(summary["panel_resample"])
    if summary.get("fine_tunes"):
        out += _finetune_section(summary["fine_tunes"])
    return out


def build_report(result: PiScores, seed: int = 0) -> str:
    """A Markdown report of the panel statistics for a scored panel."""
    s, panel = result.summary, result.panel
    assert panel is not None
    out = ["# Pinocchio panel report", ""]
    out.append(f"Models: {s['n_models']}; items: {s['n_items']}; conditions: "
               f"{', '.join(s['conditions'])}.")
    if s.get("compat") == "paper":
        out.append("Method: paper mode, the authors' analysis (docs/methods.md lists how it "
                   "differs from the default).")
    if "n_weighted_items" in s:
        out.append(f"Items with a π weight (π > 1, ≥ 5 models per condition): "
                   f"{s['n_weighted_items']}; cap (99th percentile of π): {s['cap']:.3f}.")
    out += ["", "## Method status", ""]
    out += [f"- {k}: {v}" for k, v in result.status.items()]
    out += _axis_section(s)
    out += _congruence_section(panel, seed)
    out += _specificity_section(result)
    out += ["", "## Agreement among the methods", ""]
    corr = [{"pair": k[5:].replace("_pi_", " vs pi_"), **v} for k, v in s.items()
            if k.startswith("corr_")]
    out.append(md_table(pd.DataFrame(corr)) if corr else "Only one method available.")
    out += questions_sections(s)
    out += _scores_section(result)
    if result.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in result.notes]
    return "\n".join(out) + "\n"


def _axis_section(s: dict[str, Any]) -> list[str]:
    """The Pinocchio Axis: PC1/PC2 shares against the paper's, or why there is none."""
    out = ["", "## Pinocchio Axis (PCA across questionnaires)", ""]
    if "pc1_variance" in s:
        out.append(f"PC1 explains {100 * s['pc1_variance']:.1f} % of the variance, PC2 "
                   f"{100 * s['pc2_variance']:.1f} % (paper: 47.1 % and 12.0 % over 50 models × "
                   f"45 questionnaires). {s['axis_questionnaires']} questionnaires; PC1 "
                   f"orientation: {s['axis_orientation']}.")
    else:
        out.append("Not available for this input.")
    return out


def _congruence_section(panel: PanelData, seed: int) -> list[str]:
    """Tucker's φ between the conditions' first-factor loadings, summarised per pair."""
    out = ["", "## Tucker congruence of first-factor loadings between conditions", ""]
    cong = congruence(panel, seed)
    if cong.empty:
        return [*out, "Not available (needs at least two conditions)."]
    summ = []
    for col in [c for c in cong.columns if c.startswith("phi_")]:
        v = cong[col].dropna()
        summ.append({"pair": col[4:].replace("_", "–"), "n": len(v),
                     "mean": v.mean() if len(v) else np.nan,
                     "median": v.median() if len(v) else np.nan})
    out.append(md_table(pd.DataFrame(summ)))
    both = cong[["phi_la_n", "phi_hs_la"]].dropna()
    if len(both):
        share = float((both["phi_la_n"] > both["phi_hs_la"]).mean())
        out += ["", f"φ(la,n) > φ(hs,la) in {100 * share:.1f} % of questionnaires "
                    "(paper: 82.2 %; mean φ(la,n) 0.696, φ(hs,la) 0.599)."]
    return out


def _specificity_section(result: PiScores) -> list[str]:
    """Item π against the item's correlation with Π_axis, beside the paper's figures."""
    out = ["", "## Specificity contrast (item π vs the item's correlation with Π_axis)", ""]
    if result.items is None or "pi_axis" not in result.scores:
        return [*out, "Not available (needs Π_panel's item table and Π_axis)."]
    assert result.panel is not None
    spec = specificity(result.panel, result.items, result.scores["pi_axis"].to_numpy())
    out.append(md_table(spec) if not spec.empty else "Not enough items.")
    out += ["", "Paper (correlation of item π with its PC1 correlation): llm_analog r = 0.113, "
                "neutral r = 0.091, human_simulation r = −0.074."]
    return out


def _scores_section(result: PiScores) -> list[str]:
    """The per-model scores, highest first by the first method the panel has."""
    cols = [c for c in ("model", "provider", "pi_panel", "pi_axis", "pi_self", "parse_rate")
            if c in result.scores]
    sort_col = next((c for c in ("pi_panel", "pi_axis", "pi_self") if c in result.scores),
                    "model")
    table = result.scores[cols].sort_values(sort_col, ascending=False, na_position="last")
    return ["", "## Scores", "", md_table(table)]
