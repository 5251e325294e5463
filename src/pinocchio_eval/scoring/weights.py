"""The frozen weight table Π_self uses: reading it, and deciding which rows apply.

A row is one item's correlation with the paper's PC1 (``r_pc1``) and its variance across the
paper's 50 models (``var``). Two rules hold wherever the table is used (docs/methods.md): a
weight applies only to the item text it was estimated on (or that text with a recorded slip
fixed, the table's ``corrected_item``), and superseded instruments are left out unless asked.
Kept apart from the Π_self arithmetic because input hygiene reads it too (to place the paper's
merged MFQ rows) and must not depend on the scoring methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._resources import scorers_dir
from ..battery import get_battery
from ..plugins import on_reset
from .catalog import BatteryCatalog, normalise_text

WEIGHTS_FILE = "pc1_item_weights.csv"
Key = tuple[str, int]


@cache
def _load_default() -> pd.DataFrame:
    return read_item_weights(scorers_dir() / WEIGHTS_FILE)


def read_item_weights(path: str | Path) -> pd.DataFrame:
    """Read a weight table (questionnaire, item_index, r_pc1, var); drop unusable rows."""
    w = pd.read_csv(path)
    missing = {"questionnaire", "item_index", "r_pc1", "var"} - set(w.columns)
    if missing:
        raise ValueError(f"{path}: weight table lacks column(s) {sorted(missing)}")
    w = w[np.isfinite(w["r_pc1"]) & np.isfinite(w["var"]) & (w["var"] > 0)].copy()
    w["item_index"] = w["item_index"].astype(int)
    w["sd"] = np.sqrt(w["var"].to_numpy(dtype=float))
    return w.reset_index(drop=True)


def load_item_weights() -> pd.DataFrame:
    """The shipped frozen weights (``scorers/pc1_item_weights.csv``); a copy, safe to modify."""
    return _load_default().copy()


def weight_arrays(weights: pd.DataFrame | None
                  ) -> tuple[pd.MultiIndex, np.ndarray, np.ndarray, list[set[str]] | None]:
    """Keys, r, s and (when the table has item texts) the texts each weight applies to."""
    w = _load_default() if weights is None else weights
    var = w["var"].to_numpy(dtype=float)
    r = w["r_pc1"].to_numpy(dtype=float)
    w = w[np.isfinite(var) & (var > 0) & np.isfinite(r)]  # items with var <= 0 are skipped
    w = w.assign(sd=np.sqrt(w["var"].to_numpy(dtype=float)))
    keys = pd.MultiIndex.from_arrays([w["questionnaire"].astype(str),
                                      w["item_index"].astype(int)])
    texts = None
    if "item" in w.columns:
        alt = (w["corrected_item"] if "corrected_item" in w.columns
               else pd.Series(pd.NA, index=w.index))
        texts = [{normalise_text(a) for a in (t, c) if isinstance(a, str) and a.strip()}
                 for t, c in zip(w["item"], alt, strict=True)]
    return keys, w["r_pc1"].to_numpy(dtype=float), w["sd"].to_numpy(dtype=float), texts


@cache
def _battery_catalog() -> Any:
    try:
        return BatteryCatalog()
    except Exception:  # no battery data: texts cannot be checked
        return None


on_reset(_battery_catalog.cache_clear)  # its battery may change with the plugins


def battery_text(questionnaire: str, item_index: int, mode: str) -> str | None:
    """The battery's text of an item in a text mode (None without a battery)."""
    cat = _battery_catalog()
    return None if cat is None else cat.item_text(questionnaire, item_index, mode)


def text_applies(keys: Sequence[Key], allowed: list[set[str]] | None,
                 texts: Mapping[Key, Any] | None = None,
                 text_mode: str = "corrected") -> np.ndarray:
    """Per weight row: does its weight apply to the text the model was shown?

    The shown text is ``texts[key]`` when given, else the battery's text in ``text_mode``;
    when neither is known (no battery) the weight applies by position.
    """
    if allowed is None:
        return np.ones(len(keys), dtype=bool)
    out = np.ones(len(keys), dtype=bool)
    for j, (key, ok) in enumerate(zip(keys, allowed, strict=True)):
        shown = texts.get(key) if texts is not None else None
        if not isinstance(shown, str):
            shown = battery_text(key[0], key[1], text_mode)
        if isinstance(shown, str):
            out[j] = normalise_text(shown) in ok
    return out


def superseded_names() -> set[str]:
    """The battery's superseded instruments (empty without a battery)."""
    if _battery_catalog() is None:
        return set()
    return {i.name for i in get_battery() if i.status == "superseded"}
