"""Model facts: who made a model, its family, when it came out, what it was tuned from.

Π alone ranks models; the paper's further questions (by provider, over time, did a fine-tune
move it) need a few facts per model that no response log carries. They come from a small
CSV or YAML file with a ``model`` column and any of :data:`FACT_COLUMNS`; extra columns
(``release_date_source`` for instance) are kept. A model missing from the file still gets a
provider, from its id (the caller passes the rule, so the engine stays free of id heuristics).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import yaml

from .result import ScoringError

FACT_COLUMNS = ("provider", "family", "release_date", "parent", "notes")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class FactsError(ScoringError):
    """A model-facts file cannot be used; the message names the file, row and fix."""


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FactsError(f"{path}: no such models-info file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise FactsError(f"{path}: not a readable CSV ({exc})") from None
    if suffix in (".yaml", ".yml"):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a bare impossible date
            raise FactsError(f"{path}: not valid YAML ({exc}); quote dates as "
                             "'YYYY-MM-DD'") from None
        if isinstance(doc, dict) and "models" in doc:
            doc = doc["models"]
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise FactsError(f"{path}: expected a list of mappings (one per model, each with "
                             "a 'model' key), optionally under a top-level 'models' key")
        return pd.DataFrame(doc).astype(object).where(lambda d: d.notna(), "").astype(str)
    raise FactsError(f"{path}: models-info must be .csv, .yaml or .yml")


def load_models_info(path: str | Path) -> pd.DataFrame:
    """Read and check a model-facts file; one row per model, blanks as missing.

    ``release_date`` must be a full ISO date (``2025-03-05``): a month alone would put the
    model on a day nobody established, so it is refused rather than rounded.
    """
    path = Path(path)
    df = _read(path)
    df.columns = [str(c).strip() for c in df.columns]
    if "model" not in df.columns:
        raise FactsError(f"{path}: needs a 'model' column (columns are {list(df.columns)})")
    df = df.apply(lambda s: s.str.strip())
    for i, m in enumerate(df["model"], start=2 if path.suffix.lower() == ".csv" else 1):
        if not m:
            raise FactsError(f"{path}: row {i} has an empty 'model'; fill it or delete the row")
    dup = df["model"][df["model"].duplicated()].unique().tolist()
    if dup:
        raise FactsError(f"{path}: model(s) listed twice: {dup}; keep one row per model")
    df = df.replace("", pd.NA)
    if "release_date" in df.columns:
        parsed = []
        for m, v in zip(df["model"], df["release_date"], strict=True):
            if pd.isna(v):
                parsed.append(pd.NaT)
                continue
            ts = (pd.to_datetime(v, format="%Y-%m-%d", errors="coerce")
                  if _ISO_DAY.fullmatch(v) else pd.NaT)
            if pd.isna(ts):
                raise FactsError(f"{path}: model {m!r}: release_date {v!r} is not an ISO date "
                                 "(YYYY-MM-DD); fix it or leave it blank")
            parsed.append(ts.normalize())
        df["release_date"] = pd.to_datetime(pd.Series(parsed, index=df.index))
    for col in FACT_COLUMNS:
        if col not in df.columns:
            df[col] = pd.NaT if col == "release_date" else pd.NA
    parents = df["parent"].dropna()
    self_parent = parents[parents == df.loc[parents.index, "model"]]
    if len(self_parent):
        raise FactsError(f"{path}: model {self_parent.iloc[0]!r} names itself as parent")
    return df.set_index("model")


def match_ids(models: Iterable[str], known: Iterable[str]) -> dict[str, str]:
    """Scored model id → facts id: exact, else the one facts id the scored id ends with.

    Harness ids carry routing prefixes (``openrouter/openai/gpt-4o``) that a facts file
    written by hand does not; a suffix match on a ``/`` boundary bridges the two when unique.
    """
    known = list(known)
    out = {}
    for m in models:
        if m in known:
            out[m] = m
            continue
        cands = [k for k in known if str(m).endswith("/" + k)]
        if len(cands) == 1:
            out[m] = cands[0]
    return out


def model_facts(models: Iterable[str], info: pd.DataFrame | None,
                default_provider: Callable[[str], str]) -> pd.DataFrame:
    """One row per scored model with every fact column; provider never missing."""
    models = [str(m) for m in models]
    rows = pd.DataFrame(index=pd.Index(models, name="model"))
    ids = match_ids(models, info.index) if info is not None else {}
    if ids:
        rows = rows.join(info.reindex([ids.get(m) for m in models]).set_axis(models))
    for col in FACT_COLUMNS:
        if col not in rows.columns:
            rows[col] = pd.NaT if col == "release_date" else pd.NA
    rows["provider"] = [p if isinstance(p, str) and p else default_provider(m)
                        for m, p in zip(models, rows["provider"], strict=True)]
    # A parent is named by its facts id; translate it to the scored id when present.
    back = {v: k for k, v in ids.items()}
    rows["parent"] = [back.get(p, p) if isinstance(p, str) else pd.NA for p in rows["parent"]]
    return rows
