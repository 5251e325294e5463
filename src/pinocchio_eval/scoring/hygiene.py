"""Input hygiene: from a response table to clean numeric answers.

Mirrors what the paper did before any statistics: answers become numbers on the questionnaire's
scale, anything outside the scale is missing, and superseded instruments are left out unless
asked for. Every other item present in the input is kept, including items the battery no longer
administers, so the authors' own data scores as they ran it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..battery import Scale
from ..conditions import UnknownConditionError, get_condition
from ..parsing import parse_answer
from ..responses import ResponseTableError, validate_response_table
from .catalog import (
    MFQ_MERGED,
    Catalog,
    QuestionnaireInfo,
    UnknownQuestionnaire,
    default_catalog,
    normalise_text,
)
from .weights import load_item_weights


@dataclass
class CleanResponses:
    """Clean long table (``value`` is the usable number or NaN) plus per-model counts."""

    table: pd.DataFrame          # model, condition, questionnaire, item_index, item, value
    counts: pd.DataFrame         # one row per model: rows, valid, non_numeric, out_of_range, ...
    groups: dict[str, str]       # questionnaire -> axis group (MFQ parts share one)
    notes: list[str]


def _mfq_text_map(catalog: Catalog) -> dict[str, tuple[str, int]]:
    mapping = catalog.part_texts(MFQ_MERGED)
    if not mapping:  # no battery: fall back to the frozen weight table, which has both parts
        w = load_item_weights()
        sub = w[w["questionnaire"].str.startswith(MFQ_MERGED + "_")]
        mapping = {normalise_text(t): (q, int(i)) for q, i, t in
                   zip(sub["questionnaire"], sub["item_index"], sub["item"], strict=True)}
    return mapping


def _split_merged_mfq(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Rows under the paper's merged MFQ name go to their part, matched by item text."""
    mask = df["questionnaire"] == MFQ_MERGED
    if not mask.any():
        return df
    texts = df.loc[mask, "item"]
    if texts.isna().any():
        raise ResponseTableError(
            f"rows for '{MFQ_MERGED}' (the paper's merged name) need the 'item' column: its two "
            "parts share item_index values, so only the item text says which part a row belongs "
            f"to. Add the item texts, or name the parts '{MFQ_MERGED}_1' / '_2'.")
    mapping = _mfq_text_map(catalog)
    keys = texts.map(normalise_text)
    found = keys.map(mapping)
    if found.isna().any():
        bad = texts[found.isna()].iloc[0]
        raise ResponseTableError(f"'{MFQ_MERGED}': item text {bad!r} matches neither MFQ part")
    df = df.copy()
    df.loc[mask, "questionnaire"] = [q for q, _ in found]
    df.loc[mask, "item_index"] = [i for _, i in found]
    return df


