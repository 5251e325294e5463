"""Every Eval Ever export: one aggregate record per model, checked by the package's validator.

Every Eval Ever (PyPI ``every-eval-ever``) is a shared schema and datastore for evaluation
results. Its unit is one evaluation of one model, filed as
``data/<collection>/<developer>/<model>/<uuid>.json``; this exporter writes that tree under
``<out>/eee/`` with the collection ``pinocchio``. Each record carries, per model, every Π
method on the board (with its 95 % bootstrap interval when the board has one), the parse and
refusal rates, and in its source details the task version and battery fingerprint.

Values the board does not have are left out, never filled in: a NaN Π is not exported (the
board's notes say why), and deployment and weight availability are ``unknown`` because the
board does not record them. Benchmark columns merged from elsewhere are not exported: they
are other evaluations, with their own provenance.

With ``every-eval-ever`` installed (``pip install 'pinocchio-eval[eee]'``; it needs Python
3.12+) every record is validated with the package's own validator, semantic checks included,
before anything is written; an invalid record stops the export with the validator's
messages and leaves nothing behind. Without it the records are written and a warning says
they were not validated.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import tempfile
import uuid
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .model import Leaderboard, MethodSpec

COLLECTION = "pinocchio"
#: The schema version written when the package is not there to say which it validates.
SCHEMA_VERSION = "0.3.0"
FOLDER = "eee"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
#: Names a path component may not take: Windows' device names (whatever follows a dot) and the
#: datastore's own top folder.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
_HARNESS_LIBRARY = {"inspect": "inspect_ai", "lm-eval": "lm_eval"}


class EeeValidationError(ValueError):
    """A record failed Every Eval Ever's validation; the message lists the validator's errors."""


class NotValidatedWarning(UserWarning):
    """Records were written without Every Eval Ever's validator (the package is missing)."""


def _validator() -> Any | None:
    try:
        from every_eval_ever.validator import validation_core  # lazy: optional (every_eval_ever)
    except ImportError:
        return None
    return validation_core


def _component(text: str) -> str:
    """A portable path component (the datastore's rule: no separators or reserved marks)."""
    out = _UNSAFE.sub("_", str(text).strip()).rstrip(". ")
    stem, dot, rest = out.partition(".")
    if stem.upper() in _RESERVED or out == "data":  # "NUL" -> "NUL_", "con.x" -> "con_.x"
        out = f"{stem}_{dot}{rest}"
    return out or "unnamed"


def _strings(d: dict[str, Any]) -> dict[str, str]:
    """EEE 'additional_details' hold strings only; nested values become JSON text."""
    return {k: v if isinstance(v, str) else json.dumps(v, default=str, sort_keys=True)
            for k, v in d.items() if v is not None}


