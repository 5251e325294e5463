"""Did it move? ΔΠ between two models (or two checkpoints of one) with paired bootstrap intervals.

Δ is always ``b − a`` (``a`` = the base or earlier checkpoint). The overall interval resamples
questionnaires (MFQ parts merged, as everywhere else) with the *same* draw for both models, so
what the two share (which questionnaires happen to be in the battery) cancels and only their
difference is resampled. Each questionnaire's own Δ gets an interval from resampling its items,
again paired. Π_self needs nothing but the two models; Π_panel needs frozen norms so both sit on
one panel's scale (with only two models there is no panel to fit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import bootstrap as bs
from .hygiene import clean_responses
from .matrices import PanelData
from .norms import PanelNorms
from .result import ScoringError
from .selfanchored import self_matrices, self_scores


@dataclass
class Comparison:
    a: str
    b: str
    pi_self_a: float
    pi_self_b: float
    delta_pi_self: float
    ci_low: float
    ci_high: float
    n_items: int
    per_questionnaire: pd.DataFrame
    panel: dict[str, Any] | None = None
    bootstrap: dict[str, Any] = field(default_factory=dict)

    def excludes_zero(self) -> bool | None:
        """Whether the interval leaves out 0; None without an interval (no draws): no claim."""
        if not (np.isfinite(self.ci_low) and np.isfinite(self.ci_high)):
            return None
        return bool(self.ci_low > 0 or self.ci_high < 0)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        per = self.per_questionnaire if top is None else self.per_questionnaire.head(top)
        return {"a": self.a, "b": self.b, "pi_self_a": self.pi_self_a,
                "pi_self_b": self.pi_self_b, "delta_pi_self": self.delta_pi_self,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "n_items": self.n_items,
                "excludes_zero": self.excludes_zero(),
                "panel": self.panel, "bootstrap": self.bootstrap,
                "per_questionnaire": per.to_dict(orient="records")}


def interval_text(lo: float | None, hi: float | None) -> str:
    """``lo … hi``, or a plain "no interval" when there were no draws (never "nan … nan")."""
    if lo is None or hi is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return "no interval"
    return f"{lo:+.3f} … {hi:+.3f}"


def _percentiles(draws: np.ndarray, level: float = bs.LEVEL) -> tuple[float, float]:
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return float("nan"), float("nan")
    tail = (100.0 - level) / 2
    lo, hi = np.percentile(draws, [tail, 100.0 - tail])
    return float(lo), float(hi)


def _unit_deltas(neu: np.ndarray, hum: np.ndarray, r: np.ndarray, s: np.ndarray,
                 codes: np.ndarray, units: list[str], n_boot: int, seed: int) -> pd.DataFrame:
    """Per questionnaire: Δ of Π_self restricted to it, with a paired bootstrap over its items."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, name in enumerate(units):
        cols = np.flatnonzero((codes == k) & (r != 0))
        if not len(cols):
            continue
        n_, h_, r_, s_ = neu[:, cols], hum[:, cols], r[cols], s[cols]
        score, n_used = self_scores(n_, h_, r_, s_)
        if np.isnan(score).any():
            continue
        lo = hi = float("nan")
        if n_boot:
            picks = rng.integers(0, len(cols), size=(n_boot, len(cols)))
            mult = np.zeros((len(cols), n_boot))
            np.add.at(mult, (picks.T.ravel(), np.tile(np.arange(n_boot), len(cols))), 1.0)
            d = self_scores(n_, h_, r_, s_, mult)[0]
            lo, hi = _percentiles(d[1] - d[0])
        rows.append({"questionnaire": name, "delta": float(score[1] - score[0]),
                     "ci_low": lo, "ci_high": hi, "n_items": int(min(n_used))})
    df = pd.DataFrame(rows, columns=["questionnaire", "delta", "ci_low", "ci_high", "n_items"])
    order = df["delta"].abs().sort_values(ascending=False, kind="stable").index
    return df.loc[order].reset_index(drop=True)


def _panel_delta(panel: PanelData, norms: PanelNorms, n_boot: int,
                 seed: int) -> dict[str, Any]:
    """ΔΠ_panel on frozen norms, with the same questionnaire bootstrap as the engine."""
    score = norms.transform(panel)["pi_panel"].to_numpy()
    out: dict[str, Any] = {"pi_panel_a": float(score[0]), "pi_panel_b": float(score[1]),
                           "delta_pi_panel": float(score[1] - score[0]),
                           "ci_low": float("nan"), "ci_high": float("nan")}
    if n_boot:
        d = norms.panel_draws(panel, n_boot, seed)
        out["ci_low"], out["ci_high"] = _percentiles(d[1] - d[0])
    return out


def compare_models(table: pd.DataFrame, a: str, b: str, n_boot: int = 1000, seed: int = 0,
                   norms: PanelNorms | None = None, weights: pd.DataFrame | None = None,
                   catalog: Any = None, include_superseded: bool = False,
                   reparse: bool = False) -> Comparison:
    """ΔΠ_self (and ΔΠ_panel with ``norms``) of model ``b`` over model ``a``."""
    if a == b:
        raise ScoringError(f"--a and --b are the same model ({a!r}); name two different ones")
    models = set(table["model"].astype(str))
    missing = [m for m in (a, b) if m not in models]
    if missing:
        raise ScoringError(f"model(s) {missing} not in the inputs; models found: "
                           f"{sorted(models)}")
    sub = table[table["model"].astype(str).isin([a, b])]
    panel = PanelData.from_clean(clean_responses(sub, catalog=catalog,
                                                 include_superseded=include_superseded,
                                                 reparse=reparse))
    rows = [panel.models.get_loc(a), panel.models.get_loc(b)]
    panel = PanelData(models=panel.models[rows], items=panel.items,
                      matrices={c: m[rows] for c, m in panel.matrices.items()},
                      item_text=panel.item_text, groups=panel.groups)
    if not {"neutral", "human_simulation"} <= set(panel.matrices):
        raise ScoringError("ΔΠ_self needs both models' answers in neutral and "
                           f"human_simulation (inputs have {sorted(panel.matrices)})")
    # the texts the models were shown, so a weight applies only to its own text (as in score)
    r, s, found = self_matrices(panel.items, weights, panel.item_text)
    neu, hum = panel.matrix("neutral"), panel.matrix("human_simulation")
    score, n_used = self_scores(neu, hum, r, s)
    if np.isnan(score).any():
        lacking = [m for m, v in zip((a, b), score, strict=True) if np.isnan(v)]
        raise ScoringError(f"no Π_self for {lacking}: no item of the frozen weight table "
                           "answered in both neutral and human_simulation")
    codes, units = panel.unit_codes("group")
    lo = hi = float("nan")
    if n_boot:
        counts = bs.draw_counts(len(units), n_boot, seed)
        d = bs.self_draws(neu, hum, r, s, codes, counts)
        lo, hi = _percentiles(d[1] - d[0])
    per = _unit_deltas(neu, hum, r, s, codes, units, n_boot, seed)
    return Comparison(
        a=a, b=b, pi_self_a=float(score[0]), pi_self_b=float(score[1]),
        delta_pi_self=float(score[1] - score[0]), ci_low=lo, ci_high=hi,
        n_items=int(min(n_used)), per_questionnaire=per,
        panel=_panel_delta(panel, norms, n_boot, seed) if norms is not None else None,
        bootstrap={"draws": n_boot, "seed": seed, "level": bs.LEVEL,
                   "unit": "questionnaire (MFQ parts merged), same draw for both models",
                   "per_questionnaire_unit": "item within the questionnaire, paired"})
