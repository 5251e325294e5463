"""lm-eval outputs (``--output_path DIR --log_samples``) → the canonical response table.

lm-eval writes, per model, ``DIR/<model>/results_<date>.json`` plus one
``samples_<task>_<date>.jsonl`` per task. Several models or runs can share ``DIR``. Each
sample carries the whole document, so condition, questionnaire, item and scale come from the
log itself; the answer is re-derived from the logged model output with the same code the task
used (parser for generations, softmax over the scale for log-likelihoods).

Log-likelihood rows: ``response`` is the most probable scale value (the discrete answer,
comparable to a greedy generation), and ``expected_rating``, ``argmax_rating`` and
``probabilities`` keep the distribution. A Π_self subtask re-asks items its run may already
hold from the per-condition subtasks; those duplicates are dropped (the per-condition rows win).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..responses import COLUMNS, ResponseTableError, validate_response_table
from .utils import parse_generation, summarise_choices

DOC_FIELDS = ("condition", "questionnaire", "item_index", "scale_values", "scale_labels")
VARIANTS = ("generative", "loglikelihood")


class LmEvalLogError(ResponseTableError):
    """An lm-eval output folder or file cannot be read; the message says which and why."""


def find_results(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Every ``results_*.json`` under the given files or folders (sorted, de-duplicated)."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    found: set[Path] = set()
    for p in map(Path, items):
        if p.is_file():
            found.add(p.resolve())
        elif p.is_dir():
            found.update(q.resolve() for q in p.rglob("results_*.json"))
        else:
            raise LmEvalLogError(f"{p}: no such file or folder")
    return sorted(found)


def _date_id(results_file: Path) -> str:
    return results_file.stem[len("results_"):]


def sample_files(results_file: Path) -> dict[str, Path]:
    """Task name → samples file written by the same run (same folder, same date stamp)."""
    date_id = _date_id(results_file)
    out = {}
    for f in sorted(results_file.parent.glob(f"samples_*_{date_id}.jsonl")):
        out[f.name[len("samples_"):-len(f"_{date_id}.jsonl")]] = f
    return out


def _model_name(results: Mapping[str, Any], results_file: Path,
                model: str | Mapping[str, str] | None) -> str:
    name = results.get("model_name") or results_file.parent.name
    if isinstance(model, str):
        return model
    if isinstance(model, Mapping):
        return model.get(name, name)
    return str(name)


def _started(results: Mapping[str, Any]) -> str | None:
    stamp = results.get("date")
    if isinstance(stamp, (int, float)):
        return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat()
    return None


def _loglikelihoods(filtered: list[Any]) -> list[float]:
    """Logged multiple-choice responses are ``[ll, is_greedy]`` pairs, often as strings."""
    return [float(r[0] if isinstance(r, (list, tuple)) else r) for r in filtered]


def sample_row(sample: Mapping[str, Any], output_type: str) -> dict[str, Any]:
    """One canonical row (without model/run columns) from one logged sample."""
    doc = sample["doc"]
    row: dict[str, Any] = {
        "condition": doc["condition"], "questionnaire": doc["questionnaire"],
        "item_index": int(doc["item_index"]), "item": doc.get("item"), "epoch": 1,
    }
    filtered = sample.get("filtered_resps") or []
    if output_type == "multiple_choice":
        s = summarise_choices(_loglikelihoods(filtered), doc["scale_values"])
        # The expected rating is the scored answer: the same number lm-eval's own pi_self
        # metric uses, and less coarse than the argmax (kept in its own column).
        row.update(response=s.expected, response_raw=str(s.argmax), status="ok",
                   expected_rating=s.expected, argmax_rating=float(s.argmax),
                   probabilities=json.dumps({str(k): v for k, v in s.probabilities.items()}),
                   choice_mass=s.mass)
    else:
        text = filtered[0] if filtered else None
        if isinstance(text, list):  # repeats: lm-eval's take_first already applied upstream
            text = text[0] if text else None
        value, status = parse_generation(doc, text)
        row.update(response=value, response_raw=None if text is None else str(text),
                   status=status)
    return row


def _read_samples(path: Path) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise LmEvalLogError(f"{path}:{n}: not a JSON line ({exc.msg})") from exc
    return out


def _task_output_type(results: Mapping[str, Any], task: str, first: Mapping[str, Any]) -> str:
    cfg = (results.get("configs") or {}).get(task) or {}
    if cfg.get("output_type"):
        return str(cfg["output_type"])
    filtered = first.get("filtered_resps") or []
    return "multiple_choice" if filtered and isinstance(filtered[0], list) else "generate_until"


def read_run(results_file: str | Path, model: str | Mapping[str, str] | None = None
             ) -> pd.DataFrame:
    """The pinocchio rows of one lm-eval run (one ``results_*.json`` and its samples)."""
    results_file = Path(results_file)
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LmEvalLogError(f"{results_file}: cannot read lm-eval results ({exc})") from exc
    name, started = _model_name(results, results_file, model), _started(results)
    rows = []
    for task, path in sample_files(results_file).items():
        samples = _read_samples(path)
        if not samples or not all(f in samples[0].get("doc", {}) for f in DOC_FIELDS):
            continue  # not a pinocchio task
        output_type = _task_output_type(results, task, samples[0])
        for sample in samples:
            row = sample_row(sample, output_type)
            row.update(model=name, harness="lm-eval", task=task, log_file=str(path),
                       run_started=started,
                       variant="loglikelihood" if output_type == "multiple_choice"
                       else "generative")
            rows.append(row)
    return pd.DataFrame(rows)


def _drop_repeated_items(df: pd.DataFrame) -> pd.DataFrame:
    """Within one run and variant keep each (condition, item) once, per-condition tasks first."""
    order = df["task"].str.endswith("_pi_self").astype(int)
    keys = ["model", "log_dir", "run_started", "variant", "condition", "questionnaire",
            "item_index"]
    df = df.assign(log_dir=df["log_file"].map(lambda f: str(Path(f).parent)), _o=order)
    df = df.sort_values("_o", kind="stable").drop_duplicates(keys, keep="first")
    return df.drop(columns=["_o", "log_dir"]).sort_index()


def read_lm_eval(paths: str | Path | Iterable[str | Path],
                 model: str | Mapping[str, str] | None = None,
                 variant: str | None = None) -> pd.DataFrame:
    """Canonical response table from lm-eval output folders or results files.

    ``model`` renames models (one name for everything, or a mapping from lm-eval's model
    name); ``variant`` keeps only ``"generative"`` or ``"loglikelihood"`` rows. Scoring both
    variants of one model together would treat them as repeated samples, so choose one.
    """
    if variant is not None and variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    files = find_results(paths)
    if not files:
        raise LmEvalLogError(f"no lm-eval results_*.json found in {paths}; run lm_eval with "
                             "--output_path DIR --log_samples")
    frames = [f for f in (read_run(p, model) for p in files) if not f.empty]
    if not frames:
        raise LmEvalLogError(f"{paths}: no pinocchio samples found; was lm_eval run with "
                             "--log_samples and a pinocchio task?")
    df = _drop_repeated_items(pd.concat(frames, ignore_index=True))
    if variant is not None:
        df = df[df["variant"] == variant]
    cols = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns if c not in COLUMNS]
    return validate_response_table(df[cols].reset_index(drop=True), source=str(paths))


def read_lm_eval_metrics(paths: str | Path | Iterable[str | Path],
                         model: str | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Task- and group-level metrics (``pi_self``, ``rating_norm``, ...) in long format."""
    rows = []
    for f in find_results(paths):
        results = json.loads(f.read_text(encoding="utf-8"))
        name = _model_name(results, f, model)
        groups = set(results.get("groups") or {})
        for section in ("results", "groups"):
            for task, metrics in (results.get(section) or {}).items():
                if not task.startswith("pinocchio") or (section == "results" and task in groups):
                    continue  # lm-eval lists groups under "results" too
                for key, value in metrics.items():
                    metric, _, filt = key.partition(",")
                    if not filt or metric.endswith("_stderr"):
                        continue
                    rows.append({"model": name, "task": task,
                                 "level": "task" if section == "results" else "group",
                                 "metric": metric, "value": value,
                                 "stderr": metrics.get(f"{metric}_stderr,{filt}"),
                                 "results_file": str(f)})
    return pd.DataFrame(rows)
