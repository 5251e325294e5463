"""lm-eval documents built from the installed battery at task-load time.

lm-eval normally downloads a Hugging Face dataset. Its ``custom_dataset`` task field accepts a
callable instead (lm-eval calls it with the run's ``--metadata`` and the task's
``dataset_kwargs``), so the YAML tasks point at :func:`load_docs` and every document comes
from the same battery data, errata and condition texts the Inspect task uses. Nothing is
copied into YAML and nothing is downloaded.

Selecting questionnaires: ``--metadata '{"questionnaires": "bai,stai-t"}'`` (names or ids,
comma-separated or a JSON list) restricts every pinocchio task of the run to those;
``"all"`` adds the superseded instruments to the analysed set, exactly as in the Inspect task.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from ..battery import BatteryItem
from ..battery.schema import Scale
from ..battery.selection import select_items
from ..conditions import render_prompt
from ..task_version import battery_fingerprint

logger = logging.getLogger(__name__)

#: Appended to every choice of a scale whose values are not prefix-free (see :func:`choices`).
TERMINATOR = "\n"
#: ``--metadata`` keys this module reads; everything else lm-eval passes in is ignored.
METADATA_KEYS = ("questionnaires", "text_mode", "battery_fingerprint")


def choices(scale: Scale) -> list[str]:
    """Continuation strings for the scale values, in value order (without the leading space).

    The task's ``target_delimiter`` puts one space between the answer cue and the value, as a
    person would type it; the space is shared by every choice so its probability cancels when
    the choices are normalised. On scales with two-digit values the strings would overlap:
    "1" is a prefix of "10", so P(" 1") already contains P(" 10") and the options are not
    disjoint events. Then every choice gets a newline after the value ("1\\n", "10\\n"), which
    makes them disjoint whatever the tokeniser does (Gemma and Llama split digits, GPT-2
    style BPE does not). One-digit scales keep the bare digit: there is no overlap to fix,
    and a terminator would only add noise.
    """
    texts = [str(v) for v in scale.values]
    overlap = any(a != b and b.startswith(a) for a in texts for b in texts)
    return [t + TERMINATOR for t in texts] if overlap else texts


def scale_from_json(text: str) -> Scale:
    """Rebuild the item's scale from the document (``scale_labels`` field)."""
    return Scale(labels={int(k): v for k, v in json.loads(text).items()})


def make_doc(item: BatteryItem, condition: str, text_mode: str = "corrected"
             ) -> dict[str, Any]:
    """One document: the prompt plus everything scoring and the reader need, self-contained.

    The scale travels inside the document so ``process_results`` and the log reader never
    have to reload the battery (a log stays readable after the battery changes). The text
    mode travels too: Π_self applies a weight only to the text it was estimated on.
    """
    return {
        "condition": condition,
        "text_mode": text_mode,
        "questionnaire": item.questionnaire,
        "questionnaire_id": item.questionnaire_id,
        "item_index": item.item_index,
        "item": item.text,
        "prompt": render_prompt(item, condition),
        "scale_min": item.scale.min,
        "scale_max": item.scale.max,
        "scale_values": item.scale.values,
        "scale_labels": json.dumps({str(k): v for k, v in item.scale.labels.items()}),
        "choices": choices(item.scale),
        "target": "",  # no right answer; lm-eval insists on a target field
    }


def build_docs(conditions: Iterable[str], questionnaires: str | Sequence[str] | None = None,
               text_mode: str = "corrected") -> list[dict[str, Any]]:
    """Documents for the active items of the selected questionnaires.

    ``questionnaires`` follows the one selection rule of both harnesses
    (:mod:`pinocchio_eval.battery.selection`: default the analysed set, ``all`` adds the
    superseded instruments).

    One condition: items in questionnaire order, so consecutive prompts share the framing,
    instructions and scale (local servers reuse their prompt cache for that prefix).
    Several conditions (the Π_self task): the conditions of one item follow each other, so
    that ``--limit N`` still yields items answered in both conditions. That costs prefix
    reuse between items (the framing, which differs, comes first), which is the price of a
    Π_self that a quick ``--limit`` run can compute.
    """
    items = select_items(questionnaires, text_mode)  # type: ignore[arg-type]
    conditions = list(conditions)
    return [make_doc(item, condition, text_mode) for item in items
            for condition in conditions]


def check_fingerprint(expected: str | None) -> str | None:
    """Warn (and return the message) when the installed battery is not the one the task
    YAML was released with: the run's results then belong to a different battery."""
    actual = battery_fingerprint()
    if not expected or expected == actual:
        return None
    message = (f"pinocchio: the installed battery's fingerprint {actual} differs from the task "
               f"files' {expected} (plugins, local edits, or task files from another release); "
               "results are not comparable with runs of the released battery")
    logger.warning(message)
    return message


def load_docs(pinocchio_conditions: str | Sequence[str] = ("neutral",),
              **metadata: Any) -> dict[str, Any]:
    """``custom_dataset`` entry point: ``{"test": datasets.Dataset}`` for lm-eval.

    ``pinocchio_conditions`` comes from the task's ``dataset_kwargs`` (a condition name or a
    list); ``metadata`` is lm-eval's run metadata (model args, ``--metadata``, version),
    of which only :data:`METADATA_KEYS` are read.
    """
    import datasets  # lazy: optional (datasets, with lm_eval)

    conds = ([pinocchio_conditions] if isinstance(pinocchio_conditions, str)
             else list(pinocchio_conditions))
    check_fingerprint(metadata.get("battery_fingerprint"))
    docs = build_docs(conds, metadata.get("questionnaires"),
                      metadata.get("text_mode") or "corrected")
    if not docs:
        raise ValueError(f"pinocchio: no active items for conditions {conds} and "
                         f"questionnaires {metadata.get('questionnaires')!r}")
    return {"test": datasets.Dataset.from_list(docs, split=datasets.Split.TEST)}
