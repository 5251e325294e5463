"""The task version and the battery's content fingerprint, recorded in every harness log.

``TASK_VERSION`` follows the ``N-X`` convention of Inspect Evals: ``N`` goes up when a change
can move results (item texts, errata, scales, condition prompts, what the parser reads), so
two logs with the same ``N`` are comparable; the letter goes up when only the task's options
change (a renamed ``-T`` argument, a new default that does not change what is asked). Both
parts only ever increase. Every bump gets an entry in ``CHANGELOG.md``.

The fingerprint is a hash of what a model is actually shown and how its answer is read: every
instrument (texts, scales, instructions, status), the errata, the condition texts, and the
parser's readings of a fixed set of probe answers. It is computed from the battery that is
installed, plugins included, so a log says exactly what produced it.
:data:`RELEASED_FINGERPRINT` is the fingerprint of the built-in battery at this
``TASK_VERSION``; a test fails when the two drift apart, which is the reminder to bump.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import parsing
from .battery import get_battery
from .battery.schema import Scale
from .conditions import get_conditions

#: ``N-X``: N = comparability (results), X = interface (task options). See the module doc.
TASK_VERSION = "2-B"
#: Fingerprint of the built-in battery, errata, conditions and parser at ``TASK_VERSION``.
RELEASED_FINGERPRINT = "sha256:286e637232ab56de"

#: Answers the parser's readings are fingerprinted on: plain numbers, decorations, words,
#: refusals, hedges, reasoning traces, ranges, out-of-range and empty replies.
PARSER_PROBES = (
    "4", " 3.", "5\n", "**2**", "Rating: 7", "I would say 3.", "3 - Agree", "three",
    "Agree", "Strongly disagree", "3 or 4", "3-4", "between 2 and 3", "2.5", "-1", "0",
    "10", "11", "754", "", "   ", "banana", "As an AI, I cannot rate this.",
    "As an AI I don't have feelings, but I'd say 4.",
    "<think>The scale runs 1 to 5, maybe 2.</think>\n4", "4/5", "Answer: 1\nStatement: 2",
    "I'm not able to answer that.", "N/A", "1. 2. 3.",
)
#: Scales the probes are read on: 1..5 with labels, 0..10 (two digits), 0..1.
_PROBE_SCALES = (
    {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"},
    {v: str(v) for v in range(11)},
    {0: "No", 1: "Yes"},
)


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parser_readings() -> list[list[Any]]:
    """What the answer parser makes of every probe on every probe scale."""
    out = []
    for labels in _PROBE_SCALES:
        scale = Scale(labels=labels)
        for probe in PARSER_PROBES:
            r = parsing.parse_answer(probe, scale)  # via the module: a patched parser counts
            out.append([probe, scale.min, scale.max, r.status, r.value, r.number, r.hedged])
    return out


def fingerprint_parts() -> dict[str, str]:
    """One digest per ingredient, so a changed fingerprint can be traced to its cause."""
    battery = get_battery()
    return {
        "instruments": _digest(sorted((i.model_dump(mode="json") for i in battery),
                                      key=lambda d: d["name"])),
        "errata": _digest([e.model_dump(mode="json") for e in battery.errata]),
        "conditions": _digest({k: c.model_dump(mode="json")
                               for k, c in sorted(get_conditions().items())}),
        "parser": _digest(parser_readings()),
    }


def battery_fingerprint() -> str:
    """``sha256:<16 hex>`` over the installed battery, errata, conditions and parser."""
    return "sha256:" + _digest(fingerprint_parts())[:16]


def version_info() -> dict[str, Any]:
    """What a log or a board records about the task that produced it."""
    fp = battery_fingerprint()
    info: dict[str, Any] = {"task_version": TASK_VERSION, "battery_fingerprint": fp}
    if fp != RELEASED_FINGERPRINT:
        info["battery_note"] = (f"the installed battery differs from the released {TASK_VERSION} "
                                f"content ({RELEASED_FINGERPRINT}): plugins or local edits")
    return info


def comparability_version() -> int:
    """The ``N`` of ``TASK_VERSION``: what Inspect records as ``task_version``."""
    return int(TASK_VERSION.split("-", 1)[0])
