"""An independent, test-side transcription of the authors' analysis (their public scripts for
π, the per-model score and the Pinocchio Axis), written step by step on their table schema.

Paper mode in ``pinocchio_eval.scoring.paper`` must agree with it; nothing here is imported by
the package. It follows the scripts' order of operations on purpose (row filters, groupings,
pivots, pandas/scipy/scikit-learn calls), so a shortcut taken in the package shows up as a
difference. Parallel analysis is not transcribed: it draws unseeded random numbers, so the
factor counts come from a summary-shaped table, exactly as ``--factors`` gives them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def usable(df: pd.DataFrame, excluded: set[str]) -> pd.DataFrame:
    """Rows whose response is a number; excluded (superseded) questionnaires dropped."""
    df = df[df["response"].notna() & (df["response"].astype(str) != "")].copy()
    df["response"] = pd.to_numeric(df["response"], errors="coerce")
    df = df.dropna(subset=["response"])
    return df[~df["questionnaire"].isin(excluded)]


def pi_sheet(df: pd.DataFrame) -> pd.DataFrame:
    """π per (questionnaire, item_index), rounded, sorted highest first."""
    rows = []
    for (quest, idx), grp in df.groupby(["questionnaire", "item_index"]):
        neutral = grp[grp["condition"] == "neutral"]["response"]
        human = grp[grp["condition"] == "human_simulation"]["response"]
        if len(neutral) < 5 or len(human) < 5:
            continue
        v_n, v_h = float(neutral.var()), float(human.var())
        if v_h == 0:
            continue
        rows.append({"questionnaire": quest, "item_index": idx, "item": grp["item"].iloc[0],
                     "var_neutral": round(v_n, 3), "var_human_sim": round(v_h, 3),
                     "pinocchio_score": round(v_n / v_h, 3)})
    return pd.DataFrame(rows).sort_values("pinocchio_score", ascending=False)


def model_scores(df: pd.DataFrame, sheet: pd.DataFrame, cap: float | None = None) -> pd.Series:
    """The log-π-weighted mean neutral z-score per model, items keyed by (questionnaire, text);
    ``cap`` fixed from outside in the bootstrap, else the sheet's 99th percentile."""
    if cap is None:
        cap = sheet["pinocchio_score"].quantile(0.99)
    sheet = sheet.assign(weight=np.log(sheet["pinocchio_score"].clip(upper=cap)))
    sheet = sheet[sheet["weight"] > 0]
    weights = {}
    for _, row in sheet.iterrows():
        weights[(row["questionnaire"], row["item"])] = row["weight"]
    neutral = df[df["condition"] == "neutral"].copy()
    neutral["item_key"] = list(zip(neutral["questionnaire"], neutral["item"], strict=True))
    neutral = neutral[neutral["item_key"].isin(weights)]
    pivot = neutral.pivot_table(index="model", columns="item_key", values="response",
                                aggfunc="mean")
    z = pivot.apply(stats.zscore, nan_policy="omit", axis=0)
    w = np.array([weights[k] for k in z.columns])

    def one(row: pd.Series) -> float:
        ok = ~np.isnan(row.to_numpy())
        return np.average(row.to_numpy()[ok], weights=w[ok]) if ok.any() else np.nan

    return z.apply(one, axis=1)


def first_factor_loadings(df: pd.DataFrame, n_factors: dict[str, int]) -> dict[str, pd.Series]:
    """Neutral first-factor loadings per questionnaire, indexed by item text."""
    from factor_analyzer import FactorAnalyzer
    from sklearn.decomposition import PCA

    from pinocchio_eval.scoring.efa import factor_analyzer_compat

    out = {}
    neutral = df[df["condition"] == "neutral"]
    for quest in sorted(neutral["questionnaire"].unique()):
        m = neutral[neutral["questionnaire"] == quest].pivot_table(
            index="model", columns="item", values="response").dropna()
        m = m.loc[:, m.std() > 0]
        n, p = m.shape
        if n < 2 or p < 2:
            continue
        k = min(max(1, n_factors.get(quest, 1)), n - 1, p - 1)
        if n <= p:
            load = PCA(n_components=k).fit(m.to_numpy()).components_.T[:, 0]
        else:
            fa = FactorAnalyzer(n_factors=k, rotation="oblimin", method="minres")
            with factor_analyzer_compat():
                fa.fit(m.to_numpy())
            load = fa.loadings_[:, 0]
        out[quest] = pd.Series(load, index=m.columns)
    return out


