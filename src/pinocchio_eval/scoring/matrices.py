"""Models × items matrices, built once from the clean long table.

Every method works on dense matrices pivoted once: rows are models, columns are
(questionnaire, item_index) keys, cells are the model's mean answer over repeated samples (NaN
when it gave no usable answer). Bootstraps then reweight columns instead of regrouping rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .hygiene import CleanResponses


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
