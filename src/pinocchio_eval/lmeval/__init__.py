"""lm-evaluation-harness integration: the battery as the ``pinocchio`` task groups.

lm-eval has no plugin discovery for tasks, so users point it at the YAML folder shipped in
this package: ``lm_eval --include_path "$(pinocchio-eval lm-eval-path)" --tasks pinocchio``,
or from Python ``simple_evaluate(..., task_manager=task_manager())``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._resources import tasks_dir

#: Groups and subtasks defined in ``tasks/lm_eval`` (generative, then log-likelihood).
CONDITION_TASKS = ("neutral", "llm_analog", "human_simulation")
GROUPS = ("pinocchio", "pinocchio_mc")


def lm_eval_path() -> Path:
    """The folder to pass to lm-eval's ``--include_path`` (works from a wheel or a checkout)."""
    return tasks_dir() / "lm_eval"


def task_names(group: str = "pinocchio") -> list[str]:
    """The subtasks of one group, in the order the group lists them."""
    return [f"{group}_{c}" for c in (*CONDITION_TASKS, "pi_self")]


def task_manager(questionnaires: str | list[str] | None = None,
                 metadata: dict[str, Any] | None = None, **kwargs: Any):
    """A ready :class:`lm_eval.tasks.TaskManager` that knows the pinocchio tasks.

    ``questionnaires`` (names or ids) restricts every pinocchio task to those questionnaires;
    other keyword arguments go to ``TaskManager`` (e.g. ``include_defaults=False``).
    """
    from lm_eval.tasks import TaskManager  # lazy: optional (lm_eval)

    meta = dict(metadata or {})
    if questionnaires is not None:
        meta["questionnaires"] = questionnaires
    return TaskManager(include_path=str(lm_eval_path()), metadata=meta or None, **kwargs)


__all__ = ["CONDITION_TASKS", "GROUPS", "lm_eval_path", "task_manager", "task_names"]
