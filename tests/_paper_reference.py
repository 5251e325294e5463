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


def model_scores(df: pd.DataFrame, sheet: pd.DataFrame) -> pd.Series:
    """The log-π-weighted mean neutral z-score per model, items keyed by (questionnaire, text)."""
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
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

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
    f = pd.DataFrame(scores)
    f = f.dropna(thresh=int(0.8 * len(scores))).fillna(0)
    x = StandardScaler().fit_transform(f.to_numpy())
    pcs = PCA(n_components=min(5, *x.shape)).fit(x)
    return pd.Series(pcs.transform(x)[:, 0], index=f.index)