def _parse_texts(raw: pd.Series, questionnaires: np.ndarray, item_index: np.ndarray,
                 lo: np.ndarray, hi: np.ndarray, catalog: Catalog
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Run text answers through the shared parser against each item's own scale (labels
    included, so "Agree" reads as the scale's Agree); returns (value, status).

    Items the catalog has no scale for get a bare numeric scale on their bounds.
    """
    values, statuses = [], []
    scales: dict[tuple[str, int], object] = {}
    scale_of = getattr(catalog, "scale", None)
    for text, q, i, a, b in zip(raw.astype(str), questionnaires, item_index, lo, hi,
                                strict=True):
        key = (str(q), int(i))
        if key not in scales:
            found = scale_of(*key) if scale_of is not None else None
            scales[key] = found or Scale(labels={v: str(v) for v in range(int(a), int(b) + 1)})
        res = parse_answer(text, scales[key])  # type: ignore[arg-type]
        values.append(np.nan if res.value is None else float(res.value))
        statuses.append(str(res.status))
    return np.array(values, dtype=float), np.array(statuses, dtype=object)


def _check_conditions(df: pd.DataFrame, source: str) -> None:
    """Every condition must be registered (built-in or plugin): a typo would silently
    drop rows from Π."""
    for name in df["condition"].unique():
        try:
            get_condition(str(name))
        except UnknownConditionError as exc:
            n = int((df["condition"] == name).sum())
            raise ResponseTableError(f"{source}: {n} row(s) have {exc}") from None


def _prepare(df: pd.DataFrame, catalog: Catalog, source: str) -> pd.DataFrame:
    """A validated table with a status per row, known conditions and MFQ parts resolved."""
    if "value" in df.columns and "response" not in df.columns:
        df = df.rename(columns={"value": "response"})
    # every table is validated, also one a reader produced (~50 ms for 140,000 rows): a table
    # built by hand may carry response_raw beside numeric answers, and an unchecked
    # item_index of -1 would be keyed as another questionnaire's item
    df = validate_response_table(df, source=source)
    _check_conditions(df, source)
    return _split_merged_mfq(df, catalog)


def _resolve(df: pd.DataFrame, catalog: Catalog, include_superseded: bool, source: str,
             notes: list[str]) -> tuple[pd.DataFrame, dict[str, QuestionnaireInfo]]:
    """Questionnaires under their canonical names, superseded ones left out unless asked."""
    infos = {}
    for name in sorted(df["questionnaire"].unique()):
        try:
            infos[name] = catalog.info(name)
        except UnknownQuestionnaire as exc:
            raise ResponseTableError(f"{source}: {exc}") from None
    superseded = sorted(n for n, i in infos.items() if i.status == "superseded")
    if superseded and not include_superseded:
        df = df[~df["questionnaire"].isin(superseded)]
        notes.append("left out superseded instrument(s): " + ", ".join(superseded)
                     + " (pass include_superseded to score them)")
        if df.empty:
            raise ResponseTableError(f"{source}: only superseded instruments in the input")
    # canonical names (the catalog may resolve ids or case variants)
    canon = {n: i.name for n, i in infos.items()}
    if any(k != v for k, v in canon.items()):
        df = df.assign(questionnaire=df["questionnaire"].map(canon))
    return df, {i.name: i for i in infos.values()}


def _bounds(df: pd.DataFrame, infos: dict[str, QuestionnaireInfo]
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each row's scale bounds, looked up once per unique (questionnaire, item) pair."""
    q_codes, q_names = pd.factorize(df["questionnaire"], sort=True)
    item_idx = df["item_index"].to_numpy(dtype=np.int64)
    width = int(item_idx.max()) + 1
    uniq, inverse = np.unique(q_codes.astype(np.int64) * width + item_idx, return_inverse=True)
    b = np.array([infos[q_names[k // width]].bounds(k % width) for k in uniq], dtype=float)
    return b[inverse, 0], b[inverse, 1]


def _values(df: pd.DataFrame, lo: np.ndarray, hi: np.ndarray, catalog: Catalog,
            reparse: bool, notes: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """The usable number per row (NaN if none) and why not: unread text answers parsed
    against their scale, out-of-range numbers set missing (their count is returned too)."""
    value = pd.to_numeric(df["response"], errors="coerce").to_numpy(dtype=float, copy=True)
    status = (df["status"].astype(object).to_numpy(copy=True) if "status" in df.columns
              else np.full(len(df), None, dtype=object))
    status[pd.isna(status)] = None
    missing = np.isnan(value) if reparse else np.isnan(value) & pd.isna(status)
    missing = np.flatnonzero(missing)
    if missing.size and "response_raw" in df.columns:
        raw = df["response_raw"].iloc[missing].astype("string")
        textual = (raw.notna() & (raw.str.strip() != "")
                   & pd.to_numeric(raw, errors="coerce").isna()).to_numpy(dtype=bool)
        rows = missing[textual]
        if rows.size:
            v, st = _parse_texts(raw[textual], df["questionnaire"].to_numpy()[rows],
                                 df["item_index"].to_numpy(dtype=np.int64)[rows], lo[rows],
                                 hi[rows], catalog)
            value[rows], status[rows] = v, st
            if reparse:
                notes.append(f"re-parsed {rows.size} answer(s) from response_raw; "
                             f"{int(np.sum(~np.isnan(v)))} now have a rating")
    out_of_range = ~np.isnan(value) & ((value < lo) | (value > hi))
    value[out_of_range] = np.nan
    status[out_of_range] = "out_of_range"
    unset = pd.isna(status)
    status[unset] = np.where(np.isnan(value[unset]), "unparseable", "ok")
    return value, status, int(out_of_range.sum())


def _counts(models: pd.Series, value: np.ndarray, status: np.ndarray) -> pd.DataFrame:
    """Per model: rows, usable answers, each reason for a missing one, and the parse rate."""
    m_codes, m_names = pd.factorize(models, sort=True)
    n_models = len(m_names)
    counts = pd.DataFrame({
        "model": m_names,
        "n_rows": np.bincount(m_codes, minlength=n_models),
        "n_valid": np.bincount(m_codes, weights=~np.isnan(value), minlength=n_models)
        .astype(int),
    })
    for name in ("refusal", "unparseable", "out_of_range", "empty", "ambiguous"):
        counts[f"n_{name}"] = np.bincount(m_codes, weights=(status == name),
                                          minlength=n_models).astype(int)
    counts["parse_rate"] = counts["n_valid"] / counts["n_rows"]
    return counts


def _drop_low_parse(table: pd.DataFrame, counts: pd.DataFrame, min_parse_rate: float,
                    source: str, notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    low = counts[counts["parse_rate"] < min_parse_rate]
    if not len(low):
        return table, counts
    notes.append(f"dropped {len(low)} model(s) below the minimum parse rate "
                 f"{min_parse_rate:g}: " + ", ".join(
                     f"{m} ({r:.3f})" for m, r in zip(low["model"], low["parse_rate"],
                                                       strict=True)))
    if len(low) == len(counts):
        raise ResponseTableError(f"{source}: every model is below the minimum parse "
                                 f"rate {min_parse_rate:g}; lower --min-parse-rate")
    return (table[~table["model"].isin(low["model"])].reset_index(drop=True),
            counts[~counts["model"].isin(low["model"])].reset_index(drop=True))


def clean_responses(df: pd.DataFrame, catalog: Catalog | None = None,
                    include_superseded: bool = False, source: str = "input",
                    reparse: bool = False, min_parse_rate: float | None = None
                    ) -> CleanResponses:
    """Validate, resolve questionnaires, parse, null out-of-range answers and count it all.

    Text answers nobody has read yet are parsed against the item's scale. An answer the table
    already judged unreadable (an empty ``response`` beside its ``response_raw``, or a reader's
    status) stays missing unless ``reparse`` is set. ``min_parse_rate`` drops every model whose
    share of usable answers is below it and names them in the notes (docs/methods.md).
    """
    catalog = default_catalog() if catalog is None else catalog
    notes: list[str] = []
    df, infos = _resolve(_prepare(df, catalog, source), catalog, include_superseded, source,
                         notes)
    lo, hi = _bounds(df, infos)
    value, status, n_oob = _values(df, lo, hi, catalog, reparse, notes)
    table = df[["model", "condition", "questionnaire"]].reset_index(drop=True)
    table["item_index"] = df["item_index"].to_numpy(dtype=np.int64)
    table["item"] = df["item"].reset_index(drop=True)
    table["value"] = value
    counts = _counts(table["model"], value, status)
    if min_parse_rate is not None:
        table, counts = _drop_low_parse(table, counts, min_parse_rate, source, notes)
    groups = {q: infos[q].axis_group for q in table["questionnaire"].unique()}
    if n_oob:
        notes.append(f"{n_oob} answer(s) outside their questionnaire's scale were set missing")
    return CleanResponses(table=table, counts=counts, groups=groups, notes=notes)
