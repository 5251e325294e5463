"""Measure every difference between the default method and paper mode (docs/methods.md).

On a seeded synthetic panel shaped like the real battery and stored in the authors' schema
(merged MFQ, 8 % empty answer cells whose raw text still names a number, two models with no
readable answer), each row switches ONE of the authors' rules back to the project's and
compares the scores with full paper mode: Spearman ρ and the largest change of a single model
in SDs of the paper-mode score (max |Δ|/SD), over the models both score. The first rows compare
the whole default method with paper mode.

Usage: python benchmarks/paper_vs_default.py [--models 50] [--seed 0] [--draws 200]
Prints a Markdown table (a few minutes on two cores; factor fitting dominates).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.hygiene import clean_responses
from pinocchio_eval.scoring.paper import PaperRules, run_paper
from pinocchio_eval.scoring.synthetic import battery_spec, make_panel, paper_schema


def compare(a: pd.Series, b: pd.Series) -> tuple[float, float, int]:
    """(Spearman ρ, max |a − b| in SDs of b, n) over models both score."""
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    rho = float(both["a"].rank().corr(both["b"].rank()))
    return rho, float((both["a"] - both["b"]).abs().max() / both["b"].std()), len(both)


def panel(seed: int, n_models: int) -> pd.DataFrame:
    spec, w = battery_spec()
    exp = {(q, int(i)): r > 0.3 for q, i, r in zip(w.questionnaire, w.item_index, w.r_pc1,
                                                   strict=True)}
    sp = make_panel(n_models, spec=spec, seed=seed, experiential=exp,
                    conditions=("neutral", "human_simulation"))
    return paper_schema(sp.table, seed=seed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--draws", type=int, default=200, help="bootstrap draws for the widths")
    args = ap.parse_args()
    t0 = time.perf_counter()
    from pinocchio_eval.responses import validate_response_table

    table = validate_response_table(panel(args.seed, args.models))
    clean = clean_responses(table)
    paper = run_paper(clean, seed=42)
    ref_panel, ref_axis = paper.pi_panel, paper.pi_axis
    assert ref_axis is not None and paper.explained is not None
    rows = []

    def add(what: str, method: str, a: pd.Series | None, b: pd.Series, extra: str = "") -> None:
        if a is None:
            return
        rho, dmax, n = compare(a, b)
        rows.append((what, method, f"{rho:.4f}", f"{dmax:.3f}", str(n), extra))

    default = score_table(clean, methods=("panel", "axis"), seed=0).scores.set_index("model")
    add("whole default method", "Π_panel", default["pi_panel"], ref_panel)
    add("whole default method", "Π_axis", default["pi_axis"], ref_axis)

    def switched(rules: PaperRules | None = None, use: object = clean):
        return run_paper(use, seed=42, rules=rules or PaperRules())  # type: ignore[arg-type]

    run = switched(PaperRules(pca="correlation"))
    assert run.explained is not None
    add("1 PCA fallback on correlations, loadings × √λ", "Π_axis", run.pi_axis, ref_axis,
        f"PC1 share {100 * run.explained[0]:.1f} % vs {100 * paper.explained[0]:.1f} %")
    revived = clean_responses(table, reparse=True)
    run = switched(use=revived)
    n_back = int(np.sum(~np.isnan(revived.table["value"]))
                 - np.sum(~np.isnan(clean.table["value"])))
    add("2 empty answers re-parsed from response_raw", "Π_panel", run.pi_panel, ref_panel,
        f"{n_back} answers revived; {run.pi_panel.notna().sum()} models scored vs "
        f"{ref_panel.notna().sum()}")
    add("2 empty answers re-parsed from response_raw", "Π_axis", run.pi_axis, ref_axis)
    run = switched(PaperRules(pool_mfq=False))
    add("3 MFQ parts kept apart (32 π values)", "Π_panel", run.pi_panel, ref_panel)
    run = switched(PaperRules(key_by_text=False))
    add("4 duplicate texts kept apart (BAI 0/13, STAI)", "Π_panel", run.pi_panel, ref_panel)
    add("4 duplicate texts kept apart (BAI 0/13, STAI)", "Π_axis", run.pi_axis, ref_axis)
    run = switched(PaperRules(pa_rule="leading"))
    k_all = {q: f.n_factors for q, f in paper.factors.items()}
    k_lead = {q: f.n_factors for q, f in run.factors.items()}
    changed = sum(k_all[q] != k_lead.get(q) for q in k_all)
    add("5 parallel analysis counts the leading run", "Π_axis", run.pi_axis, ref_axis,
        f"factor count differs in {changed} of {len(k_all)} questionnaires")
    run = switched(PaperRules(round_pi=False))
    add("7 π and variances not rounded", "Π_panel", run.pi_panel, ref_panel)

    boot_p = run_paper(clean, seed=42, bootstrap=args.draws)
    boot_d = score_table(clean, methods=("panel", "axis"), bootstrap=args.draws,
                         seed=0).scores.set_index("model")
    for name, interval, col in (("Π_panel", boot_p.panel_interval, "pi_panel"),
                                ("Π_axis", boot_p.axis_interval, "pi_axis")):
        assert interval is not None
        w_paper = np.nanmedian(interval[1] - interval[0])
        w_def = np.nanmedian(boot_d[f"{col}_hi"] - boot_d[f"{col}_lo"])
        sd_paper = (ref_panel if col == "pi_panel" else ref_axis).std()
        sd_def = boot_d[col].std()
        rows.append(("6 bootstrap (median 95 % width / score SD)", name, "", "", "",
                     f"default {w_def / sd_def:.3f} vs paper {w_paper / sd_paper:.3f} "
                     f"(× {(w_def / sd_def) / (w_paper / sd_paper):.2f})"))

    print(f"# Default vs paper mode: {args.models} synthetic models, seed {args.seed}, "
          f"{args.draws} bootstrap draws ({time.perf_counter() - t0:.0f} s)\n")
    print("| difference (switched back to the project's rule) | score | Spearman ρ | "
          "max abs Δ / SD | models | note |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
