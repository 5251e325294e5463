"""Frozen norms: the battery fingerprint in their provenance, the options their panel honours."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from pinocchio_eval.battery import get_battery
from pinocchio_eval.scoring import MappingCatalog, PanelNorms
from pinocchio_eval.scoring import norms as norms_module
from pinocchio_eval.scoring.norms import battery_fingerprint


def _plain_fingerprint(instruments: list) -> str:
    """sha256 over each instrument's JSON, instruments in name order, first 16 hex digits."""
    by_name = {inst.name: inst for inst in instruments}
    h = hashlib.sha256()
    for name in sorted(by_name):
        h.update(by_name[name].model_dump_json().encode())
    return h.hexdigest()[:16]


def test_battery_fingerprint_is_sixteen_hex_digits_of_the_installed_battery() -> None:
    instruments = list(get_battery())
    assert len(instruments) > 1  # so the name order below is actually exercised
    got = battery_fingerprint()
    assert got is not None and len(got) == 16
    assert all(c in "0123456789abcdef" for c in got)
    assert got == _plain_fingerprint(instruments)


def test_battery_fingerprint_does_not_depend_on_registration_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    instruments = list(get_battery())
    forward = battery_fingerprint()
    monkeypatch.setattr(norms_module, "get_battery", lambda: list(reversed(instruments)))
    assert battery_fingerprint() == forward


def test_battery_fingerprint_is_none_without_a_battery(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> list:
        raise RuntimeError("no battery")

    monkeypatch.setattr(norms_module, "get_battery", broken)
    assert battery_fingerprint() is None


# ----------------------------------------------------------------- the panel's options
CAT = MappingCatalog({"Q": (1, 5), "Old": (1, 5)}, superseded=["Old"])


def _table() -> pd.DataFrame:
    """Two models; Q item 0 numeric, Q item 1 only as text already judged unreadable,
    Old item 0 numeric (a superseded questionnaire)."""
    rows = []
    for model, q0, text, old in (("m1", 2.0, "I pick 4", 3.0), ("m2", 5.0, "I pick 1", 1.0)):
        rows += [(model, "neutral", "Q", 0, q0, str(q0), "ok"),
                 (model, "neutral", "Q", 1, np.nan, text, "unparseable"),
                 (model, "neutral", "Old", 0, old, str(old), "ok")]
    return pd.DataFrame(rows, columns=["model", "condition", "questionnaire", "item_index",
                                       "response", "response_raw", "status"])


def test_panel_leaves_superseded_questionnaires_out_by_default() -> None:
    panel = PanelNorms(catalog=CAT)._panel(_table())
    assert set(panel.items.get_level_values(0)) == {"Q"}


def test_panel_keeps_superseded_questionnaires_when_asked() -> None:
    panel = PanelNorms(catalog=CAT, include_superseded=True)._panel(_table())
    assert ("Old", 0) in set(panel.items)
    old = panel.items.get_loc(("Old", 0))
    # models sorted m1, m2: their Old item 0 answers 3 and 1
    assert panel.matrix("neutral")[:, old].tolist() == [3.0, 1.0]


def test_panel_reparses_unread_text_when_asked() -> None:
    panel = PanelNorms(catalog=CAT, reparse=True)._panel(_table())
    col = panel.items.get_loc(("Q", 1))
    # "I pick 4" and "I pick 1" read on the 1..5 scale
    assert panel.matrix("neutral")[:, col].tolist() == [4.0, 1.0]


def test_panel_leaves_unread_text_missing_by_default() -> None:
    panel = PanelNorms(catalog=CAT)._panel(_table())
    assert panel.items.tolist() == [("Q", 0), ("Q", 1)]
    # rows m1, m2; Q item 1 stays missing (the table's verdict), Q item 0 as given
    assert panel.matrix("neutral")[:, 0].tolist() == [2.0, 5.0]
    assert np.isnan(panel.matrix("neutral")[:, 1]).all()


def test_panel_passes_a_panel_through_unchanged() -> None:
    panel = PanelNorms(catalog=CAT)._panel(_table())
    assert PanelNorms(catalog=CAT, include_superseded=True)._panel(panel) is panel


def test_panel_applies_the_minimum_parse_rate() -> None:
    table = _table()
    table = table[~((table["model"] == "m2") & (table["item_index"] == 1))]
    panel = PanelNorms(catalog=CAT, min_parse_rate=0.9)._panel(table)
    # Old left out: m1 has 1 usable answer of its 2 Q rows (0.5 < 0.9) and is dropped;
    # m2 has 1 of 1
    assert panel.models.tolist() == ["m2"]
