"""Build ``scorers/pc1_item_weights.csv`` (the frozen Π_self weights) from the paper's files.

Source: ``pc1_item_correlations.csv`` of the authors' repository (reference copy in
``../shared/reference/pinocchio-paper/``). The one transformation is the MFQ join: the source
lists both MFQ parts under one merged name with overlapping ``item_index`` values, so each of
those rows is assigned to its part (``..._1`` / ``..._2``) by matching its item text against
the parts in ``questionnaires.json``. Everything else is copied as is; ``sd`` = sqrt(var).

``corrected_item`` is the item's text in the battery's corrected mode when an erratum fixes a
slip in it (a typo, a missing word) but keeps the item: the weight applies to both texts.
When the erratum puts a different item in that place (text similarity below
``SAME_ITEM_RATIO``; only BAI 0 today), the column stays empty, so the weight applies only to
the text it was estimated on. The script prints those decisions.

Usage: python tools/build_item_weights.py [REFERENCE_DIR] [OUT_CSV]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MERGED = "Moral Foundations Questionnaire (MFQ-30)"
#: difflib ratio of the folded texts above which a corrected text is still the same item.
SAME_ITEM_RATIO = 0.8


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def build(ref: Path) -> pd.DataFrame:
    src = pd.read_csv(ref / "pc1_item_correlations.csv")
    quests = {q["quest"]: q for q in json.loads((ref / "questionnaires.json").read_text())}
    by_text: dict[str, tuple[str, int]] = {}
    for part in (f"{MERGED}_1", f"{MERGED}_2"):
        for i, t in enumerate(quests[part]["items"]):
            if fold(t) in by_text:
                raise SystemExit(f"MFQ item text occurs in both parts: {t!r}")
            by_text[fold(t)] = (part, i)
    rows = []
    for rec in src.to_dict("records"):
        q, idx = rec["questionnaire"], int(rec["item_index"])
        if q == MERGED:
            part, part_idx = by_text[fold(rec["item"])]
            if part_idx != idx:
                raise SystemExit(f"MFQ item {rec['item']!r}: index {idx} != part index {part_idx}")
            q = part
        elif fold(quests[q]["items"][idx]) != fold(rec["item"]):
            raise SystemExit(f"{q} item {idx}: text differs from questionnaires.json")
        rows.append({"questionnaire": q, "item_index": idx, "item": rec["item"],
                     "r_pc1": rec["r_pc1"], "var": rec["var"], "sd": float(np.sqrt(rec["var"])),
                     "n_models": int(rec["n_models"]),
                     "source_questionnaire": rec["questionnaire"]})
    out = pd.DataFrame(rows).sort_values(["questionnaire", "item_index"], kind="stable")
    if out.duplicated(["questionnaire", "item_index"]).any():
        raise SystemExit("duplicate (questionnaire, item_index) after the MFQ split")
    out["corrected_item"] = corrected_texts(out)
    return out.reset_index(drop=True)


def corrected_texts(table: pd.DataFrame) -> list[str]:
    """Per row: the corrected-mode text if it differs but is still the same item, else ''."""
    import difflib

    from pinocchio_eval.scoring.catalog import BatteryCatalog

    cat = BatteryCatalog()
    out = []
    for q, i, text in zip(table["questionnaire"], table["item_index"], table["item"],
                          strict=True):
        new = cat.item_text(q, int(i), "corrected")
        if new is None or fold(new) == fold(text):
            out.append("")
            continue
        ratio = difflib.SequenceMatcher(None, fold(text), fold(new)).ratio()
        same = ratio >= SAME_ITEM_RATIO
        print(f"{'same item' if same else 'NEW ITEM '} {ratio:.2f} {q} {i}: "
              f"{text!r} -> {new!r}", file=sys.stderr)
        out.append(new if same else "")
    return out


def main(argv: list[str]) -> None:
    here = Path(__file__).resolve().parents[1]
    ref = Path(argv[1]) if len(argv) > 1 else here.parent / "shared/reference/pinocchio-paper"
    out = Path(argv[2]) if len(argv) > 2 else here / "scorers/pc1_item_weights.csv"
    table = build(ref)
    table.to_csv(out, index=False, float_format="%.10g", lineterminator="\n")
    digest = hashlib.sha256((ref / "pc1_item_correlations.csv").read_bytes()).hexdigest()
    print(f"wrote {out} ({len(table)} items); source sha256 {digest}")


if __name__ == "__main__":
    main(sys.argv)
