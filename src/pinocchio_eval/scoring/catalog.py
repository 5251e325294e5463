"""What the scorer needs to know about each questionnaire, behind a small injectable interface.

The engine never reads the battery directly: it asks a *catalog* for a questionnaire's
canonical name, status, response bounds and axis group. The default catalog wraps the battery
(:func:`pinocchio_eval.battery.get_battery`); tests and users with their own instruments pass a
:class:`MappingCatalog` built from plain bounds, so scoring works without the battery files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..battery import UnknownQuestionnaireError, get_battery
from ..battery.registry import unknown_questionnaire_message

#: The paper's merged MFQ name; the battery stores it as two parts ``..._1`` and ``..._2``.
MFQ_MERGED = "Moral Foundations Questionnaire (MFQ-30)"
MFQ_PARTS = (f"{MFQ_MERGED}_1", f"{MFQ_MERGED}_2")
_PART_SUFFIX = re.compile(r"^(?P<base>.+)_(?P<n>\d+)$")


class UnknownQuestionnaire(KeyError):
    """A questionnaire the catalog does not know; the message suggests close names."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class QuestionnaireInfo:
    """The facts the scorer uses about one questionnaire."""

    name: str                       # canonical (battery) name, the join key
    low: float                      # smallest scale value over the instrument's scales
    high: float                     # largest scale value
    status: str = "analysed"        # or "superseded"
    group: str | None = None        # axis-method unit (MFQ parts share one); None = own name
    item_bounds: Mapping[int, tuple[float, float]] = field(default_factory=dict)

    def bounds(self, item_index: int) -> tuple[float, float]:
        """Scale bounds of one item (items without their own entry use the instrument's)."""
        return self.item_bounds.get(int(item_index), (self.low, self.high))

    @property
    def axis_group(self) -> str:
        return self.group or self.name


class Catalog(Protocol):
    def info(self, questionnaire: str) -> QuestionnaireInfo:
        """Look a questionnaire up by name; raise :class:`UnknownQuestionnaire` if unknown."""
        ...

    def part_texts(self, family_name: str) -> dict[str, tuple[str, int]]:
        """For a merged name (the paper's MFQ): normalised item text → (part name, index)."""
        ...


def normalise_text(text: object) -> str:
    """Fold an item text for matching: whitespace collapsed, curly quotes straightened, casefold."""
    s = str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    s = s.replace("\u201d", '"')
    return " ".join(s.split()).casefold()


def default_group(name: str) -> str | None:
    """The paper merged the two MFQ parts for the axis method; everything else stands alone."""
    m = _PART_SUFFIX.match(name)
    if m and m.group("base") == MFQ_MERGED:
        return MFQ_MERGED
    return None


class MappingCatalog:
    """A catalog from plain data, for tests and for instruments outside the battery.

    ``bounds`` maps a questionnaire name to ``(low, high)``; ``superseded`` lists names left
    out by default; ``groups`` overrides the axis group; ``parts`` gives, for a merged name,
    the parts' item texts (``{merged: {part: [texts...]}}``).
    """

    def __init__(self, bounds: Mapping[str, tuple[float, float]],
                 superseded: tuple[str, ...] | list[str] = (),
                 groups: Mapping[str, str] | None = None,
                 parts: Mapping[str, Mapping[str, list[str]]] | None = None,
                 item_bounds: Mapping[str, Mapping[int, tuple[float, float]]] | None = None):
        self._bounds = {k: (float(v[0]), float(v[1])) for k, v in bounds.items()}
        spans = [(k, lo, hi) for k, (lo, hi) in self._bounds.items()] + [
            (f"{k} item {i}", float(b[0]), float(b[1]))
            for k, items in (item_bounds or {}).items() for i, b in items.items()]
        for name, lo, hi in spans:
            if not lo < hi:  # a one-value scale measures nothing, and the parser refuses it
                raise ValueError(f"catalog: {name} has the scale {lo:g}..{hi:g}; a scale needs "
                                 "a low end below its high end")
        self._superseded = set(superseded)
        self._groups = dict(groups or {})
        self._parts = {k: dict(v) for k, v in (parts or {}).items()}
        self._item_bounds = {k: dict(v) for k, v in (item_bounds or {}).items()}

    def info(self, questionnaire: str) -> QuestionnaireInfo:
        if questionnaire not in self._bounds:
            raise UnknownQuestionnaire(
                unknown_questionnaire_message(questionnaire, list(self._bounds)))
        low, high = self._bounds[questionnaire]
        return QuestionnaireInfo(
            name=questionnaire, low=low, high=high,
            status="superseded" if questionnaire in self._superseded else "analysed",
            group=self._groups.get(questionnaire, default_group(questionnaire)),
            item_bounds=self._item_bounds.get(questionnaire, {}))

    def part_texts(self, family_name: str) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        for part, texts in self._parts.get(family_name, {}).items():
            for i, t in enumerate(texts):
                out.setdefault(normalise_text(t), (part, i))
        return out


class BatteryCatalog:
    """The default catalog: the installed battery (all plugins, errata known)."""

    def __init__(self, battery: object | None = None):
        if battery is None:
            battery = get_battery()
        self._battery = battery
        self._cache: dict[str, QuestionnaireInfo] = {}
        self._texts: dict[tuple[str, str], dict[int, str]] = {}

    def info(self, questionnaire: str) -> QuestionnaireInfo:
        if questionnaire in self._cache:
            return self._cache[questionnaire]
        try:
            inst = self._battery.get(questionnaire)  # type: ignore[attr-defined]
        except UnknownQuestionnaireError as exc:
            raise UnknownQuestionnaire(str(exc)) from exc
        per_item = {it.index: (float(inst.scales[it.scale].min), float(inst.scales[it.scale].max))
                    for it in inst.items}
        group = default_group(inst.name)
        if group is None and inst.family:
            siblings = [i for i in self._battery if i.family == inst.family]  # type: ignore
            if len(siblings) > 1:
                m = _PART_SUFFIX.match(inst.name)
                group = m.group("base") if m else inst.family
        info = QuestionnaireInfo(name=inst.name, low=float(inst.scale_min),
                                 high=float(inst.scale_max), status=inst.status, group=group,
                                 item_bounds=per_item)
        self._cache[questionnaire] = info
        return info

    def scale(self, questionnaire: str, item_index: int) -> object | None:
        """The item's response scale with its labels (text answers are parsed against it)."""
        try:
            return self._battery.scale_of(questionnaire, item_index)  # type: ignore[attr-defined]
        except (KeyError, IndexError, ValueError):
            return None

    def item_text(self, questionnaire: str, item_index: int,
                  mode: str = "corrected") -> str | None:
        """The item's text as administered in ``mode`` (None if the battery lacks the item)."""
        key = (questionnaire, mode)
        if key not in self._texts:
            try:
                items = self._battery.items(questionnaire, mode=mode)  # type: ignore[attr-defined]
            except (KeyError, ValueError):
                items = []
            self._texts[key] = {it.item_index: it.text for it in items}
        return self._texts[key].get(int(item_index))

    def part_texts(self, family_name: str) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        for inst in self._battery:  # type: ignore[attr-defined]
            m = _PART_SUFFIX.match(inst.name)
            if m and m.group("base") == family_name:
                for it in inst.items:
                    out.setdefault(normalise_text(it.text), (inst.name, it.index))
        return out


def default_catalog() -> Catalog:
    """The battery catalog; raises a clear error when the battery cannot be loaded."""
    return BatteryCatalog()
