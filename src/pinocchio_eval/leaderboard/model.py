"""The leaderboard table: one row per model, Π by every method next to other benchmarks.

A :class:`Leaderboard` is deliberately a plain pandas table plus a little metadata, so every
exporter (and every third-party exporter plugin) reads the same columns:

``rank, model, provider, pi_<method>, pi_<method>_lo, pi_<method>_hi, ..., items_answered,
parse_rate, refusal_rate, conditions, harness, run_date, <benchmark columns>``

Intervals are optional (the paper's reference board has none); benchmark columns are named
``<task>:<metric>`` so they cannot collide with Π columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..outputs import json_safe

#: Bumped whenever the JSON layout changes in a way a reader would notice.
SCHEMA_VERSION = "1.0"

#: Descriptive columns after the Π columns, in display order.
STAT_COLUMNS = ["items_answered", "parse_rate", "refusal_rate", "conditions", "harness",
                "run_date"]

#: Routing prefixes in harness model ids that name a transport, not the model's maker.
_ROUTERS = {"openrouter", "openai-api", "openai-api-completions", "together", "hf", "vllm",
            "ollama", "llama-cpp-python", "sglang", "groq", "fireworks", "azureai", "bedrock",
            "local", "gguf", "llama-cpp-local",
            "local-completions", "local-chat-completions"}
#: Name fragments that identify a maker when the id carries no ``org/`` prefix.
_MAKERS = [("gpt", "openai"), ("o1", "openai"), ("o3", "openai"), ("claude", "anthropic"),
           ("gemini", "google"), ("gemma", "google"), ("llama", "meta-llama"),
           ("mistral", "mistralai"), ("mixtral", "mistralai"), ("qwen", "qwen"),
           ("deepseek", "deepseek"), ("grok", "x-ai"), ("command", "cohere"),
           ("phi", "microsoft"), ("kimi", "moonshotai"), ("glm", "z-ai")]


@dataclass(frozen=True)
class MethodSpec:
    """One way of computing Π; ``key`` names its columns (``pi_<key>``)."""

    key: str
    label: str
    note: str = ""

    @property
    def column(self) -> str:
        return f"pi_{self.key}"

    @property
    def lo(self) -> str:
        return f"pi_{self.key}_lo"

    @property
    def hi(self) -> str:
        return f"pi_{self.key}_hi"


@dataclass
class Leaderboard:
    """A ranked table plus what a reader needs to interpret it."""

    table: pd.DataFrame
    title: str = "Pinocchio leaderboard"
    methods: list[MethodSpec] = field(default_factory=list)
    primary: str | None = None          # method key used for the rank and the chart
    benchmarks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)
    #: Results beyond the ranking (by provider, over release date), as plain JSON-ready data.
    analyses: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.primary is None and self.methods:
            self.primary = self.methods[0].key

    @property
    def primary_method(self) -> MethodSpec | None:
        return next((m for m in self.methods if m.key == self.primary), None)

    def method(self, key: str) -> MethodSpec:
        return next(m for m in self.methods if m.key == key)

    def columns(self) -> list[str]:
        """Columns in display order (only those present)."""
        order = ["rank", "model", "provider"]
        for m in self.methods:
            order += [m.column, m.lo, m.hi]
            order += [c for c in self.table.columns if c.startswith(f"rank_{m.key}")]
        order += STAT_COLUMNS + list(self.benchmarks)
        seen = [c for c in order if c in self.table.columns]
        rest = [c for c in self.table.columns if c not in seen]
        return seen + rest

    def ordered(self) -> pd.DataFrame:
        """The table sorted by rank with columns in display order."""
        t = self.table
        if "rank" in t.columns:
            t = t.sort_values(["rank", "model"], na_position="last", kind="stable")
        return t[self.columns()].reset_index(drop=True)

    def column_label(self, col: str) -> str:
        """A human heading for a column (Π method labels, interval bounds, benchmarks)."""
        for m in self.methods:
            if col == m.column:
                return m.label
            if col == m.lo:
                return f"{m.label} 95% lo"
            if col == m.hi:
                return f"{m.label} 95% hi"
            if col == f"rank_{m.key}":
                return f"rank ({m.label})"
        return col.replace("_", " ") if col in STAT_COLUMNS else col


def provider_from_id(model_id: str) -> str:
    """Guess the model's maker from a harness model id.

    ``openai/gpt-4o`` → ``openai``; routing prefixes such as ``openrouter/`` or
    ``openai-api/<service>/`` are skipped; bare names fall back to well-known name fragments
    (``gemma-3-270m`` → ``google``), else ``unknown``.
    """
    parts = [p for p in str(model_id).strip().split("/") if p]
    # a bare router name ("llama-cpp-local") names no model, so no maker either
    while parts and parts[0].lower() in _ROUTERS:
        router = parts.pop(0).lower()
        if router.startswith("openai-api") and len(parts) > 1:
            parts.pop(0)  # Inspect's openai-api/<service>/<model>: the service is no maker
    if len(parts) > 1:
        return parts[0].lower()
    name = re.sub(r"[^a-z0-9]", "", parts[0].lower()) if parts else ""
    for frag, maker in _MAKERS:
        if name.startswith(frag):
            return maker
    return "unknown"


def rank_by(table: pd.DataFrame, column: str) -> pd.Series:
    """Rank 1 = highest value; ties share the best rank; missing values get no rank."""
    return table[column].rank(ascending=False, method="min").astype("Int64")


def finish_table(table: pd.DataFrame, primary: MethodSpec | None) -> pd.DataFrame:
    """Fill the provider and rank columns the exporters rely on."""
    out = table.copy()
    if "provider" not in out.columns:
        out["provider"] = [provider_from_id(m) for m in out["model"]]
    if primary is not None and primary.column in out.columns and "rank" not in out.columns:
        out["rank"] = rank_by(out, primary.column)
    return out


def format_cell(value: Any, col: str) -> str:
    """A cell as people read it: rates in %, Π signed to 3 decimals, blanks for missing."""
    v = json_safe(value)
    if v is None:
        return ""
    if isinstance(v, float):
        if col.endswith("_rate"):
            return f"{v:.1%}"
        return f"{round(v, 3) + 0.0:+.3f}" if col.startswith("pi_") else f"{v:.4g}"
    return str(v)
