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

from ..responses import ResponseTableError, validate_response_table
from .catalog import MFQ_MERGED, Catalog, UnknownQuestionnaire, normalise_text

CONDITIONS = ("neutral", "llm_analog", "human_simulation")


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
        from .selfanchored import load_item_weights

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


def _parse_texts(raw: pd.Series, q: pd.Series, idx: pd.Series, lo: pd.Series,
                 hi: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Run non-numeric answers through the shared parser; returns (value, status)."""
    try:
        from ..battery import Scale
        from ..parsing import parse_answer
    except ImportError:  # parser not available: such answers stay missing
        return (pd.Series(np.nan, index=raw.index), pd.Series("unparseable", index=raw.index))
    values, statuses = [], []
    scales: dict[tuple[float, float], object] = {}
    for text, a, b in zip(raw.astype(str), lo, hi, strict=True):
        key = (a, b)
        if key not in scales:
            scales[key] = Scale(labels={v: str(v) for v in range(int(a), int(b) + 1)})
        res = parse_answer(text, scales[key])  # type: ignore[arg-type]
        values.append(np.nan if res.value is None else float(res.value))
        statuses.append(str(res.status))
    return (pd.Series(values, index=raw.index, dtype=float),
            pd.Series(statuses, index=raw.index))


def clean_responses(df: pd.DataFrame, catalog: Catalog | None = None,
                    include_superseded: bool = False, source: str = "input") -> CleanResponses:
    """Validate, resolve questionnaires, parse, null out-of-range answers and count it all."""
    if catalog is None:
        from .catalog import default_catalog

        catalog = default_catalog()
    if "value" in df.columns and "response" not in df.columns:
        df = df.rename(columns={"value": "response"})
    if not {"response_raw"} <= set(df.columns) or df["response"].dtype == object:
        df = validate_response_table(df, source=source)
    elif "item" not in df.columns:
        df = df.assign(item=pd.NA)
    df = _split_merged_mfq(df, catalog)

    infos = {}
    for name in sorted(df["questionnaire"].unique()):
        try:
            infos[name] = catalog.info(name)
        except UnknownQuestionnaire as exc:
            raise ResponseTableError(f"{source}: {exc}") from None
    notes: list[str] = []
    superseded = sorted(n for n, i in infos.items() if i.status == "superseded")
    if superseded and not include_superseded:
        df = df[~df["questionnaire"].isin(superseded)]
        notes.append("left out superseded instrument(s): " + ", ".join(superseded)
                     + " (pass include_superseded to score them)")
        if df.empty:
            raise ResponseTableError(f"{source}: only superseded instruments in the input")
    # canonical names (the catalog may resolve ids or case variants)
    canon = {n: i.name for n, i in infos.items()}
    df = df.assign(questionnaire=df["questionnaire"].map(canon))
    infos = {i.name: i for i in infos.values()}

    pairs = df[["questionnaire", "item_index"]].drop_duplicates()
    bounds = [infos[q].bounds(i) for q, i in zip(pairs["questionnaire"], pairs["item_index"],
                                                   strict=True)]
    pairs = pairs.assign(_lo=[b[0] for b in bounds], _hi=[b[1] for b in bounds])
    df = df.merge(pairs, on=["questionnaire", "item_index"], how="left", sort=False)

    value = pd.to_numeric(df["response"], errors="coerce").astype(float)
    status = (df["status"].astype("string") if "status" in df.columns
              else pd.Series(pd.NA, index=df.index, dtype="string"))
    raw = df["response_raw"].astype("string") if "response_raw" in df.columns else None
    non_numeric = value.isna()
    if raw is not None:
        textual = non_numeric & raw.notna() & (raw.str.strip() != "")
        textual &= pd.to_numeric(raw, errors="coerce").isna()
        if textual.any():
            v, s = _parse_texts(raw[textual], df.loc[textual, "questionnaire"],
                                df.loc[textual, "item_index"], df.loc[textual, "_lo"],
                                df.loc[textual, "_hi"])
            value[textual] = v
            status = status.copy()
            status[textual] = status[textual].fillna(s)
    out_of_range = value.notna() & ((value < df["_lo"]) | (value > df["_hi"]))
    value[out_of_range] = np.nan
    status = status.copy()
    status[out_of_range] = "out_of_range"
    status = status.fillna(pd.Series(np.where(value.isna(), "unparseable", "ok"),
                                     index=df.index))

    table = pd.DataFrame({
        "model": df["model"].astype(str).values,
        "condition": df["condition"].astype(str).values,
        "questionnaire": df["questionnaire"].values,
        "item_index": df["item_index"].astype(int).values,
        "item": df["item"].values,
        "value": value.values,
    })
    counts = pd.DataFrame(index=pd.Index(sorted(df["model"].unique()), name="model"))
    grp = table.groupby("model", sort=True)
    counts["n_rows"] = grp.size()
    counts["n_valid"] = grp["value"].count()
    st = pd.crosstab(df["model"], status)
    for name in ("refusal", "unparseable", "out_of_range", "empty", "ambiguous"):
        counts[f"n_{name}"] = st[name] if name in st.columns else 0
    counts = counts.fillna(0).astype(int)
    counts["parse_rate"] = counts["n_valid"] / counts["n_rows"]
    groups = {q: infos[q].axis_group for q in table["questionnaire"].unique()}
    n_oob = int(out_of_range.sum())
    if n_oob:
        notes.append(f"{n_oob} answer(s) outside their questionnaire's scale were set missing")
    return CleanResponses(table=table, counts=counts.reset_index(), groups=groups, notes=notes)
