"""The Π scoring engine: pure pandas/numpy/scipy/scikit-learn/factor_analyzer, no harness code.

Entry points:
- :func:`score_table` — Π_panel, Π_axis, Π_self per model (+ bootstrap intervals);
- :func:`item_table` / :class:`PanelData` — the per-item π table;
- :func:`pi_self` / :func:`pi_self_from_means` — the single-model, panel-free score;
- :class:`PinocchioScorer` — frozen norms (fit / transform / save / load);
- :func:`clean_responses` — input hygiene shared by all of the above.

Each method's formula, and how ``compat="paper"`` (the authors' analysis) differs from the
default, with measured effects: docs/methods.md.
"""

from .catalog import BatteryCatalog, Catalog, MappingCatalog, QuestionnaireInfo
from .engine import METHODS, ScoreResult, ScoringError, score_table
from .hygiene import CleanResponses, clean_responses
from .items import PanelData, item_table
from .norms import NormsError, PinocchioScorer
from .selfanchored import load_item_weights, pi_self, pi_self_from_means

__all__ = [
    "METHODS", "BatteryCatalog", "Catalog", "CleanResponses", "MappingCatalog", "NormsError",
    "PanelData", "PinocchioScorer", "QuestionnaireInfo", "ScoreResult", "ScoringError",
    "clean_responses", "item_table", "load_item_weights", "pi_self", "pi_self_from_means",
    "score_table",
]
