"""Inspect entry point: registers ``pinocchio_eval/pinocchio``, its scorer and the in-process
``llama-cpp-local`` model provider."""

from .local_provider import LocalLlamaAPI  # noqa: F401
from .scorer import (  # noqa: F401
    mean_by_condition,
    parse_rate,
    pi_self,
    pinocchio_scorer,
    refusal_rate,
    scale_mass,
)
from .task import pinocchio  # noqa: F401
