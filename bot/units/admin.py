"""Units as admins edit them: address, phone, hours, the leaders' reception schedule and
former ward names. The office answers read the units table, so an edit is live at once."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.faq.intent_rules import Problem
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.texts import knowledge as T
from bot.units.models import Unit

NAME_MAX = 100
ADDRESS_MAX = 300
PHONE_MAX = 50
TEXT_MAX = 2000
OLD_NAME_MAX = 100
# One number: +84 or 0 and 9-10 digits in all (landline 0203 3862 123, mobile 0912 345
# 678), or a 1800/1900 hotline; spaces, dots, hyphens and brackets between digits.
_NUMBER_RE = re.compile(r"(?:\+84|0)\d{8,10}|1[89]00\d{4,6}")
_SEPARATORS_RE = re.compile(r"[\s.\-()]")
# A number may be followed by a short note in brackets: "0203 3862 123 (văn phòng)".
_NOTE_RE = re.compile(r"\s*\([^()0-9]*\)\s*$")


class UnitNotFound(LookupError):
    """No unit with this code."""


class UnitInvalid(ValueError):
    """The form has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class UnitForm:
    """A unit as the editor shows and submits it (empty text = not known yet)."""

    code: str
    name: str
    address: str
    phone: str
    hours: str
    reception_schedule: str
    old_names: list[str] = field(default_factory=list)
    old_names_in_part: list[str] = field(default_factory=list)


def load_unit(*, session: Session, code: str) -> UnitForm:
    """The unit as the editor shows it."""
    unit = session.get(Unit, code)
    if unit is None:
        raise UnitNotFound(code)
    return _form_of(unit)


def _form_of(unit: Unit) -> UnitForm:
    return UnitForm(
        code=unit.code,
        name=unit.name,
        address=unit.address or "",
        phone=unit.phone or "",
        hours=unit.hours or "",
        reception_schedule=unit.reception_schedule or "",
        old_names=list(unit.old_names),
        old_names_in_part=list(unit.old_names_in_part),
    )


def valid_phone(value: str) -> bool:
    """Whether `value` is one or more Vietnamese phone numbers, separated by , or ;."""
    parts = [part.strip() for part in re.split(r"[,;]", value)]
    return all(
        part and _NUMBER_RE.fullmatch(_SEPARATORS_RE.sub("", _NOTE_RE.sub("", part)))
        for part in parts
    )


def validate_unit(form: UnitForm) -> list[Problem]:
    """Every reason the form cannot be saved (none: it can)."""
    problems = []
    if not form.name.strip():
        problems.append(Problem("name", T.UNIT_NAME_REQUIRED))
    limits = {
        "name": NAME_MAX,
        "address": ADDRESS_MAX,
        "phone": PHONE_MAX,
        "hours": TEXT_MAX,
        "reception_schedule": TEXT_MAX,
    }
    for name, limit in limits.items():
        if len(_text(getattr(form, name))) > limit:
            problems.append(Problem(name, T.UNIT_FIELD_TOO_LONG.format(limit=limit)))
    phone = _text(form.phone)
    if phone and len(phone) <= PHONE_MAX and not valid_phone(phone):
        problems.append(Problem("phone", T.UNIT_PHONE_INVALID))
    old_names = _names(form.old_names)
    for name in old_names:
        if len(name) > OLD_NAME_MAX:
            message = T.UNIT_OLD_NAME_TOO_LONG.format(name=name, limit=OLD_NAME_MAX)
            problems.append(Problem("old_names", message))
    for name in _names(form.old_names_in_part):
        if name not in old_names:
            problems.append(Problem("old_names_in_part", T.UNIT_IN_PART_UNKNOWN.format(name=name)))
    return problems


def save_unit(*, session: Session, actor: Actor, form: UnitForm) -> None:
    """Save the unit's details (admins only, audited); live at once in office answers."""
    require_admin(actor)
    unit = session.get(Unit, form.code)
    if unit is None:
        raise UnitNotFound(form.code)
    problems = validate_unit(form)
    if problems:
        raise UnitInvalid(problems)
    before = _snapshot(unit)
    unit.name = _text(form.name)
    for name in ("address", "phone", "hours", "reception_schedule"):
        setattr(unit, name, _text(getattr(form, name)) or None)
    unit.old_names = _names(form.old_names)
    unit.old_names_in_part = _names(form.old_names_in_part)
    session.flush()
    record(
        session=session,
        actor=actor.tag,
        action="save_unit",
        target_type="unit",
        target_id=unit.code,
        before=before,
        after=_snapshot(unit),
    )


def _text(value: str | None) -> str:
    """A text field with Unix line ends and no surrounding blanks."""
    return (value or "").replace("\r\n", "\n").strip()


def _names(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def _snapshot(unit: Unit) -> dict[str, Any]:
    return asdict(_form_of(unit))
