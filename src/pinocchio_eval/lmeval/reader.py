"""lm-eval outputs (``--output_path DIR --log_samples``) → Pinocchio rows and other tasks' scores.

lm-eval writes, per model, ``DIR/<model>/results_<date>.json`` plus one
``samples_<task>_<date>.jsonl`` per task. Several models or runs can share ``DIR``. Each
sample carries the whole document, so condition, questionnaire, item and scale come from the
log itself; the answer is re-derived from the logged model output with the same code the task
used (parser for generations, softmax over the scale for log-likelihoods). The other tasks in
the same results file (HellaSwag, MMLU, ...) give their metrics with stderr, group aggregates
in place of their subtasks. One rule names the model for both (:func:`model_id`); which
results file counts per (model, task) is decided by
:func:`pinocchio_eval.readers.runs.select_runs` (the newest).

Log-likelihood rows: ``response`` is the probability-weighted rating, and ``expected_rating``,
``argmax_rating`` and ``probabilities`` keep the distribution. A Π_self subtask re-asks items
the per-condition subtasks already hold; those duplicates are dropped (the per-condition rows
win).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..readers import Reader, register_reader
from ..readers.runs import BenchmarkScore, RunPart, select_runs
from ..responses import COLUMNS, ResponseTableError, validate_response_table
from .utils import parse_generation, summarise_choices

DOC_FIELDS = ("condition", "questionnaire", "item_index", "scale_values", "scale_labels")
VARIANTS = ("generative", "loglikelihood")


class LmEvalLogError(ResponseTableError):
    """An lm-eval output folder or file cannot be read; the message says which and why."""


def results_files(path: Path) -> list[Path]:
    """lm-eval results files (``results*.json``) at or under ``path``."""
    if path.is_file():
        return [path] if path.suffix == ".json" and path.name.startswith("results") else []
    return sorted(p for p in path.rglob("results*.json") if p.is_file()) if path.is_dir() else []


def find_results(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Every results file under the given files or folders (sorted, de-duplicated)."""
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    found: set[Path] = set()
    for p in map(Path, items):
        if not p.exists():
            raise LmEvalLogError(f"{p}: no such file or folder")
        found.update(q.resolve() for q in (results_files(p) or ([p] if p.is_file() else [])))
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


def model_id(results: Mapping[str, Any], results_file: Path) -> str:
    """The model as lm-eval recorded it: ``model_name``, else the ``pretrained=``/``model=``/
    ``path=`` model argument, else the folder lm-eval named after the model."""
    if results.get("model_name"):
        return str(results["model_name"])
    args = (results.get("config") or {}).get("model_args") or ""
    if isinstance(args, Mapping):
        for k in ("pretrained", "model", "path"):
            if args.get(k):
                return str(args[k])
    for part in str(args).split(","):
        k, _, v = part.partition("=")
        if k.strip() in ("pretrained", "model", "path") and v.strip():
            return v.strip()
    return results_file.parent.name


def _renamed(name: str, model: str | Mapping[str, str] | None) -> str:
    if isinstance(model, str):
        return model
    if isinstance(model, Mapping):
        return model.get(name, name)
    return name


def is_pinocchio_task(name: str) -> bool:
    """True for the battery's own tasks (``pinocchio``, ``pinocchio_*``)."""
    return "pinocchio" in str(name).lower()


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


def _load_results(results_file: Path) -> dict[str, Any]:
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        first = " ".join(str(exc).split())[:200]
        raise LmEvalLogError(f"{results_file}: cannot read lm-eval results ({first}); re-run "
                             "lm_eval or remove the file") from exc
    if not isinstance(results, dict) or not isinstance(results.get("results"), dict):
        raise LmEvalLogError(f"{results_file}: not an lm-eval results file (no 'results' "
                             "table); remove it from the inputs")
    return results


def _metric_name(key: str) -> str:
    """``acc,none`` → ``acc``; ``exact_match,strict-match`` → ``exact_match(strict-match)``."""
    metric, _, filt = key.partition(",")
    return metric if filt in ("", "none") else f"{metric}({filt})"


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(float(value)) else float(value)


