"""The battery: every instrument contributed through the plugin hooks, with errata applied."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .loader import BatteryError
from .schema import Erratum, Instrument, Scale, TextMode


class UnknownQuestionnaireError(KeyError):
    """Raised for a name or id that is not in the battery; the message suggests close ones."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class BatteryItem:
    """One item as it is administered in a given text mode."""

    questionnaire: str  # exact source name (join key)
    questionnaire_id: str
    item_index: int
    text: str
    active: bool  # False when an erratum excludes it (corrected mode only)
    scale: Scale
    scale_text: str
    instructions: str | None


def unknown_questionnaire_message(name: str, known: list[str]) -> str:
    """'unknown questionnaire X' with the closest known names (typos and partial names)."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.4)
    close += [k for k in known if name.casefold() in k.casefold() and k not in close][:3]
    hint = f" Did you mean: {', '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown questionnaire '{name}'.{hint}"


def render_scale(scale: Scale) -> str:
    lines = [f"{value} = {label}" for value, label in scale.labels.items()]
    if scale.example is not None:
        lines += ["", f"Example response: {scale.example}"]
    return "\n".join(lines)


class Battery:
    """Instruments plus errata; look-ups by exact source name or id."""

    def __init__(self, instruments: Iterable[Instrument], errata: Iterable[Erratum] = ()):
        self._by_name: dict[str, Instrument] = {}
        self._by_id: dict[str, Instrument] = {}
        for inst in instruments:
            for key, table in ((inst.name, self._by_name), (inst.id, self._by_id)):
                if key in table:
                    raise BatteryError(f"questionnaire '{key}' is contributed twice; names and "
                                       "ids must be unique across the battery and all plugins")
                table[key] = inst
        self.errata: list[Erratum] = list(errata)
        for err in self.errata:
            self._check_erratum(err)

    # ------------------------------------------------------------------ look-ups
    def __iter__(self) -> Iterator[Instrument]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, key: object) -> bool:
        return key in self._by_name or key in self._by_id

    def instruments(self, include_superseded: bool = False) -> list[Instrument]:
        return [i for i in self if include_superseded or i.status != "superseded"]

    def get(self, name_or_id: str) -> Instrument:
        """Find by exact source name or id (case-insensitive as a fallback)."""
        if name_or_id in self._by_name:
            return self._by_name[name_or_id]
        if name_or_id in self._by_id:
            return self._by_id[name_or_id]
        folded = name_or_id.strip().casefold()
        for inst in self:
            if folded in (inst.name.casefold(), inst.id.casefold()):
                return inst
        raise UnknownQuestionnaireError(self._unknown_message(name_or_id))

    def _unknown_message(self, name: str) -> str:
        known = list(self._by_name) + list(self._by_id)
        return (unknown_questionnaire_message(name, known)
                + " Run 'pinocchio-eval battery list --all' to see every name and id.")

    # ------------------------------------------------------------------ errata
    def _check_erratum(self, err: Erratum) -> None:
        if err.questionnaire not in self._by_name:
            raise BatteryError(f"errata: unknown questionnaire '{err.questionnaire}'")
        inst = self._by_name[err.questionnaire]
        if err.field == "item":
            try:
                target = inst.item(err.item_index)  # type: ignore[arg-type]
            except KeyError as exc:
                raise BatteryError(f"errata: {exc.args[0]}") from exc
            haystack = target.text
        elif err.field == "instructions":
            haystack = inst.source.pre_prompt or ""
        else:
            haystack = inst.source.scale_prompt
        if err.source not in haystack:
            raise BatteryError(
                f"errata: {err.questionnaire} {err.field} {err.item_index}: the recorded source "
                f"text {err.source!r} does not occur in the instrument file; update the erratum")

    def errata_for(self, name: str) -> list[Erratum]:
        return [e for e in self.errata if e.questionnaire == name]

    def instructions(self, inst: Instrument, mode: TextMode = "corrected") -> str | None:
        text = inst.source.pre_prompt
        if text is None or mode == "source":
            return text
        for err in self.errata_for(inst.name):
            if err.field == "instructions" and err.corrected is not None:
                text = text.replace(err.source, err.corrected)
        return text

    def items(self, name_or_id: str, mode: TextMode = "corrected") -> list[BatteryItem]:
        """The instrument's items as administered in ``mode`` (excluded ones flagged inactive)."""
        inst = self.get(name_or_id)
        fixes: dict[int, list[Erratum]] = {}
        for err in self.errata_for(inst.name):
            if err.field == "item":
                fixes.setdefault(err.item_index, []).append(err)  # type: ignore[arg-type]
        instructions = self.instructions(inst, mode)
        out = []
        for item in inst.items:
            text, active = item.text, True
            for err in fixes.get(item.index, []) if mode == "corrected" else []:
                if err.action == "exclude":
                    active = False
                else:
                    text = text.replace(err.source, err.corrected or "")
            scale = inst.scales[item.scale]
            scale_text = (inst.source.scale_prompt if mode == "source" else render_scale(scale))
            out.append(BatteryItem(inst.name, inst.id, item.index, text, active, scale,
                                   scale_text, instructions))
        return out

    def scale_of(self, questionnaire: str, item_index: int) -> Scale:
        """The response scale of one item (what the scorer uses to drop out-of-range answers)."""
        return self.get(questionnaire).scale_of(item_index)

    def n_active_items(self, name_or_id: str) -> int:
        inst = self.get(name_or_id)
        excluded = {e.item_index for e in self.errata_for(inst.name)
                    if e.field == "item" and e.action == "exclude"}
        return sum(1 for i in inst.items if i.index not in excluded)
