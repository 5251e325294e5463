"""Paper mode (``compat="paper"``): the authors' analysis choices, to get the paper's numbers back.

The default engine keys items by (questionnaire, item_index) and uses the project's statistics;
paper mode follows the authors' pipeline rule for rule (docs/methods.md lists every difference
and its measured effect):

- only answers the table gives as numbers count (no re-parsing);
- π per (questionnaire, item_index) over all answer rows, the MFQ's two parts pooled under one
  name, variances and π rounded to 3 decimals; the cap is the 99th percentile of those π;
- Π_panel and the axis key items by (questionnaire, item *text*): duplicate texts merge, and an
  MFQ π weights only the part whose text came first;
- factor counts by the authors' parallel-analysis rule (or fixed from a factors table), PCA
  fallback on the raw answers' covariance, z-scores with SD + 1e-9, models kept when they have
  at least int(0.8 × questionnaires) factor scores;
- bootstrap: questionnaires drawn with replacement but used once each, every draw rescaled to
  the reference scores' mean and SD, the π weights (and cap) fixed; the paper's seed is 42.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .axis import single_threaded_blas
from .catalog import default_group
from .efa import first_factor, stable_seed
from .factors import unused_note
from .hygiene import CleanResponses

PAPER_SEED = 42
DECIMALS = 3
MIN_ROWS = 5
CAP_QUANTILE = 0.99
SD_EPS = 1e-9
KEEP_SHARE = 0.8
MIN_COMMON_ITEMS = 3
MIN_BOOT_MODELS = 5


@dataclass(frozen=True)
class PaperRules:
    """The authors' rules that can be switched back one at a time to measure each one's effect
    (benchmarks/paper_vs_default.py); the defaults are the paper's."""

    round_pi: bool = True          # variances and π rounded to 3 decimals
    pool_mfq: bool = True          # MFQ parts under one name: π pooled per item_index
    key_by_text: bool = True       # duplicate texts in a questionnaire are one item
    pa_rule: str = "all"           # parallel analysis: "all" above threshold, or "leading"
    pca: str = "covariance"        # PCA fallback: "covariance" (paper) or "correlation"


PAPER = PaperRules()


def paper_long(clean: CleanResponses, rules: PaperRules = PAPER
               ) -> tuple[pd.DataFrame, list[str]]:
    """The usable answers in the authors' keying: MFQ parts back under the one merged name."""
    t = clean.table
    t = t[~np.isnan(t["value"].to_numpy(dtype=float))].copy()
    if rules.pool_mfq:
        t["questionnaire"] = [default_group(q) or q for q in t["questionnaire"]]
    notes = []
    no_text = t["item"].isna()
    if no_text.any():
        t.loc[no_text, "item"] = [f"[item {i}]" for i in t.loc[no_text, "item_index"]]
        notes.append(f"paper mode keys items by text; {int(no_text.sum())} row(s) have no item "
                     "text and are keyed by their item_index instead")
    t["item"] = t["item"].astype(str)
    if not rules.key_by_text:
        t["item"] = t["item"] + " #" + t["item_index"].astype(str)
    return t.reset_index(drop=True), notes


def paper_items(long: pd.DataFrame, rules: PaperRules = PAPER) -> pd.DataFrame:
    """The authors' π sheet: one row per (questionnaire, item_index) with ≥ 5 answer rows in
    each condition and a non-zero human-simulation variance; rounded to 3 decimals."""
    rows = []
    for (q, idx), g in long.groupby(["questionnaire", "item_index"], sort=True):
        cond = g["condition"].to_numpy()
        vals = g["value"].to_numpy(dtype=float)
        neu, hum = vals[cond == "neutral"], vals[cond == "human_simulation"]
        if len(neu) < MIN_ROWS or len(hum) < MIN_ROWS:
            continue
        vn, vh = float(np.var(neu, ddof=1)), float(np.var(hum, ddof=1))
        if vh == 0:
            continue
        rnd = (lambda v: round(v, DECIMALS)) if rules.round_pi else (lambda v: v)
        rows.append({"questionnaire": q, "item_index": int(idx), "item": g["item"].iloc[0],
                     "var_neutral": rnd(vn), "var_human_simulation": rnd(vh),
                     "pi": rnd(vn / vh), "n_neutral": len(neu),
                     "n_human_simulation": len(hum)})
    cols = ["questionnaire", "item_index", "item", "var_neutral", "var_human_simulation", "pi",
            "n_neutral", "n_human_simulation"]
    # the authors' sheet is sorted by π, highest first; its row order decides which of two
    # rows with the same (questionnaire, text) key gives the weight (the later one)
    return pd.DataFrame(rows, columns=cols).sort_values("pi", ascending=False)