def benchmark_scores(results: Mapping[str, Any], source: Path, model: str
                     ) -> dict[str, list[BenchmarkScore]]:
    """task → its metrics (with stderr) for every non-Pinocchio task in a results file.

    A group's aggregate stands for its subtasks (an MMLU run gives one ``mmlu`` column, not
    57); lm-eval lists groups under ``results`` too, so no group is counted twice.
    """
    table = results.get("results") or {}
    skip: set[str] = set()
    for group, subs in (results.get("group_subtasks") or {}).items():
        if group in table or is_pinocchio_task(group):
            skip.update(subs)
    started = _started(results)
    out: dict[str, list[BenchmarkScore]] = {}
    for task, metrics in table.items():
        if is_pinocchio_task(task) or task in skip or not isinstance(metrics, Mapping):
            continue
        for key, value in metrics.items():
            metric, _, filt = key.partition(",")
            v = _finite(value)
            if v is None or key == "alias" or metric.endswith("_stderr"):
                continue
            out.setdefault(task, []).append(BenchmarkScore(
                model=model, harness="lm-eval", task=task, metric=_metric_name(key), value=v,
                source=str(source), run_date=started,
                stderr=_finite(metrics.get(f"{metric}_stderr,{filt}"))))
    return out


def run_parts(results_file: Path) -> list[RunPart]:
    """One part per task of one lm-eval run: Pinocchio subtasks with rows, others with scores."""
    results = _load_results(results_file)
    name, started = model_id(results, results_file), _started(results)
    label = _date_id(results_file) or started or results_file.stem

    def part(task: str) -> RunPart:
        return RunPart(harness="lm-eval", task=task, model=name, source=str(results_file),
                       started=started or label, run=label)

    parts = []
    for task, path in sample_files(results_file).items():
        samples = _read_samples(path)
        if not samples or not all(f in samples[0].get("doc", {}) for f in DOC_FIELDS):
            continue  # not a pinocchio task: its score comes from the results table
        output_type = _task_output_type(results, task, samples[0])
        rows = pd.DataFrame([sample_row(s, output_type) for s in samples]).assign(
            model=name, harness="lm-eval", task=task, log_file=str(path),
            run_started=started, run=label,
            variant="loglikelihood" if output_type == "multiple_choice" else "generative")
        p = part(task)
        p.responses = rows
        parts.append(p)
    for task, scores in benchmark_scores(results, results_file, name).items():
        p = part(task)
        p.benchmarks = scores
        parts.append(p)
    return parts


def read_parts(files: list[Path]) -> list[RunPart]:
    return [p for f in files for p in run_parts(f)]


def _drop_repeated_items(df: pd.DataFrame) -> pd.DataFrame:
    """Keep each (model, variant, condition, item) once: per-condition subtasks before the
    Π_self subtask, then the newest run (runs were already chosen per task)."""
    order = df["task"].str.endswith("_pi_self").astype(int)
    keys = ["model", "variant", "condition", "questionnaire", "item_index"]
    when = df["run_started"].fillna("").astype(str)
    df = df.assign(_o=order, _w=when).sort_values(["_o", "_w"], ascending=[True, False],
                                                  kind="stable")
    return df.drop_duplicates(keys, keep="first").drop(columns=["_o", "_w"]).sort_index()


def split_variants(df: pd.DataFrame) -> pd.DataFrame:
    """Keep a model's generative and log-likelihood runs apart.

    Scored together they would count as repeated samples of one item, so where one model has
    both, its log-likelihood rows become the model ``"<name> (log-likelihood)"``.
    """
    if "variant" not in df.columns:
        return df
    both = df.groupby("model")["variant"].nunique()
    mixed = df["model"].isin(both[both > 1].index) & (df["variant"] == "loglikelihood")
    if mixed.any():
        df = df.copy()
        df.loc[mixed, "model"] = df.loc[mixed, "model"] + " (log-likelihood)"
    return df


def read_lm_eval(paths: str | Path | Iterable[str | Path],
                 model: str | Mapping[str, str] | None = None,
                 variant: str | None = None, all_runs: bool = False) -> pd.DataFrame:
    """Canonical response table from lm-eval output folders or results files.

    ``model`` renames models (one name for everything, or a mapping from lm-eval's model
    name); ``variant`` keeps only ``"generative"`` or ``"loglikelihood"`` rows. Scoring both
    variants of one model together would treat them as repeated samples, so choose one.
    Each (model, task) keeps its newest results file unless ``all_runs``.
    """
    if variant is not None and variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    files = find_results(paths)
    if not files:
        raise LmEvalLogError(f"no lm-eval results_*.json found in {paths}; run lm_eval with "
                             "--output_path DIR --log_samples")
    parts = read_parts(files)
    for p in parts:
        p.model = _renamed(p.model, model)
        if p.responses is not None:
            p.responses = p.responses.assign(model=p.model)
    kept, _ = select_runs(parts, all_runs=all_runs)
    frames = [p.responses for p in kept if p.responses is not None]
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
        results = _load_results(f)
        name = _renamed(model_id(results, f), model)
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


register_reader(Reader("lm-eval", results_files, read_parts,
                       finish=lambda df: split_variants(_drop_repeated_items(df))))
