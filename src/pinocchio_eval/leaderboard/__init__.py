"""Leaderboards: Π per model beside other benchmarks, as CSV/JSON/Markdown/HTML/PNG.

``build_leaderboard`` turns harness outputs into a :class:`Leaderboard`; ``export`` writes it
with every registered exporter; ``merge_into`` adds Π columns to an existing table.
"""

from .build import build_leaderboard
from .exporters import export, get_exporters
from .model import Leaderboard, MethodSpec, provider_from_id

__all__ = ["Leaderboard", "MethodSpec", "build_leaderboard", "export", "get_exporters",
           "provider_from_id"]
