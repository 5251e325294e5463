"""Frozen norms: fit on a reference panel, save, load, and place new models on its scale.

:class:`PanelNorms` follows scikit-learn's estimator shape (``fit`` / ``transform`` /
``fit_transform``, learned attributes end in ``_``). What is learned: π per item, the cap and
log weights, neutral item means and SDs (ddof 0, for Π_panel), and for the axis every
questionnaire's item norms (ddof 1) and first-factor loadings plus the scaler, PCA directions
and orientation sign.
Fitting on a panel and transforming that same panel reproduces its Π_panel and Π_axis exactly:
the scores are the same arithmetic on the same learned numbers.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..battery import get_battery
from . import bootstrap as bs
from .axis import AxisFit, GroupFit, fit_axis, score_axis
from .hygiene import clean_responses
from .items import CAP_PERCENTILE, MIN_MODELS
from .matrices import PanelData
from .panel import PanelFit, score_panel, weighted_scores, zscores

FORMAT = "pinocchio-eval-norms"
FORMAT_VERSION = 1


class NormsError(ValueError):
    """Norms that cannot be fitted (paper mode, no weighted item) or a norms file that cannot
    be used (wrong format, version, or content)."""


def _f(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def _fl(a: np.ndarray) -> list[float | None]:
    return [_f(v) for v in np.asarray(a, dtype=float)]


def _arr(v: list[float | None]) -> np.ndarray:
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def battery_fingerprint() -> str | None:
    """A short hash of the installed battery (names, items, scales), or None if unavailable."""
    try:
        h = hashlib.sha256()
        for inst in sorted(get_battery(), key=lambda i: i.name):
            h.update(inst.model_dump_json().encode())
        return h.hexdigest()[:16]
    except Exception:
        return None


class PanelNorms:
    """Fit Π_panel / Π_axis norms on a reference panel; score new models against them."""

    def __init__(self, seed: int = 0, min_models: int = MIN_MODELS,
                 percentile: float = CAP_PERCENTILE, include_superseded: bool = False,
                 catalog: Any = None, factors: Mapping[str, int] | None = None,
                 reparse: bool = False, min_parse_rate: float | None = None,
                 compat: str = "project"):
        self.seed = seed
        self.min_models = min_models
        self.percentile = percentile
        self.include_superseded = include_superseded
        self.catalog = catalog
        self.factors = factors
        self.reparse = reparse
        self.min_parse_rate = min_parse_rate
        self.compat = compat

    # ------------------------------------------------------------------ fitting
    def _panel(self, table: pd.DataFrame) -> PanelData:
        if isinstance(table, PanelData):
            return table
        return PanelData.from_clean(clean_responses(
            table, catalog=self.catalog, include_superseded=self.include_superseded,
            reparse=self.reparse, min_parse_rate=self.min_parse_rate))

    def fit(self, table: pd.DataFrame | PanelData, y: object = None) -> PanelNorms:
        if self.compat != "project":
            raise NormsError(
                "frozen norms exist in the project's method only: the authors scored each "
                "panel on itself, so paper mode has nothing to freeze (score the whole panel "
                "with --compat paper instead; see docs/methods.md)")
        panel = self._panel(table)
        self.items_ = panel.items
        own = score_panel(panel, self.min_models, self.percentile)
        self.panel_ = own.fit
        if not own.usable:
            raise NormsError("cannot calibrate: no item qualifies for a π weight: the panel "
                             f"needs ≥ {self.min_models} models answering in both neutral and "
                             "human_simulation, with items that vary more in neutral")
        try:
            self.axis_, _ = fit_axis(panel, self.seed, orient_to=own.score,
                                     factors=self.factors)
        except ValueError as exc:
            self.axis_ = None
            self.axis_error_ = str(exc)
        self.provenance_ = {
            "models": [str(m) for m in panel.models],
            "n_items": int(len(panel.items)),
            "n_weighted_items": int((self.panel_.weights > 0).sum()),
            "battery_fingerprint": battery_fingerprint(),
            "package_version": __version__,
            "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "seed": self.seed, "min_models": self.min_models, "cap_percentile": self.percentile,
        }
        return self

    # ------------------------------------------------------------------ scoring
    def _aligned_neutral(self, panel: PanelData) -> np.ndarray:
        pos = panel.items.get_indexer(self.items_)
        x = panel.matrix("neutral")
        out = np.full((len(panel.models), len(self.items_)), np.nan)
        out[:, pos >= 0] = x[:, pos[pos >= 0]]
        return out

    def transform(self, table: pd.DataFrame | PanelData, bootstrap: int = 0,
                  seed: int = 0) -> pd.DataFrame:
        """Π_panel and Π_axis of every model in ``table`` on the fitted panel's scale.

        With ``bootstrap`` draws, Π_panel also gets its 95 % interval (``pi_panel_lo`` /
        ``_hi``) over resampled questionnaires (:meth:`panel_draws`). Without an axis in the
        norms there are no ``pi_axis`` columns.
        """
        panel = self._panel(table)
        x = self._aligned_neutral(panel)
        z = zscores(x, self.panel_.mean, self.panel_.sd)
        score, n = weighted_scores(z, self.panel_.weights)
        out = pd.DataFrame({"model": panel.models, "pi_panel": score, "n_items_panel": n})
        if bootstrap:
            out["pi_panel_lo"], out["pi_panel_hi"] = bs.interval(
                self.panel_draws(panel, bootstrap, seed))
        if self.axis_ is not None:
            ax = score_axis(self.axis_, x, panel.models)
            out = out.merge(ax, on="model", how="left")
        return out

    def fit_transform(self, table: pd.DataFrame | PanelData, y: object = None) -> pd.DataFrame:
        return self.fit(table).transform(table)

    def panel_draws(self, panel: PanelData, n_draws: int, seed: int) -> np.ndarray:
        """Π_panel per model (rows) in each of ``n_draws`` seeded resamples of the frozen
        items' questionnaires (columns), π weights re-capped per draw as the engine does."""
        groups = [panel.groups.get(q, q) for q in self.items_.get_level_values(0)]
        codes = np.unique(np.array(groups), return_inverse=True)[1]
        counts = bs.draw_counts(int(codes.max()) + 1, n_draws, seed)
        z = zscores(self._aligned_neutral(panel), self.panel_.mean, self.panel_.sd)
        return bs.panel_draws(z, self.panel_.pi, codes, counts)

    # ------------------------------------------------------------------ persistence
    def to_dict(self) -> dict[str, Any]:
        p = self.panel_
        doc: dict[str, Any] = {
            "format": FORMAT, "version": FORMAT_VERSION, "provenance": self.provenance_,
            "panel": {
                "cap": _f(p.cap),
                "questionnaire": [str(q) for q in self.items_.get_level_values(0)],
                "item_index": [int(i) for i in self.items_.get_level_values(1)],
                "pi": _fl(p.pi), "weight": _fl(p.weights), "mean": _fl(p.mean),
                "sd": _fl(p.sd),
            },
            "axis": None,
        }
        if self.axis_ is not None:
            a = self.axis_
            doc["axis"] = {
                "groups": [{"name": g.name, "columns": [int(c) for c in g.columns],
                            "mean": _fl(g.mean), "sd": _fl(g.sd), "loadings": _fl(g.loadings),
                            "method": g.method, "n_factors": g.n_factors,
                            "n_models": g.n_models} for g in a.groups],
                "scaler_mean": _fl(a.scaler_mean), "scaler_scale": _fl(a.scaler_scale),
                "components": [_fl(c) for c in a.components], "explained": _fl(a.explained),
                "sign": a.sign, "orientation": a.orientation, "skipped": a.skipped,
            }
        return doc

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, allow_nan=False) + "\n",
                              encoding="utf-8")

    @classmethod
    def from_dict(cls, doc: dict[str, Any], catalog: Any = None) -> PanelNorms:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise NormsError(f"not a pinocchio-eval norms file (format {doc.get('format')!r})"
                             if isinstance(doc, dict) else "not a pinocchio-eval norms file")
        if doc.get("version") != FORMAT_VERSION:
            raise NormsError(f"norms format version {doc.get('version')} is not supported "
                             f"(this pinocchio-eval reads version {FORMAT_VERSION})")
        prov = doc["provenance"]
        self = cls(seed=prov.get("seed", 0), min_models=prov.get("min_models", MIN_MODELS),
                   percentile=prov.get("cap_percentile", CAP_PERCENTILE), catalog=catalog)
        pnl = doc["panel"]
        self.items_ = pd.MultiIndex.from_arrays([pnl["questionnaire"], pnl["item_index"]])
        self.panel_ = PanelFit(pi=_arr(pnl["pi"]), cap=_arr([pnl["cap"]])[0],
                               weights=_arr(pnl["weight"]), mean=_arr(pnl["mean"]),
                               sd=_arr(pnl["sd"]))
        self.axis_ = None
        ax = doc.get("axis")
        if ax:
            groups = [GroupFit(name=g["name"], columns=np.array(g["columns"], dtype=int),
                               mean=_arr(g["mean"]), sd=_arr(g["sd"]),
                               loadings=_arr(g["loadings"]), method=g["method"],
                               n_factors=g["n_factors"], n_models=g["n_models"])
                      for g in ax["groups"]]
            self.axis_ = AxisFit(groups=groups, scaler_mean=_arr(ax["scaler_mean"]),
                                 scaler_scale=_arr(ax["scaler_scale"]),
                                 components=np.array([_arr(c) for c in ax["components"]]),
                                 explained=_arr(ax["explained"]), sign=float(ax["sign"]),
                                 orientation=ax["orientation"], skipped=ax.get("skipped", {}))
        self.provenance_ = prov
        return self

    @classmethod
    def load(cls, path: str | Path, catalog: Any = None) -> PanelNorms:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise NormsError(f"{path}: no such norms file") from exc
        except json.JSONDecodeError as exc:
            raise NormsError(f"{path}: not valid JSON ({exc})") from exc
        try:
            return cls.from_dict(doc, catalog=catalog)
        except (KeyError, TypeError) as exc:
            raise NormsError(f"{path}: norms file is incomplete ({exc})") from exc


class PinocchioScorer(PanelNorms):
    """Deprecated name of :class:`PanelNorms` (kept for one version; it warns when built).

    It also keeps the old ``score`` alias of ``transform``, which :class:`PanelNorms` drops
    because scikit-learn's ``score`` means something else (a goodness of fit).
    """

    def __init__(self, *args: Any, **kwargs: Any):
        warnings.warn("PinocchioScorer is deprecated and will be removed in the next version; "
                      "use PanelNorms", DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)

    score = PanelNorms.transform