def axis_pc1(df: pd.DataFrame, loadings: dict[str, pd.Series]) -> pd.Series:
    """PC1 of the standardised models × questionnaires first-factor score matrix."""
    scores = factor_scores(df, loadings)
    return pc1_of(scores, list(scores))


def pc1_of(scores: dict[str, pd.Series], chosen: list[str]) -> pd.Series:
    """PC1 over the chosen questionnaires (a dict of them: each one once)."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    mat = pd.DataFrame({q: scores[q] for q in chosen})
    mat = mat.dropna(thresh=int(0.8 * mat.shape[1])).fillna(0)
    x = StandardScaler().fit_transform(mat.to_numpy())
    return pd.Series(PCA(n_components=1).fit_transform(x)[:, 0], index=mat.index)


def axis_bootstrap(scores: dict[str, pd.Series], n_boot: int, seed: int = 42
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Reference PC1 and its 2.5/97.5 percentiles over questionnaire-resampling draws."""
    import re

    files = sorted(re.sub(r'[\\/*?:"<>|]', "_", q) + "__neutral.csv" for q in scores)
    names = [f[: -len("__neutral.csv")] for f in files]
    rng = np.random.default_rng(seed)
    ref = pc1_of(scores, names)
    draws: dict[str, list[float]] = {m: [] for m in ref.index}
    for _ in range(n_boot):
        pc = pc1_of(scores, [names[i] for i in rng.integers(0, len(names), len(names))])
        common = pc.index.intersection(ref.index)
        if len(common) < 5:
            continue
        if stats.pearsonr(pc[common], ref[common])[0] < 0:
            pc = -pc
        if pc[common].std() > 1e-9:
            pc = ((pc - pc[common].mean()) / pc[common].std() * ref[common].std()
                  + ref[common].mean())
        for m in ref.index:
            if m in pc.index:
                draws[m].append(pc[m])
    lo = pd.Series({m: np.percentile(v, 2.5) for m, v in draws.items()})
    hi = pd.Series({m: np.percentile(v, 97.5) for m, v in draws.items()})
    return ref, lo, hi


def factor_scores(df: pd.DataFrame, loadings: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """Per questionnaire: neutral item z-scores (SD + 1e-9, missing 0) times the loadings."""
    neutral = df[df["condition"] == "neutral"]
    scores = {}
    for quest, f1 in loadings.items():
        piv = neutral[neutral["questionnaire"] == quest].pivot_table(
            index="model", columns="item", values="response")
        common = [i for i in f1.index if i in piv.columns]
        if len(common) < 3:
            continue
        z = (piv[common] - piv[common].mean()) / (piv[common].std() + 1e-9)
        scores[quest] = pd.Series(z.fillna(0).to_numpy() @ f1.reindex(common).to_numpy(),
                                  index=z.index)
    return scores


def panel_bootstrap(df: pd.DataFrame, sheet: pd.DataFrame, n_boot: int, seed: int = 42
                    ) -> tuple[pd.Series, pd.Series]:
    """2.5/97.5 percentiles of the per-model score over questionnaire-resampling draws, with
    the π weights fixed and every draw rescaled to the reference scores."""
    cap = sheet["pinocchio_score"].quantile(0.99)
    sheet = sheet.assign(weight=np.log(sheet["pinocchio_score"].clip(upper=cap)))
    sheet = sheet[sheet["weight"] > 0]
    names = sheet["questionnaire"].unique().tolist()
    rng = np.random.default_rng(seed)

    def scores_for(chosen: list[str]) -> pd.Series:
        sub = pd.concat([sheet[sheet["questionnaire"] == q] for q in dict.fromkeys(chosen)])
        return model_scores(df, sub.drop(columns="weight"), cap=cap).dropna()

    ref = scores_for(names)
    draws: dict[str, list[float]] = {m: [] for m in ref.index}
    for _ in range(n_boot):
        s = scores_for([names[i] for i in rng.integers(0, len(names), len(names))])
        common = s.index.intersection(ref.index)
        if len(common) < 5:
            continue
        if s[common].std() > 1e-9:
            s = (s - s[common].mean()) / s[common].std() * ref[common].std() + ref[common].mean()
        for m in ref.index:
            if m in s.index:
                draws[m].append(s[m])
    return (pd.Series({m: np.percentile(v, 2.5) for m, v in draws.items()}),
            pd.Series({m: np.percentile(v, 97.5) for m, v in draws.items()}))
