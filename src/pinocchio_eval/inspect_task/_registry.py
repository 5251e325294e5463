"""Inspect entry point: registers the task, its scorer, the bare ``pinocchio`` alias, the
start-of-run check and the in-process ``llama-cpp-local`` model provider.

Everything here that leans on Inspect internals is in this one module, checked against the
Inspect range pinned in ``pyproject.toml`` by ``tests/inspect_task/test_inspect_registry.py``:

- ``inspect eval pinocchio``: Inspect namespaces a package's tasks (``pinocchio_eval/pinocchio``)
  and looks a bare name up only among its own. But ``eval()`` and ``eval_set()`` import every
  ``inspect_ai`` entry point (``platform_init`` → ``init_hooks`` → ``ensure_entry_points()``)
  before ``load_task_spec`` asks ``registry_lookup("task", spec)``, so an alias added here under
  the bare name resolves from any folder. The alias forwards to the real task (same dataset,
  version, fingerprint); the log's task name is the name that was typed.
  ``registry_add``/``registry_has``/``RegistryInfo`` are private API.
- The start-of-run check is an ordinary (public) Inspect hook; it reads the sample ids of the
  slice about to run, which already reflect ``--limit``, ``--sample-id`` and ``-T`` options.
"""

from __future__ import annotations

import functools
import logging

from inspect_ai._util.registry import RegistryInfo, registry_add, registry_has, registry_info
from inspect_ai.hooks import Hooks, TaskStart, hooks

from ..battery import get_battery
from ..scoring.selfanchored import load_item_weights
from .local_provider import LocalLlamaAPI  # noqa: F401
from .scorer import (  # noqa: F401
    mean_by_condition,
    parse_rate,
    pi_self,
    pinocchio_scorer,
    refusal_rate,
    scale_mass,
)
from .task import TASK_NAME, pinocchio

logger = logging.getLogger(__name__)
CANONICAL = f"pinocchio_eval/{TASK_NAME}"
#: Conditions Π_self compares.
PI_SELF_CONDITIONS = ("neutral", "human_simulation")


def register_aliases() -> list[str]:
    """Register whichever of ``pinocchio`` / ``pinocchio_eval/pinocchio`` is not yet taken.

    An installed package registers the task under the namespaced name; the bare alias is
    added. Run from a source tree on ``PYTHONPATH`` (not installed), Inspect registers the
    bare name itself; the namespaced alias is added so the documented name works there too.
    Returns the names added.
    """
    added = []
    for name in (TASK_NAME, CANONICAL):
        if registry_has("task", name):
            continue

        @functools.wraps(pinocchio)
        def alias(*args, **kwargs):  # type: ignore[no-untyped-def]
            return pinocchio(*args, **kwargs)

        # same attribs/params as the real task, so task arguments are checked alike
        registry_add(alias, RegistryInfo(type="task", name=name,
                                         metadata=dict(registry_info(pinocchio).metadata)))
        added.append(name)
    return added


register_aliases()


def _weighted_items() -> set[tuple[str, int]]:
    """(questionnaire id, item index) of every item with a frozen Π_self weight."""
    battery = get_battery()
    w = load_item_weights()
    return {(battery.get(q).id, int(i)) for q, i in zip(w["questionnaire"], w["item_index"],
                                                        strict=True) if q in battery}


def missing_for_pi_self(sample_ids: list[object],
                        weighted: set[tuple[str, int]] | None = None) -> str | None:
    """Why a run over these sample ids (``<questionnaire id>/<item>/<condition>``) cannot give
    Π_self, or None when it can. ``weighted`` defaults to the shipped weight table."""
    by_item: dict[str, set[str]] = {}
    for sid in sample_ids:
        item, _, cond = str(sid).rpartition("/")
        by_item.setdefault(item, set()).add(cond)
    present = set().union(*by_item.values()) if by_item else set()
    lacking = [c for c in PI_SELF_CONDITIONS if c not in present]
    if lacking:
        return (f"its {len(sample_ids)} samples have no {' and no '.join(lacking)} answers")
    paired = [item for item, conds in by_item.items() if set(PI_SELF_CONDITIONS) <= conds]
    if not paired:
        return "no item is asked in both neutral and human_simulation"
    weighted = _weighted_items() if weighted is None else weighted
    keys = set()
    for item in paired:
        questionnaire, _, index = item.rpartition("/")
        if index.isdigit():
            keys.add((questionnaire, int(index)))
    if not keys & weighted:
        return ("none of its items asked in both conditions has a Π_self weight in "
                "scorers/pc1_item_weights.csv (plugin questionnaires have none)")
    return None


@hooks(name="pinocchio_selection_check",
       description="Warns at the start of a pinocchio run whose selection cannot give Π_self.")
class SelectionCheck(Hooks):
    """Says at start, not as a NaN at the end, that a run's selection cannot give Π_self."""

    async def on_task_start(self, data: TaskStart) -> None:
        spec = data.spec
        if not (spec.metadata or {}).get("pinocchio_eval"):
            return
        why = missing_for_pi_self(list(spec.dataset.sample_ids or []))
        if why:
            logger.warning(
                "pinocchio: pi_self will be NaN for this run: %s. Π_self compares each item's "
                "neutral and human_simulation answers; select both, e.g. "
                "-T conditions=neutral,human_simulation with -T questionnaires=..., "
                "--sample-id '*/neutral,*/human_simulation', or --sample-shuffle before "
                "--limit.", why)
