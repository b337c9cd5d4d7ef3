"""Staff roles and the person a request acts as (no database, no HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a staff account is."""

    OFFICER = "officer"  # cán bộ tiếp dân of one unit
    LEADER = "leader"  # lãnh đạo of one unit, or of all units (unit None)
    ADMIN = "admin"  # manages accounts and what the bot knows


ROLE_LABELS = {
    Role.OFFICER: "Cán bộ tiếp dân",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person, as the services see them."""

    id: int
    username: str
    role: Role
    unit_code: str | None
    display_name: str = ""

    @property
    def tag(self) -> str:
        """How the person appears in event logs: `staff:<username>`."""
        return f"staff:{self.username}"

    @property
    def all_units(self) -> bool:
        """True for a leader of all units or an admin: not tied to one unit."""
        return self.unit_code is None
