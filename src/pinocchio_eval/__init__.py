"""pinocchio-eval: the Pinocchio Dimension battery for LLM evaluation harnesses.

The package is split so that harness adapters (Inspect AI, lm-evaluation-harness) sit at
the edges and the scoring engine in the middle only ever sees the canonical response table
(:mod:`pinocchio_eval.responses`).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pinocchio-eval")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
