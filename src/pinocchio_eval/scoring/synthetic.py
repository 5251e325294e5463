"""Synthetic panels with a planted Pinocchio trait, for tests and benchmarks.

Each model has a latent score θ. On *experiential* items θ shifts the model's neutral answer,
while in ``human_simulation`` every model gives about the same typical-human answer, so those
items get π > 1 — the structure the paper found. A second, nuisance style factor moves all
items in every condition so the methods have something to ignore. Returns a canonical response
table, the planted θ, and a catalog with the scale bounds (no battery needed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalog import MFQ_MERGED, BatteryCatalog, MappingCatalog, default_group
from .weights import load_item_weights


@dataclass
class SyntheticPanel:
    table: pd.DataFrame
    theta: pd.Series           # model -> planted trait
    catalog: MappingCatalog
    experiential: pd.Series    # (questionnaire, item_index) -> bool

    def self_weights(self, r_experiential: float = 0.7, r_other: float = 0.05) -> pd.DataFrame:
        """A Π_self weight table for these items: experiential items correlate with the trait."""
        keys = self.experiential.index
        return pd.DataFrame({
            "questionnaire": keys.get_level_values(0), "item_index": keys.get_level_values(1),
            "r_pc1": np.where(self.experiential.to_numpy(), r_experiential, r_other),
            "var": 1.0})


def small_spec(n_questionnaires: int = 8, items: int = 10, low: int = 1,
               high: int = 5) -> list[tuple[str, int, int, int]]:
    return [(f"Q{k:02d}", items, low, high) for k in range(n_questionnaires)]


def battery_spec() -> tuple[list[tuple[str, int, int, int]], pd.DataFrame]:
    """The full analysed battery shape (names, item counts, bounds) from the frozen weights.

    Bounds come from the battery when it loads; otherwise 1–5 for every questionnaire.
    """
    w = load_item_weights()
    try:
        cat = BatteryCatalog()
        bounds = {q: (int(cat.info(q).low), int(cat.info(q).high))
                  for q in w.questionnaire.unique()}
    except Exception:  # battery data not available: a generic 5-point scale
        bounds = {q: (1, 5) for q in w.questionnaire.unique()}
    spec = [(q, int(g.item_index.max()) + 1, *bounds[q])
            for q, g in w.groupby("questionnaire", sort=True)]
    return spec, w


def item_texts(questionnaires: np.ndarray, index: np.ndarray) -> list[str]:
    """The real item text (as the authors ran it) where the shipped weights know the item, so
    battery-shaped panels carry true texts; ``"<questionnaire> item <i>"`` elsewhere."""
    w = load_item_weights()
    keys = zip(w["questionnaire"], w["item_index"].astype(int), strict=True)
    known = dict(zip(keys, w["item"], strict=True))
    return [known.get((str(q), int(i)), f"{q} item {i}") for q, i in
            zip(questionnaires, index, strict=True)]


def make_panel(n_models: int = 50, spec: list[tuple[str, int, int, int]] | None = None,
               seed: int = 0, experiential_share: float = 0.4, trait_strength: float = 1.0,
               epochs: int = 1, experiential: dict[tuple[str, int], bool] | None = None,
               conditions: tuple[str, ...] = ("neutral", "llm_analog", "human_simulation"),
               ) -> SyntheticPanel:
    """Generate a long response table; integers on each questionnaire's scale."""
    rng = np.random.default_rng(seed)
    spec = spec or small_spec()
    q_names = np.concatenate([[q] * n for q, n, _, _ in spec])
    idx = np.concatenate([np.arange(n) for _, n, _, _ in spec])
    lo = np.concatenate([[a] * n for _, n, a, _ in spec]).astype(float)
    hi = np.concatenate([[b] * n for _, n, _, b in spec]).astype(float)
    p = len(q_names)
    if experiential is None:
        exp = rng.random(p) < experiential_share
    else:
        exp = np.array([experiential.get((q, int(i)), False) for q, i in zip(q_names, idx,
                                                                              strict=True)])
    texts = np.array(item_texts(q_names, idx), dtype=object)
    models = [f"model-{m:03d}" for m in range(n_models)]
    theta = rng.standard_normal(n_models)
    style = rng.standard_normal(n_models)
    mid = (lo + hi) / 2
    half = (hi - lo) / 2
    base = rng.uniform(-0.3, 0.3, p)               # item's typical position
    style_load = rng.uniform(-0.25, 0.25, p)
    quirk = rng.standard_normal((n_models, p)) * 0.25   # stable model × item idiosyncrasy
    frames = []
    for cond in conditions:
        for ep in range(epochs):
            noise = rng.standard_normal((n_models, p)) * 0.15
            shared = np.outer(style, style_load) + quirk
            if cond == "human_simulation":  # experiential items: everyone answers alike
                latent = base + np.where(exp, 0.3 * quirk, shared) + noise
            else:
                trait = 0.45 * trait_strength * np.outer(theta, exp.astype(float))
                latent = base + trait + shared + noise
            value = np.clip(np.rint(mid + half * np.clip(latent, -1.2, 1.2)), lo, hi)
            frames.append(pd.DataFrame({
                "model": np.repeat(models, p),
                "condition": cond,
                "questionnaire": np.tile(q_names, n_models),
                "item_index": np.tile(idx, n_models),
                "item": np.tile(texts, n_models),
                "response": value.astype(int).ravel(),
                "epoch": ep + 1,
            }))
    table = pd.concat(frames, ignore_index=True)
    catalog = MappingCatalog({q: (a, b) for q, _, a, b in spec})
    keys = pd.MultiIndex.from_arrays([q_names, idx])
    return SyntheticPanel(table=table, theta=pd.Series(theta, index=models, name="theta"),
                          catalog=catalog, experiential=pd.Series(exp, index=keys))


def paper_schema(table: pd.DataFrame, seed: int = 0, missing_share: float = 0.08,
                 unreadable_models: int = 2) -> pd.DataFrame:
    """A panel as the authors' ``results_clean.csv`` holds it, for paper-mode checks.

    The MFQ's two parts go back under the one merged name (each keeps its own item_index),
    ``response`` becomes text with empty cells where the authors' parser gave up (each model
    loses its own share of answers, drawn from a Beta distribution with mean ``missing_share``,
    so a few models lose many and most lose few; and every answer of ``unreadable_models``
    extra models is empty), and
    ``response_raw`` holds the model's text, which for those empty cells still names a number,
    so re-parsing would (wrongly) bring them back.
    """
    rng = np.random.default_rng(seed)
    out = table.drop(columns=["epoch"], errors="ignore").copy()
    out["questionnaire"] = [MFQ_MERGED if default_group(q) == MFQ_MERGED else q
                            for q in out["questionnaire"]]
    value = out["response"].astype(int)
    out["response_raw"] = "My answer: " + value.astype(str)
    extra = []
    models = sorted(out["model"].unique())
    for k in range(unreadable_models):
        rows = out[out["model"] == models[k % len(models)]].copy()
        rows["model"] = f"unreadable-{k}"
        rows["response_raw"] = "Well, thinking about it... " + rows["response"].astype(str)
        rows["response"] = np.nan
        extra.append(rows)
    shape = 0.6
    rate = dict(zip(models, rng.beta(shape, shape * (1 - missing_share) / missing_share,
                                     size=len(models)), strict=True))
    empty = rng.random(len(out)) < out["model"].map(rate).to_numpy()
    out["response"] = value.astype(str).where(~empty, "")
    if extra:
        unread = pd.concat(extra, ignore_index=True)
        unread["response"] = ""
        out = pd.concat([out, unread], ignore_index=True)
    return out
