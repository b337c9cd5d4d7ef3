"""Tracking codes: `<UNIT>-<YYMM>-<NNNN>`, e.g. QH-2611-0042 (digits only after the prefix).

Numbers come from a counter row per prefix, so they go on past 9999 (QH-2611-10000).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.cases.models import Case, CaseCodeCounter
from bot.digits import is_digits, parse_digits

_LOOSE = re.compile(r"^([A-Z]{2})(\d{4})(\d{4,6})$")


def code_prefix(unit_code: str, received_at: datetime) -> str:
    """The part shared by a unit's cases of one month: `QH-2611-`."""
    return f"{unit_code}-{received_at:%y%m}-"


def next_code(*, session: Session, unit_code: str, received_at: datetime) -> str:
    """The next free code of the unit for the month of `received_at`.

    The counter row is incremented in the caller's transaction (its row lock orders
    concurrent ones); two first cases of a month racing to insert the row end in an
    IntegrityError, which `submit_case` retries.
    """
    prefix = code_prefix(unit_code, received_at)
    bump = (
        update(CaseCodeCounter)
        .where(CaseCodeCounter.prefix == prefix)
        .values(last=CaseCodeCounter.last + 1)
        .returning(CaseCodeCounter.last)
        .execution_options(synchronize_session=False)
    )
    number = session.execute(bump).scalar_one_or_none()
    if number is None:
        number = _highest_number(session, prefix) + 1
        session.add(CaseCodeCounter(prefix=prefix, last=number))
        session.flush()
    return f"{prefix}{number:04d}"


def _highest_number(session: Session, prefix: str) -> int:
    """The largest number already used with `prefix` (cases made before the counter)."""
    codes = session.scalars(select(Case.code).where(Case.code.startswith(prefix)))
    numbers = [n for code in codes if (n := parse_digits(code.removeprefix(prefix))) is not None]
    return max(numbers, default=0)


def normalize_code(text: str) -> str | None:
    """A code as typed ("qh 2611 42", "QH-2611-0042", "qh26110042") in canonical form."""
    compact = re.sub(r"[\s\-_./]", "", text.upper())
    # Citizens type the letter O as a zero in "CO" (Cửa Ông).
    if compact.startswith("C0"):
        compact = "CO" + compact[2:]
    match = _LOOSE.match(compact)
    if match is None:
        return _spaced(text)
    unit, yymm, number = match.groups()
    return f"{unit}-{yymm}-{int(number):04d}"


def _spaced(text: str) -> str | None:
    """The code written with separators but a short number ("QH-2611-42")."""
    parts = [p for p in re.split(r"[\s\-_./]+", text.upper().strip()) if p]
    if len(parts) == 3 and len(parts[0]) == 2 and is_digits(parts[1]) and is_digits(parts[2]):
        unit = "CO" if parts[0] == "C0" else parts[0]
        if len(parts[1]) == 4 and 1 <= len(parts[2]) <= 6:
            return f"{unit}-{parts[1]}-{int(parts[2]):04d}"
    return None


_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9])[\s\-_.]?(\d{4})[\s\-_.]?(\d{1,6})(?!\d)"
)


def find_code(text: str) -> str | None:
    """The first tracking code in a citizen's sentence ("đơn QH-2611-42 sao rồi"), if any."""
    for match in _IN_TEXT.finditer(text):
        code = normalize_code("".join(match.groups()[:2]) + match.group(3).zfill(4))
        if code is not None:
            return code
    return None
