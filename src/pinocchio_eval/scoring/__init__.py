"""The Π scoring engine: pure pandas/numpy/scipy/scikit-learn/factor_analyzer, no harness code.

Entry points:
- :func:`score_table` — Π_panel, Π_axis, Π_self per model (+ bootstrap intervals), returned
  as :class:`PiScores`;
- :func:`item_table` / :class:`PanelData` — the per-item π table;
- :func:`pi_self` / :func:`pi_self_from_means` — the single-model, panel-free score;
- :class:`PanelNorms` — frozen norms (fit / transform / save / load);
- :func:`load_item_weights` — the frozen weight table Π_self uses;
- :func:`clean_responses` — input hygiene shared by all of the above.

Each method's formula, and how ``compat="paper"`` (the authors' analysis) differs from the
default, with measured effects: docs/methods.md. ``ScoreResult``, ``METHODS`` and
``PinocchioScorer`` are the old names of ``PiScores``, ``PI_METHODS`` and ``PanelNorms``,
kept for one version.
"""

from .catalog import BatteryCatalog, Catalog, MappingCatalog, QuestionnaireInfo
from .engine import METHODS, ScoreResult, score_table
from .hygiene import CleanResponses, clean_responses
from .items import item_table
from .matrices import PanelData
from .norms import NormsError, PanelNorms, PinocchioScorer
from .result import PI_METHODS, PiScores, ScoringError
from .selfanchored import pi_self, pi_self_from_means
from .weights import load_item_weights

__all__ = [
    "METHODS", "PI_METHODS", "BatteryCatalog", "Catalog", "CleanResponses", "MappingCatalog",
    "NormsError", "PanelData", "PanelNorms", "PiScores", "PinocchioScorer", "QuestionnaireInfo",
    "ScoreResult", "ScoringError", "clean_responses", "item_table", "load_item_weights",
    "pi_self", "pi_self_from_means", "score_table",
]