@dataclass
class PaperWeights:
    cap: float
    table: pd.DataFrame                 # positive-weight rows, in sheet order (may repeat keys)
    weights: pd.Series                  # (questionnaire, item text) -> weight, last row wins


def paper_weights(items: pd.DataFrame) -> PaperWeights:
    """w = ln(min(π, cap)), cap = the 99th percentile of π; rows with w ≤ 0 dropped."""
    cap = float(items["pi"].quantile(CAP_QUANTILE)) if len(items) else float("nan")
    with np.errstate(divide="ignore"):
        w = np.log(items["pi"].clip(upper=cap))
    kept = items.assign(weight=w)[w > 0]
    last = kept.drop_duplicates(["questionnaire", "item"], keep="last")
    series = pd.Series(last["weight"].to_numpy(),
                       index=pd.MultiIndex.from_arrays([last["questionnaire"], last["item"]]))
    return PaperWeights(cap=cap, table=kept, weights=series)


def _pivot(rows: pd.DataFrame, columns: str | list[str]) -> pd.DataFrame:
    return rows.pivot_table(index="model", columns=columns, values="value", aggfunc="mean")


def panel_z(long: pd.DataFrame, weights: pd.Series, condition: str = "neutral"
            ) -> tuple[pd.DataFrame, np.ndarray]:
    """Models × weighted (questionnaire, text) z-scores (ddof 0; NaN for a constant item)."""
    rows = long[long["condition"] == condition]
    key = pd.MultiIndex.from_arrays([rows["questionnaire"], rows["item"]])
    rows = rows[key.isin(weights.index)]
    piv = _pivot(rows, ["questionnaire", "item"])
    x = piv.to_numpy(dtype=float)
    n = np.sum(~np.isnan(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
        sd = np.sqrt(np.nansum((x - mean) ** 2, axis=0) / n)
        z = np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), np.nan)
    w = weights.reindex(piv.columns).to_numpy(dtype=float)
    return pd.DataFrame(z, index=piv.index, columns=piv.columns), w


