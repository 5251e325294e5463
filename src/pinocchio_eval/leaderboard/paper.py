"""The paper's own leaderboard (Plisiecki et al. 2026), parsed from the authors' log.

``pinocchio_llm_analog_log.txt`` in the authors' repository lists, for 50 models, Π by the
panel method in the neutral condition and the same score computed on llm_analog answers, with
both ranks. We only have this summary, not their raw responses, so the board is a reference:
its values live on the paper's 50-model panel and cannot be compared number-for-number with a
board built from a user's own panel (Π panel is relative to the models scored together).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from ..outputs import terminal_safe
from .build import provenance
from .model import Leaderboard, MethodSpec, finish_table

SOURCE_NAME = "pinocchio_llm_analog_log.txt"
#: The authors' repository and commit the reference copy was taken from (see MANIFEST.tsv).
SOURCE_REPO = "hplisiecki/Pinocchio"
SOURCE_COMMIT = "665c136da0d627dd6c99cc9b8c6b945944ea8876"
SOURCE_PATH = "data/pinocchio_llm_analog_log.txt"

SCALE_NOTE = ("These values come from the paper's panel of 50 models (Plisiecki et al. 2026, "
              "arXiv 2605.05080). Π panel is relative to the models scored together, so they "
              "are NOT on the same scale as a leaderboard built from your own panel: do not "
              "compare numbers across the two, compare ranks at most.")

METHODS = [
    MethodSpec("panel", "Π panel (neutral)",
               "the paper's per-model Π: log-π-weighted mean of neutral-condition item z-scores "
               "over the 50-model panel; rank 1 = highest"),
    MethodSpec("llm_analog", "Π panel (llm_analog)",
               "the same weights applied to answers given under the llm_analog framing "
               "(answer as yourself, via your functional analog); from the same log"),
]


class PaperLogError(ValueError):
    """A file given as the authors' log that is not one (no board rows, or not text)."""


_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+([+-]?\d+\.\d+)\s+([+-]?\d+\.\d+)\s*$")
_RHO = re.compile(r"Spearman rho.*?=\s*([-\d.]+),\s*p\s*=\s*([\deE.+-]+)")


def parse_log(text: str) -> tuple[pd.DataFrame, str | None]:
    """Rows (model, ranks, both Π) and the reported rank correlation line, if present."""
    rows = []
    for line in text.splitlines():
        m = _ROW.match(line)
        if m:
            rows.append({"rank_llm_analog": int(m[1]), "rank": int(m[2]), "model": m[3],
                         "pi_llm_analog": float(m[4]), "pi_panel": float(m[5])})
    if not rows:
        raise ValueError("no leaderboard rows found; expected lines like "
                         "'  1  27  google/gemini-2.5-pro  +0.827  +0.026'")
    rho = _RHO.search(text)
    note = (f"The paper reports Spearman rho = {rho[1]} (p = {rho[2]}) between the neutral "
            "and llm_analog ranks.") if rho else None
    return pd.DataFrame(rows), note


def paper_leaderboard(source: str | Path) -> Leaderboard:
    """The reference board from the authors' log file."""
    source = Path(source)
    raw = source.read_bytes()
    try:
        table, rho_note = parse_log(raw.decode("utf-8"))
    except ValueError as exc:  # not the authors' log (or not text): say which file
        raise PaperLogError(terminal_safe(f"{source}: {exc}")) from None
    table["harness"] = "paper (authors' pipeline)"
    table["conditions"] = "neutral,llm_analog,human_simulation"
    table = finish_table(table, METHODS[0])
    notes = [SCALE_NOTE] + ([rho_note] if rho_note else [])
    prov = provenance([source.name], source={
        "repository": SOURCE_REPO, "commit": SOURCE_COMMIT, "path": SOURCE_PATH,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "paper": "Plisiecki et al. 2026, The Pinocchio Dimension, arXiv 2605.05080"},
        models=int(len(table)))
    prov.pop("created")  # keep the committed files stable across regenerations
    prov["command"] = ("pinocchio-eval leaderboard paper "
                       "../shared/reference/pinocchio-paper/pinocchio_llm_analog_log.txt "
                       "--out leaderboards/paper")
    return Leaderboard(table=table, title="The paper's Pinocchio leaderboard (50 models, "
                       "reference values)", methods=list(METHODS), primary="panel",
                       notes=notes, provenance=prov)
