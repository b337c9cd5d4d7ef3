"""A small seeded set of cases for report tests (statuses and times set directly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.cases.models import Case
from bot.cases.status import CaseKind, CaseStatus
from bot.staff.roles import Actor, Role
from tests.factories_cases import add_case, case_draft

DENOUNCER = ("Lê Văn Cường", "0977000111", "034099001122", "thôn Hà Thành")
INJECTION = '=HYPERLINK("http://x")'
OFFICER_QH = Actor(id=9001, username="canbo.qh", role=Role.OFFICER, unit_code="QH")
LEADER_QH = Actor(id=9002, username="lanhdao.qh", role=Role.LEADER, unit_code="QH")
LEADER_ALL = Actor(id=9003, username="lanhdao.all", role=Role.LEADER, unit_code=None)
ADMIN = Actor(id=9004, username="quantri", role=Role.ADMIN, unit_code=None)


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    """A UTC instant in 2026 given in office time (UTC+7)."""
    return datetime(2026, month, day, hour, tzinfo=UTC) - timedelta(hours=7)


@dataclass
class Seeded:
    """The seeded cases by role in the tests."""

    petition: Case
    complaint: Case
    denunciation: Case
    anonymous: Case
    duplicate: Case
    other_unit: Case
    before: Case


def seed(session: Session, *, base: datetime | None = None) -> Seeded:
    """Six cases received in November 2026 (five of QH, one of CP) and one in October.

    `base` shifts every time by the same amount (to land in the current month).
    """
    shift = (base - at(2)) if base else timedelta()

    def make(kind: CaseKind, received: datetime, unit: str = "QH", **fields: str) -> Case:
        draft = case_draft(kind, unit=unit, **fields)
        return add_case(session, draft=draft, now=received + shift)

    petition = make(CaseKind.PETITION, at(2), name=INJECTION, content="@SUM(A1) đèn hỏng")
    petition.status = CaseStatus.CLOSED.value
    petition.first_response_at = petition.received_at + timedelta(hours=2)
    petition.closed_at = petition.received_at + timedelta(days=3)
    petition.rating = 5
    complaint = make(CaseKind.COMPLAINT, at(3))
    complaint.status = CaseStatus.ACCEPTED.value
    complaint.first_response_at = complaint.received_at + timedelta(hours=6)
    complaint.rating = 3
    denunciation = make(CaseKind.DENUNCIATION, at(5))
    anonymous = add_case(
        session, draft=case_draft(CaseKind.PETITION, anonymous=True), now=at(6) + shift
    )
    anonymous.status = CaseStatus.GUIDED.value
    anonymous.routed_to = "Công ty Điện lực Cẩm Phả"
    duplicate = make(CaseKind.PETITION, at(7), name="Phạm Thị Hoa")
    duplicate.duplicate_of_id = petition.id
    other_unit = make(CaseKind.PETITION, at(4), unit="CP", name="Đỗ Văn Nam")
    other_unit.first_response_at = other_unit.received_at + timedelta(hours=10)
    before = make(CaseKind.PETITION, at(15, month=10), name="Vũ Văn Cũ")
    session.flush()
    return Seeded(petition, complaint, denunciation, anonymous, duplicate, other_unit, before)
