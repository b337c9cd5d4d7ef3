"""Units: loading from the data file, listing, and recognising old ward names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.units.models import Unit
from nlu.normalize import normalize, strip_diacritics

UNITS_FILE = Path(__file__).resolve().parent / "data" / "units.yml"
_FIELDS = ("name", "kind", "address", "phone", "hours", "reception_schedule", "note")
_LISTS = ("old_names", "old_names_in_part")


def read_units_file(path: Path = UNITS_FILE) -> list[dict[str, Any]]:
    """The units as listed in the data file."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def import_units(
    *, session: Session, rows: Sequence[dict[str, Any]], overwrite: bool = False
) -> int:
    """Add the units the database lacks (with `overwrite`: also make the others as in
    `rows`; admins' edits are otherwise kept); the number added or replaced."""
    changed = 0
    for position, raw in enumerate(rows):
        unit = session.get(Unit, raw["code"])
        if unit is not None and not overwrite:
            continue
        unit = unit or Unit(code=raw["code"])
        changed += 1
        for name in _FIELDS:
            setattr(unit, name, raw.get(name))
        for name in _LISTS:
            setattr(unit, name, raw.get(name) or [])
        unit.position = position
        session.add(unit)
    session.flush()
    return changed


def list_units(*, session: Session) -> list[Unit]:
    """All units in their display order."""
    return list(session.scalars(select(Unit).order_by(Unit.position)))


def get_unit(*, session: Session, code: str) -> Unit | None:
    """The unit with this code."""
    return session.get(Unit, code)


def _key(text: str) -> str:
    """Comparison key: normalised, without diacritics, without the unit-kind word."""
    words = strip_diacritics(normalize(text)).split()
    return " ".join(w for w in words if w not in ("phuong", "xa", "p", "x"))


def match_unit(*, session: Session, text: str) -> Unit | None:
    """The unit a citizen means by a current or old name ("Cẩm Trung" → Phường Cẩm Phả)."""
    key = _key(text)
    if not key:
        return None
    units = list_units(session=session)
    for unit in units:
        if key in (_key(unit.name), unit.code.lower()):
            return unit
    for unit in units:
        if any(key == _key(old) for old in unit.old_names):
            return unit
    return None


class NamedUnit(Protocol):
    """A unit's names: a `Unit` row, or its copy in the knowledge snapshot."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def old_names(self) -> Sequence[str]: ...
    @property
    def old_names_in_part(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class OldNameMention:
    """A free text naming a former ward or commune, and the unit it now belongs to."""

    old_name: str
    unit: NamedUnit
    in_part: bool


def old_names_mentioned(*, session: Session, text: str) -> list[OldNameMention]:
    """Former units a free text names ("phường Cẩm Trung cũ ở đâu" → Cẩm Trung, now
    Phường Cẩm Phả), once each; a name that is also a current unit's is not "old"."""
    return old_names_in(list_units(session=session), text)


def old_names_in(units: Sequence[NamedUnit], text: str) -> list[OldNameMention]:
    """`old_names_mentioned` among `units` (in their display order)."""
    words = f" {_key(text)} "
    if not words.strip():
        return []
    current = {_key(unit.name) for unit in units}
    found = []
    for unit in units:
        for old in unit.old_names:
            key = _key(old)
            if key not in current and f" {key} " in words:
                found.append(OldNameMention(old, unit, old in unit.old_names_in_part))
    return found
