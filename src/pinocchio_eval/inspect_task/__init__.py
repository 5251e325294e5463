"""Inspect AI integration: the battery as a task, Π_self as a metric, logs as response tables.

Importing this package needs ``inspect-ai`` (``pip install 'pinocchio-eval[inspect]'``).
"""

from .reader import InspectLogError, read_inspect_logs
from .scorer import pinocchio_scorer
from .task import build_samples, pinocchio

__all__ = ["InspectLogError", "build_samples", "pinocchio", "pinocchio_scorer",
           "read_inspect_logs"]
