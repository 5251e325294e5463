"""Models × items matrices (built once) and the per-item π table.

Every method works on dense matrices pivoted once from the long table: rows are models, columns
are (questionnaire, item_index) keys, cells are the model's mean answer over repeated samples
(NaN when it gave no usable answer). Bootstraps then reweight columns instead of regrouping rows.
π and its weights are defined in docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .hygiene import CleanResponses

#: Minimum number of models with an answer in *each* condition before π_i is defined.
MIN_MODELS = 5
#: Percentile of π at which weights are capped (linear interpolation).
CAP_PERCENTILE = 99.0


@dataclass
class PanelData:
    """Per-condition models × items mean-answer matrices sharing one model and item axis."""

    models: pd.Index                 # model names, sorted
    items: pd.MultiIndex             # (questionnaire, item_index), sorted
    matrices: dict[str, np.ndarray]  # condition -> float array (n_models, n_items), NaN missing
    item_text: pd.Series             # item key -> text (may be NA)
    groups: dict[str, str]           # questionnaire -> axis group

    @classmethod
    def from_clean(cls, clean: CleanResponses) -> PanelData:
        t = clean.table
        # Integer codes once, then sums and counts with bincount: far cheaper than a
        # four-key groupby and unstack over string columns on a 200k-row table.
        m_codes, models = pd.factorize(t["model"], sort=True)
        c_codes, conditions = pd.factorize(t["condition"], sort=True)
        q_codes, questionnaires = pd.factorize(t["questionnaire"], sort=True)
        idx = t["item_index"].to_numpy(dtype=np.int64)
        width = int(idx.max()) + 1
        item_keys, i_codes = np.unique(q_codes.astype(np.int64) * width + idx,
                                       return_inverse=True)
        items = pd.MultiIndex.from_arrays(
            [np.asarray(questionnaires)[item_keys // width], item_keys % width],
            names=["questionnaire", "item_index"])
        n_m, n_i = len(models), len(items)
        value = t["value"].to_numpy(dtype=float)
        ok = ~np.isnan(value)
        cell = m_codes.astype(np.int64) * n_i + i_codes
        mats = {}
        for k, cond in enumerate(conditions):
            sel = (c_codes == k) & ok
            sums = np.bincount(cell[sel], weights=value[sel], minlength=n_m * n_i)
            counts = np.bincount(cell[sel], minlength=n_m * n_i)
            with np.errstate(invalid="ignore", divide="ignore"):
                mats[str(cond)] = np.where(counts > 0, sums / np.maximum(counts, 1),
                                           np.nan).reshape(n_m, n_i)
        has_text = t["item"].notna().to_numpy()
        first = pd.Series(np.arange(len(t)))[has_text].groupby(i_codes[has_text]).first()
        text = pd.Series(pd.NA, index=items, dtype=object)
        text.iloc[first.index.to_numpy()] = t["item"].to_numpy()[first.to_numpy()]
        return cls(models=pd.Index(models, name="model"), items=items, matrices=mats,
                   item_text=text, groups=dict(clean.groups))

    def matrix(self, condition: str) -> np.ndarray:
        if condition not in self.matrices:
            return np.full((len(self.models), len(self.items)), np.nan)
        return self.matrices[condition]

    @property
    def questionnaires(self) -> np.ndarray:
        return self.items.get_level_values(0).to_numpy()

    def unit_codes(self, by: str = "group") -> tuple[np.ndarray, list[str]]:
        """Integer code per item of its resampling unit (axis group or questionnaire)."""
        q = self.questionnaires
        keys = np.array([self.groups.get(x, x) for x in q]) if by == "group" else q
        names, codes = np.unique(keys, return_inverse=True)
        return codes, list(names)


def nan_var(x: np.ndarray, ddof: int) -> tuple[np.ndarray, np.ndarray]:
    """Column variance ignoring NaN, and the count; NaN where count <= ddof."""
    n = np.sum(~np.isnan(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
        dev = np.where(np.isnan(x), 0.0, x - mean)
        var = np.sum(dev * dev, axis=0) / (n - ddof)
    var = np.where(n > ddof, var, np.nan)
    return var, n


def pi_values(neutral: np.ndarray, human: np.ndarray,
              min_models: int = MIN_MODELS) -> tuple[np.ndarray, ...]:
    """π_i = Var_neutral / Var_human (ddof 1); NaN unless ≥ min_models each and Var_human > 0."""
    vn, nn = nan_var(neutral, ddof=1)
    vh, nh = nan_var(human, ddof=1)
    ok = (nn >= min_models) & (nh >= min_models) & (vh > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pi = np.where(ok, vn / np.where(ok, vh, 1.0), np.nan)
    return pi, vn, vh, nn, nh


def cap_value(pi: np.ndarray, percentile: float = CAP_PERCENTILE) -> float:
    """The weight cap: the given percentile of the defined π values (linear interpolation)."""
    valid = pi[~np.isnan(pi)]
    return float(np.percentile(valid, percentile)) if valid.size else np.nan


def log_weights(pi: np.ndarray, cap: float) -> np.ndarray:
    """w_i = ln(min(π_i, cap)), zero where not > 0 (those items do not count)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log(np.minimum(pi, cap))
    return np.where(np.isfinite(w) & (w > 0), w, 0.0)


def item_table(panel: PanelData, min_models: int = MIN_MODELS,
               percentile: float = CAP_PERCENTILE) -> pd.DataFrame:
    """Per item: variances and counts per condition, π, capped log weight and whether it counts."""
    pi, vn, vh, nn, nh = pi_values(panel.matrix("neutral"), panel.matrix("human_simulation"),
                                   min_models)
    cap = cap_value(pi, percentile)
    w = log_weights(pi, cap)
    out = pd.DataFrame({
        "questionnaire": panel.items.get_level_values(0),
        "item_index": panel.items.get_level_values(1).astype(int),
        "item": panel.item_text.to_numpy(),
        "n_neutral": nn, "n_human_simulation": nh,
        "var_neutral": vn, "var_human_simulation": vh,
        "pi": pi,
        "log_pi": np.log(np.where(pi > 0, pi, np.nan)),
        "weight": np.where(w > 0, w, np.nan),
        "capped": pi > cap,
        "used": w > 0,
    })
    out.attrs["cap"] = cap
    return out