def weighted_mean(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w z / Σ w over each model's non-missing z (models × draws when w is 2-D)."""
    has = ~np.isnan(z)
    num = np.where(has, z, 0.0) @ w
    den = has.astype(float) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


# ------------------------------------------------------------------------------------ axis
@dataclass
class PaperFactor:
    loadings: pd.Series      # item text -> first-factor loading
    method: str
    n_factors: int
    n_models: int


def fit_factors(long: pd.DataFrame, seed: int, factors: Mapping[str, int] | None = None,
                condition: str = "neutral", rules: PaperRules = PAPER
                ) -> tuple[dict[str, PaperFactor], dict[str, str]]:
    """Per questionnaire: listwise-complete models × item texts, constant items dropped, then
    EFA (more models than items) or PCA, first factor."""
    fits: dict[str, PaperFactor] = {}
    skipped: dict[str, str] = {}
    rows = long[long["condition"] == condition]
    with single_threaded_blas():
        _fit_each(rows, seed, factors or {}, fits, skipped, rules)
    return fits, skipped


def _fit_each(rows: pd.DataFrame, seed: int, factors: Mapping[str, int],
              fits: dict[str, PaperFactor], skipped: dict[str, str], rules: PaperRules) -> None:
    for q, g in rows.groupby("questionnaire", sort=True):
        m = _pivot(g, "item").dropna()
        m = m.loc[:, m.std() > 0]
        n, p = m.shape
        if n < 2 or p < 2:
            skipped[str(q)] = f"only {n} complete model(s) / {p} varying item(s)"
            continue
        k = factors.get(str(q))
        ff = first_factor(m.to_numpy(dtype=float), stable_seed(seed, str(q)), n_factors=k,
                          compat="paper", pa_rule=rules.pa_rule, pca=rules.pca)
        fits[str(q)] = PaperFactor(pd.Series(ff.loadings, index=m.columns), ff.method,
                                   ff.n_factors, n)


def factor_scores(long: pd.DataFrame, fits: Mapping[str, PaperFactor],
                  condition: str = "neutral") -> pd.DataFrame:
    """Models × questionnaires first-factor scores: z (SD ddof 1, + 1e-9), missing z = 0."""
    rows = long[long["condition"] == condition]
    out = {}
    for q in sorted(fits, key=lambda name: name + "__neutral.csv"):  # the authors' file order
        g = rows[rows["questionnaire"] == q]
        if g.empty:
            continue
        piv = _pivot(g, "item")
        common = [t for t in fits[q].loadings.index if t in piv.columns]
        if len(common) < MIN_COMMON_ITEMS:
            continue
        sub = piv[common]
        z = (sub - sub.mean()) / (sub.std() + SD_EPS)
        out[q] = pd.Series(z.fillna(0).to_numpy() @ fits[q].loadings[common].to_numpy(),
                           index=sub.index)
    return pd.DataFrame(out)


def pc1(f: pd.DataFrame, n_components: int | None = 1) -> tuple[pd.Series, np.ndarray]:
    """PC1 of the standardised factor-score matrix (models with ≥ int(0.8 × columns) scores).

    Returns the unoriented PC1 scores and the explained-variance ratios.
    """
    from sklearn.decomposition import PCA  # lazy: heavy (scikit-learn)
    from sklearn.preprocessing import StandardScaler  # lazy: heavy (scikit-learn)

    kept = f.dropna(thresh=int(KEEP_SHARE * f.shape[1])).fillna(0)
    x = StandardScaler().fit_transform(kept.to_numpy(dtype=float))
    pca = PCA(n_components=n_components).fit(x)
    return pd.Series(pca.transform(x)[:, 0], index=kept.index), pca.explained_variance_ratio_


# ------------------------------------------------------------------------------- bootstrap
def rescaled_draw(draw: pd.Series, ref: pd.Series, align_sign: bool) -> pd.Series | None:
    """A draw's scores aligned to the reference: sign (axis only), then mean and SD (ddof 1)."""
    common = draw.index.intersection(ref.index)
    if len(common) < MIN_BOOT_MODELS:
        return None
    if align_sign and np.corrcoef(draw[common], ref[common])[0, 1] < 0:
        draw = -draw
    sd = draw[common].std()
    if sd > SD_EPS:
        draw = (draw - draw[common].mean()) / sd * ref[common].std() + ref[common].mean()
    return draw


def percentile_interval(draws: dict[str, list[float]], models: pd.Index, level: float = 95.0
                        ) -> tuple[np.ndarray, np.ndarray]:
    tail = (100.0 - level) / 2
    lo = [np.percentile(draws[m], tail) if draws.get(m) else np.nan for m in models]
    hi = [np.percentile(draws[m], 100 - tail) if draws.get(m) else np.nan for m in models]
    return np.array(lo, dtype=float), np.array(hi, dtype=float)


def _keep_draw(draws: dict[str, list[float]], s: pd.Series, ref: pd.Series,
               align_sign: bool) -> None:
    """Rescale one draw to the full-sample scores and add it to each model's draws."""
    scaled = rescaled_draw(s, ref, align_sign=align_sign)
    if scaled is not None:
        for m, v in scaled.items():
            if m in draws:
                draws[m].append(float(v))


def panel_bootstrap(z: pd.DataFrame, w: np.ndarray, units: list[str], n_draws: int,
                    seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Questionnaires drawn with replacement, each drawn one used once, weights fixed."""
    rng = np.random.default_rng(seed)
    ref = pd.Series(weighted_mean(z.to_numpy(), w), index=z.index).dropna()
    item_q = z.columns.get_level_values(0).to_numpy()
    pos = {u: k for k, u in enumerate(units)}
    item_unit = np.array([pos.get(q, -1) for q in item_q])
    draws: dict[str, list[float]] = {m: [] for m in ref.index}
    zz = z.to_numpy()
    for _ in range(n_draws):
        chosen = np.zeros(len(units), dtype=bool)
        chosen[rng.integers(0, len(units), len(units))] = True
        sel = (item_unit >= 0) & chosen[np.maximum(item_unit, 0)]
        cols = sel & np.any(~np.isnan(zz), axis=0)
        s = pd.Series(weighted_mean(zz[:, cols], w[cols]), index=z.index)
        s = s[np.any(~np.isnan(zz[:, cols]), axis=1)].dropna()
        _keep_draw(draws, s, ref, align_sign=False)
    return percentile_interval(draws, z.index)


def axis_bootstrap(f: pd.DataFrame, ref: pd.Series, n_draws: int, seed: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Questionnaire columns drawn with replacement (each used once), PCA rerun per draw."""
    rng = np.random.default_rng(seed)
    names = list(f.columns)
    draws: dict[str, list[float]] = {m: [] for m in ref.index}
    for _ in range(n_draws):
        picked = list(dict.fromkeys(names[i] for i in rng.integers(0, len(names), len(names))))
        s, _ = pc1(f[picked])
        _keep_draw(draws, s, ref, align_sign=True)
    return percentile_interval(draws, ref.index)


# ---------------------------------------------------------------------------- whole run
@dataclass
class PaperRun:
    """Everything paper mode computes, keyed by model name."""

    items: pd.DataFrame
    weights: PaperWeights
    pi_panel: pd.Series
    n_items: pd.Series                  # weighted items with a z, per model
    panel_interval: tuple[np.ndarray, np.ndarray] | None = None
    factors: dict[str, PaperFactor] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    factor_scores: pd.DataFrame | None = None
    pi_axis: pd.Series | None = None
    explained: np.ndarray | None = None
    axis_interval: tuple[np.ndarray, np.ndarray] | None = None
    orientation: str = "as scikit-learn's PCA returns it (no Π_panel to orient by)"
    notes: list[str] = field(default_factory=list)


def run_paper(clean: CleanResponses, seed: int = PAPER_SEED, bootstrap: int = 0,
              factors: Mapping[str, int] | None = None, axis: bool = True,
              rules: PaperRules = PAPER) -> PaperRun:
    """The authors' Π_panel and Π_axis (with their bootstrap when ``bootstrap`` > 0)."""
    long, notes = paper_long(clean, rules)
    items = paper_items(long, rules)
    pw = paper_weights(items)
    if len(pw.weights):
        z, w = panel_z(long, pw.weights)
        score = pd.Series(weighted_mean(z.to_numpy(), w), index=z.index, name="Π_panel")
        n_items = pd.Series(np.sum(~np.isnan(z.to_numpy()), axis=1), index=z.index)
    else:
        score = pd.Series(dtype=float, name="Π_panel")
        n_items = pd.Series(dtype=int)
    run = PaperRun(items=items, weights=pw, pi_panel=score, n_items=n_items, notes=notes)
    if bootstrap and len(pw.weights):
        units = list(pd.unique(pw.table["questionnaire"]))
        run.panel_interval = panel_bootstrap(z, w, units, bootstrap, seed)
    if not axis:
        return run
    run.factors, run.skipped = fit_factors(long, seed, factors, rules=rules)
    note = unused_note(dict(factors or {}), set(long["questionnaire"]))
    if note:
        run.notes.append(note)
    f = factor_scores(long, run.factors)
    run.factor_scores = f
    if f.shape[1] >= 2 and f.shape[0] >= 3:
        s, ratio = pc1(f, n_components=None)
        ref = score.reindex(s.index)
        ok = ref.notna()
        if ok.sum() >= 3 and ref[ok].std() > 0:
            if np.corrcoef(s[ok], ref[ok])[0, 1] < 0:
                s = -s
            run.orientation = "positive correlation with Π_panel"
        run.pi_axis, run.explained = s, ratio
        if bootstrap:
            run.axis_interval = axis_bootstrap(f, s, bootstrap, seed)
    return run
