"""Paper mode's per-item view at its two edges, worked by hand: an item no model varies on in
the neutral condition (π = 0, no logarithm), and items whose π is exactly the cap (the cap
leaves them as they are: not capped)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pinocchio_eval.scoring import score_table
from pinocchio_eval.scoring.catalog import MappingCatalog

HUMAN = [2, 3, 3, 3, 4]                       # variance (ddof 1) 2/4 = 0.5
ITEMS = {                                      # item index -> (text, neutral answers)
    0: ("alpha", [1, 2, 3, 4, 5]),             # variance 10/4 = 2.5 -> π = 5
    1: ("beta", [1, 2, 3, 4, 5]),              # the same: π = 5
    2: ("flat", [3, 3, 3, 3, 3]),              # variance 0 -> π = 0
    3: ("gamma", [1, 2, 3, 3, 3]),             # mean 2.4, Σd² = 3.2, variance 0.8 -> π = 1.6
}


def _table() -> pd.DataFrame:
    rows = [{"model": f"m{m}", "condition": cond, "questionnaire": "Q", "item_index": i,
             "item": text, "response": v}
            for i, (text, neutral) in ITEMS.items()
            for cond, vals in (("neutral", neutral), ("human_simulation", HUMAN))
            for m, v in enumerate(vals)]
    return pd.DataFrame(rows)


def test_paper_item_view_at_pi_zero_and_pi_equal_to_the_cap() -> None:
    res = score_table(_table(), methods=("panel",), compat="paper",
                      catalog=MappingCatalog({"Q": (1, 5)}))
    # π sorted: 0, 1.6, 5, 5; the 99th percentile sits between the two 5s: the cap is 5
    assert res.summary["cap"] == 5.0
    view = res.items
    assert view is not None
    v = view.set_index("item")
    assert v["pi"].to_dict() == {"alpha": 5.0, "beta": 5.0, "flat": 0.0, "gamma": 1.6}
    # log π only where π > 0: ln 0 is no number, not −∞
    assert math.isnan(v.loc["flat", "log_pi"])
    assert v.loc["alpha", "log_pi"] == pytest.approx(math.log(5.0), abs=1e-12)
    assert v.loc["gamma", "log_pi"] == pytest.approx(math.log(1.6), abs=1e-12)
    # π = cap: min(π, cap) = π, so nothing is capped
    assert v["capped"].tolist() == [False, False, False, False]
    # weights ln(min(π, 5)); the π = 0 item has none and is not used
    assert v.loc["beta", "weight"] == pytest.approx(math.log(5.0), abs=1e-12)
    assert v.loc["gamma", "weight"] == pytest.approx(math.log(1.6), abs=1e-12)
    assert math.isnan(v.loc["flat", "weight"])
    assert v["used"].to_dict() == {"alpha": True, "beta": True, "flat": False, "gamma": True}