def _finite(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _epoch(iso: str | None) -> str:
    """Unix time as the schema asks for ``retrieved_timestamp`` (the board's creation)."""
    if iso:
        try:
            return str(int(datetime.fromisoformat(str(iso)).timestamp()))
        except ValueError:
            pass
    return str(int(datetime.now(timezone.utc).timestamp()))


def _record_uuid(*parts: str) -> str:
    """A UUID4-shaped id derived from the record's identity: same board → same file names."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def model_identity(row: dict[str, Any]) -> tuple[str, str]:
    """(developer, model) as the datastore files them: the board's provider and the model's
    own name without routing prefixes."""
    developer = _component(str(row.get("provider") or "unknown").lower())
    name = _component(str(row["model"]).rstrip("/").split("/")[-1])
    return developer, name


def _score_details(row: dict[str, Any], m: MethodSpec,
                   provenance: dict[str, Any]) -> dict[str, Any] | None:
    """A method's score, its bootstrap interval and item count; None without a score."""
    score = _finite(row.get(m.column))
    if score is None:
        return None
    details: dict[str, Any] = {"score": score}
    lo, hi = _finite(row.get(m.lo)), _finite(row.get(m.hi))
    if lo is not None and hi is not None:
        boot = provenance.get("bootstrap")
        ci: dict[str, Any] = {
            "lower": lo, "upper": hi, "confidence_level": 0.95,
            "method": f"percentile bootstrap over questionnaires (seed {provenance.get('seed')})"}
        details["uncertainty"] = {"confidence_interval": ci}
        if isinstance(boot, int) and boot > 0:
            details["uncertainty"]["num_bootstrap_samples"] = boot
    n_items = _finite(row.get(f"n_items_{m.key}"))
    if n_items is not None:
        details["details"] = {"n_items": str(int(n_items))}
    return details


def _rate_results(row: dict[str, Any], source: dict[str, Any]) -> list[dict[str, Any]]:
    """The battery's parse rate and refusal rate as results of their own, where known."""
    out = []
    for col, lower, text in (
            ("parse_rate", False, "share of prompts whose answer was read as a rating"),
            ("refusal_rate", True, "share of prompts the model declined to rate")):
        score = _finite(row.get(col))
        if score is None:
            continue
        out.append(_result(col, f"Pinocchio battery {col.replace('_', ' ')}", text, source, {
            "metric_name": col.replace("_", " "), "metric_kind": "rate",
            "metric_unit": "proportion", "lower_is_better": lower, "score_type": "continuous",
            "min_score": 0.0, "max_score": 1.0}, {"score": score}))
    return out


def _result(column: str, name: str, description: str, source: dict[str, Any],
            metric: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    """One evaluation result of a record: its id and metric id (both from the board column),
    name, source data, metric description and settings, and score details."""
    return {"evaluation_result_id": f"{COLLECTION}.{column}", "evaluation_name": name,
            "source_data": source,
            "metric_config": {"evaluation_description": description,
                              "metric_id": f"{COLLECTION}.{column}", **metric},
            "score_details": details}


class EeeExporter:
    """Every Eval Ever aggregate records (one per model) under ``<out>/eee/data/``."""

    name = "eee"

    def __init__(self, organization: str = "pinocchio-eval",
                 relationship: str = "third_party") -> None:
        self.organization = organization
        self.relationship = relationship

    # ------------------------------------------------------------------ records
    def records(self, board: Leaderboard) -> list[tuple[str, dict[str, Any]]]:
        """(repository path, record) for every model with at least one finite value."""
        prov = board.provenance or {}
        retrieved = _epoch(prov.get("created"))
        battery = {k: prov[k] for k in ("task_version", "battery_fingerprint") if k in prov}
        documentation = "source" in prov  # re-published numbers (the paper's), not a run
        out = []
        for row in board.ordered().to_dict("records"):
            results = self._results(board, row, battery)
            if not results:
                continue
            developer, name = model_identity(row)
            harness = str(row.get("harness") or "unknown")
            record = {
                "schema_version": self._schema_version(),
                "evaluation_id": f"{COLLECTION}/{developer}/{name}/{retrieved}",
                "retrieved_timestamp": retrieved,
                "source_metadata": {
                    "source_name": board.title,
                    "source_type": "documentation" if documentation else "evaluation_run",
                    "source_organization_name": self.organization,
                    "evaluator_relationship": self.relationship,
                    "additional_details": _strings({
                        "generator": prov.get("generator"), "command": prov.get("command"),
                        "source": prov.get("source"), **battery}),
                },
                "model_info": {
                    "name": str(row["model"]),
                    "id": f"{developer}/{name}",
                    "developer": developer,
                    "additional_details": {"deployment_type": "unknown",
                                           "model_availability": "unknown",
                                           "harness_model_id": str(row["model"])},
                },
                "eval_library": {
                    "name": _HARNESS_LIBRARY.get(harness, harness),
                    "version": "unknown",
                    "additional_details": {"scored_by": str(prov.get("generator") or
                                                            "pinocchio-eval")},
                },
                "evaluation_results": results,
            }
            if row.get("run_date"):
                record["evaluation_timestamp"] = str(row["run_date"])
            uid = _record_uuid(board.title, str(row["model"]), harness, retrieved)
            out.append((f"data/{COLLECTION}/{developer}/{name}/{uid}.json", record))
        return out

    def _schema_version(self) -> str:
        v = _validator()
        return v.get_schema_version() if v is not None else SCHEMA_VERSION

    def _results(self, board: Leaderboard, row: dict[str, Any],
                 battery: dict[str, Any]) -> list[dict[str, Any]]:
        """One result per Π method the row has a score for, then its parse and refusal rates."""
        source = {"dataset_name": "Pinocchio Dimension battery", "source_type": "other",
                  "additional_details": _strings({
                      "conditions": row.get("conditions"), **battery})}
        out = []
        for m in board.methods:
            details = _score_details(row, m, board.provenance or {})
            if details is None:
                continue
            description = (m.note or m.label) + (" Π has no better direction; the schema "
                                                 "needs one, so lower_is_better is false.")
            out.append(_result(m.column, f"Pinocchio score ({m.label})", description, source, {
                "metric_name": m.label, "metric_kind": "score", "lower_is_better": False,
                "score_type": "continuous", "min_score": "-Infinity", "max_score": "Infinity"},
                details))
        return out + _rate_results(row, source)

    # ------------------------------------------------------------------ validate & write
    def validate(self, records: list[tuple[str, dict[str, Any]]], root: Path) -> list[str]:
        """Run the package's validator on written records; return its warnings, raise on errors.

        Returns ``None``-equivalent (an empty list) when the package is missing, after
        warning that nothing was validated.
        """
        v = _validator()
        if v is None:
            warnings.warn("Every Eval Ever records written without validation: install "
                          "'pinocchio-eval[eee]' (Python 3.12+) to check them with the "
                          "package's own validator", NotValidatedWarning, stacklevel=3)
            return []
        available = frozenset(path for path, _ in records)
        found: list[str] = []
        errors: list[str] = []
        for path, _ in records:
            report = v.validate_aggregate(
                root / path, repo_path=path, available_files=available,
                read_repo_file=lambda p: (root / p).read_text(encoding="utf-8"),
                run_semantic_checks=True)
            errors += [f"{path}: {v.format_error(e)}" for e in report.errors]
            found += [f"{path}: {v.format_warning(w)}" for w in report.warnings]
        if errors:
            raise EeeValidationError("Every Eval Ever validation failed; nothing was written:\n"
                                     + "\n".join(errors))
        return found

    def write(self, board: Leaderboard, out_dir: Path) -> Path:
        records = self.records(board)
        if not records:
            raise ValueError("Every Eval Ever export: no model on the board has a finite Π "
                             "or rate to export")
        target = Path(out_dir) / FOLDER
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".eee-") as tmp:
            root = Path(tmp) / FOLDER
            for path, record in records:
                file = root / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
            for message in self.validate(records, root):
                warnings.warn(f"Every Eval Ever validator: {message}", stacklevel=2)
            if target.exists():
                shutil.rmtree(target)
            root.rename(target)
        return target
