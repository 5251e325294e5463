"""Typed schema of one questionnaire (instrument) file and of the errata file.

Instrument files are YAML, one per instrument, in ``tasks/battery/``. They hold the items
*exactly as the paper's authors ran them* (source texts); corrections live in
``tasks/errata.yaml`` and are applied when the battery is loaded in ``corrected`` mode, so the
source-exact battery stays reachable for replications.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1
Status = Literal["analysed", "superseded"]
TextMode = Literal["corrected", "source"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """A numeric response scale: every integer from min to max carries a label."""

    labels: dict[int, str] = Field(min_length=2)
    example: int | None = Field(default=None, description="the source's 'Example response'")

    @field_validator("labels")
    @classmethod
    def _contiguous(cls, labels: dict[int, str]) -> dict[int, str]:
        keys = sorted(labels)
        if keys != list(range(keys[0], keys[-1] + 1)):
            raise ValueError(f"scale values must be consecutive integers, got {keys}")
        for key, label in labels.items():
            if not str(label).strip():
                raise ValueError(f"scale value {key} has an empty label")
        return dict(sorted(labels.items()))

    @model_validator(mode="after")
    def _example_on_scale(self) -> Scale:
        if self.example is not None and self.example not in self.labels:
            raise ValueError(f"example {self.example} is not a value of the scale")
        return self

    @property
    def min(self) -> int:
        return next(iter(self.labels))

    @property
    def max(self) -> int:
        return next(reversed(self.labels))

    @property
    def values(self) -> list[int]:
        return list(self.labels)

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max

    def normalise(self, value: float) -> float:
        """Map a rating onto [0, 1] (min → 0, max → 1)."""
        return (value - self.min) / (self.max - self.min)


class Item(_Strict):
    index: int = Field(ge=0, description="0-based position in the source; the join key")
    text: str = Field(min_length=1, description="item text exactly as the authors ran it")
    scale: str = Field(default="default", description="key into the instrument's scales")


class SourcePrompts(_Strict):
    """The source's free-text prompt pieces, verbatim, for source-exact rendering."""

    scale_prompt: str
    pre_prompt: str | None = None


class Instrument(_Strict):
    schema_version: int = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="short slug, stable")
    name: str = Field(min_length=1, description="exact source name (join key with paper data)")
    title: str = Field(min_length=1, description="full human-readable name")
    status: Status = "analysed"
    superseded_by: str | None = None
    family: str | None = Field(default=None, description="shared by parts of one instrument")
    citation: str = Field(min_length=1)
    terms_of_use: str = Field(min_length=1)
    scales: dict[str, Scale]
    source: SourcePrompts
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Instrument:
        if self.schema_version != SCHEMA_VERSION:
            raise ValueError(f"schema_version {self.schema_version} is not supported "
                             f"(this pinocchio-eval reads version {SCHEMA_VERSION})")
        if "default" not in self.scales:
            raise ValueError("scales: a scale named 'default' is required")
        seen: set[int] = set()
        for item in self.items:
            if item.index in seen:
                raise ValueError(f"items: index {item.index} appears more than once")
            seen.add(item.index)
            if item.scale not in self.scales:
                raise ValueError(f"items: item {item.index} uses unknown scale '{item.scale}' "
                                 f"(known: {sorted(self.scales)})")
        if self.status == "superseded" and not self.superseded_by:
            raise ValueError("superseded_by is required when status is 'superseded'")
        return self

    def scale_of(self, item_index: int) -> Scale:
        return self.scales[self.item(item_index).scale]

    def item(self, item_index: int) -> Item:
        for item in self.items:
            if item.index == item_index:
                return item
        raise KeyError(f"{self.name}: no item with index {item_index} "
                       f"(valid: 0..{max(i.index for i in self.items)})")

    @property
    def scale_min(self) -> int:
        return min(s.min for s in self.scales.values())

    @property
    def scale_max(self) -> int:
        return max(s.max for s in self.scales.values())


class Erratum(_Strict):
    """One documented correction of the source battery.

    ``source`` must occur verbatim in the source field; in ``corrected`` mode it is replaced by
    ``corrected`` (items and instructions) or the item is left out (``exclude``). Scale errata
    document where the structured scale departs from the source's free-text scale prompt.
    """

    questionnaire: str = Field(description="exact source name of the instrument")
    item_index: int | None = Field(default=None, description="None for instrument-level fields")
    field: Literal["item", "instructions", "scale"] = "item"
    action: Literal["correct", "exclude"]
    source: str = Field(description="the source text, verbatim")
    corrected: str | None = None
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Erratum:
        if self.action == "correct" and self.corrected is None:
            raise ValueError("action 'correct' needs a 'corrected' text")
        if self.action == "exclude" and self.field != "item":
            raise ValueError("only items can be excluded")
        if self.field == "item" and self.item_index is None:
            raise ValueError("item errata need an item_index")
        return self
