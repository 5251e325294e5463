"""Inspect entry point: importing this registers ``pinocchio_eval/pinocchio`` and its scorer."""

from .scorer import (  # noqa: F401
    mean_by_condition,
    parse_rate,
    pi_self,
    pinocchio_scorer,
    refusal_rate,
)
from .task import pinocchio  # noqa: F401
