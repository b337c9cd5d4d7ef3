"""The administrative units (4 phường, 1 xã) the office serves."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class Unit(Base):
    """One phường or xã, with the details citizens ask for (loaded from data files)."""

    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Names of the wards merged into this unit in 2025; citizens still use them.
    old_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Those of `old_names` that only partly went into this unit.
    old_names_in_part: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    hours: Mapped[str | None] = mapped_column(Text)
    reception_schedule: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
