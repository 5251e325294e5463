"""Read and validate instrument and errata files, with errors that say where and what."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .schema import Erratum, Instrument

M = TypeVar("M", bound=BaseModel)


class BatteryError(ValueError):
    """A questionnaire or errata file is malformed; the message names file, field and item."""


def _describe(exc: ValidationError, data: Any) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc) or "<file>"
        # Make item positions readable: items.3.text -> items[3] (item_index 7).text
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            try:
                idx = data["items"][loc[1]].get("index")
            except (KeyError, IndexError, TypeError, AttributeError):
                idx = None
            rest = ".".join(str(p) for p in loc[2:])
            where = f"items[{loc[1]}] (item_index {idx})" + (f".{rest}" if rest else "")
        lines.append(f"  - {where}: {err['msg']}")
    return lines


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BatteryError(f"{path}: cannot read file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise BatteryError(f"{path}: not UTF-8 text ({exc})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BatteryError(f"{path}: not valid YAML: {exc}") from exc


def load_instrument(path: str | Path) -> Instrument:
    """Load one instrument file; raise :class:`BatteryError` naming file, field and item."""
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise BatteryError(f"{path}: expected a mapping of fields (id, name, scales, items, "
                           f"...), got {type(data).__name__}")
    try:
        return Instrument.model_validate(data)
    except ValidationError as exc:
        name = data.get("name") or data.get("id") or "?"
        raise BatteryError(f"{path}: questionnaire '{name}' is invalid:\n"
                           + "\n".join(_describe(exc, data))
                           + "\nFix the fields above (tasks/README.md describes the format)."
                           ) from exc


def load_instruments(folder: str | Path) -> list[Instrument]:
    """Load every ``*.yaml`` instrument file in a folder, sorted by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BatteryError(f"{folder}: not a folder of questionnaire files")
    return [load_instrument(p) for p in sorted(folder.glob("*.yaml"))]


def load_entries(path: str | Path, key: str, model: type[M], what: str) -> list[M]:
    """A YAML file holding a top-level ``key:`` list, each entry validated as ``model``.

    Shared by the errata and the conditions files; an error names the file, the entry
    (position and name) and the field.
    """
    path = Path(path)
    data = _read_yaml(path)
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BatteryError(f"{path}: expected a top-level '{key}:' list")
    out = []
    for n, entry in enumerate(entries):
        try:
            out.append(model.model_validate(entry))
        except ValidationError as exc:
            label = ((entry.get("name") or entry.get("questionnaire"))
                     if isinstance(entry, dict) else None)
            raise BatteryError(f"{path}: {what} {n}" + (f" ('{label}')" if label else "")
                               + " is invalid:\n" + "\n".join(_describe(exc, entry))) from exc
    return out


def load_errata(path: str | Path) -> list[Erratum]:
    return load_entries(path, "errata", Erratum, "errata entry")
