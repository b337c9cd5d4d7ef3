"""The inbox service: scoping, filters, search (identity where allowed), counts, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.cases import inbox
from bot.cases.inbox import DueFilter, InboxPage, InboxQuery, InboxSort, excerpt, inbox_page
from bot.cases.models import Case
from bot.cases.status import CaseKind, CaseStatus
from bot.staff.models import StaffUser
from bot.staff.roles import Actor, Role
from bot.staff.service import actor_of
from bot.workdays.service import WorkCalendar
from tests.factories_cases import add_case, case_draft

TODAY = date(2026, 12, 2)  # a Wednesday: due soon runs to Friday the 4th
CALENDAR = WorkCalendar()
K, S = CaseKind, CaseStatus


def staff(db: Session, username: str, role: Role, unit: str | None) -> Actor:
    # Written directly: hashing a password per person would slow every test down.
    user = StaffUser(
        username=username, display_name=username, role=role.value, unit_code=unit, password_hash="-"
    )
    db.add(user)
    db.flush()
    return actor_of(user)


def make(
    db: Session,
    kind: CaseKind = K.PETITION,
    *,
    unit: str = "QH",
    received: datetime = datetime(2026, 11, 20, 3, tzinfo=UTC),
    status: CaseStatus | None = None,
    due_on: date | None = None,
    assigned: Actor | None = None,
    address: str | None = None,
    **fields: str,
) -> Case:
    case = add_case(db, draft=case_draft(kind, unit=unit, **fields), now=received)
    if status is not None:
        case.status = status.value
        case.due_kind = "resolve" if status is S.IN_PROGRESS else case.due_kind
    if due_on is not None:
        case.due_on = due_on
    if assigned is not None:
        case.assigned_to_id = assigned.id
    if address is not None:
        case.address_detail = address
    db.flush()
    return case


def page(db: Session, actor: Actor, **query: Any) -> InboxPage:
    return inbox_page(
        session=db, actor=actor, query=InboxQuery(**query), today=TODAY, calendar=CALENDAR
    )


def codes(db: Session, actor: Actor, **query: Any) -> list[str]:
    return [row.code for row in page(db, actor, **query).rows]


@pytest.fixture
def people(db: Session) -> dict[str, Actor]:
    return {
        "officer": staff(db, "canbo.qh", Role.OFFICER, "QH"),
        "officer2": staff(db, "canbo2.qh", Role.OFFICER, "QH"),
        "officer_cp": staff(db, "canbo.cp", Role.OFFICER, "CP"),
        "leader": staff(db, "lanhdao.qh", Role.LEADER, "QH"),
        "boss": staff(db, "lanhdao.all", Role.LEADER, None),
    }


def test_the_default_lists_open_cases_of_the_unit_soonest_due_first(
    db: Session, people: dict[str, Actor]
) -> None:
    later = make(db, due_on=date(2026, 12, 20))
    sooner = make(db, due_on=date(2026, 12, 10))
    closed = make(db, status=S.CLOSED, due_on=date(2026, 12, 1))
    elsewhere = make(db, unit="CP", due_on=date(2026, 12, 5))
    assert codes(db, people["officer"]) == [sooner.code, later.code]
    assert elsewhere.code not in codes(db, people["officer"], statuses=inbox.ALL_STATUSES)
    assert codes(db, people["officer_cp"]) == [elsewhere.code]
    assert codes(db, people["boss"]) == [elsewhere.code, sooner.code, later.code]
    every = codes(db, people["officer"], statuses=inbox.ALL_STATUSES)
    assert every == [closed.code, sooner.code, later.code]


def test_an_officer_never_sees_another_units_case_even_when_asking_for_that_unit(
    db: Session, people: dict[str, Actor]
) -> None:
    theirs = make(db, unit="CP", content="Ngập nước đường Trần Phú")
    found = page(db, people["officer"], unit="CP", q=theirs.code)
    assert found.rows == [] and found.total == 0
    assert sum(found.counts.values()) == 0


def test_each_filter_alone_and_combined(db: Session, people: dict[str, Actor]) -> None:
    me = people["officer"]
    complaint = make(db, K.COMPLAINT, status=S.IN_PROGRESS, due_on=date(2026, 11, 30), assigned=me)
    denunciation = make(db, K.DENUNCIATION, due_on=date(2026, 12, 3))
    petition = make(
        db,
        received=datetime(2026, 10, 5, 3, tzinfo=UTC),
        due_on=date(2026, 12, 30),
        assigned=people["officer2"],
    )
    boss = people["boss"]
    assert codes(db, boss, kinds=frozenset({K.COMPLAINT})) == [complaint.code]
    assert codes(db, boss, statuses=frozenset({S.IN_PROGRESS})) == [complaint.code]
    assert codes(db, boss, unit="QH") == [complaint.code, denunciation.code, petition.code]
    assert codes(db, boss, unit="CP") == []
    assert codes(db, me, assignee="me") == [complaint.code]
    assert codes(db, me, assignee="none") == [denunciation.code]
    assert codes(db, boss, assignee=people["officer2"].id) == [petition.code]
    assert codes(db, boss, due=DueFilter.OVERDUE) == [complaint.code]
    assert codes(db, boss, due=DueFilter.SOON) == [denunciation.code]
    october = {"received_from": date(2026, 10, 1), "received_to": date(2026, 10, 31)}
    assert codes(db, boss, **october) == [petition.code]
    assert codes(db, boss, received_from=date(2026, 11, 20)) == [complaint.code, denunciation.code]
    assert codes(db, boss, received_to=date(2026, 11, 19)) == [petition.code]
    combined = {"kinds": frozenset({K.COMPLAINT}), "statuses": frozenset({S.IN_PROGRESS})}
    assert codes(db, boss, **combined, due=DueFilter.OVERDUE, assignee=me.id) == [complaint.code]
    assert codes(db, boss, **combined, due=DueFilter.SOON) == []


def test_received_dates_are_the_offices_local_days(db: Session, people: dict[str, Actor]) -> None:
    # 18:30 UTC on 30/11 is 01:30 on 1/12 at the office.
    late = make(db, received=datetime(2026, 11, 30, 18, 30, tzinfo=UTC))
    assert codes(db, people["boss"], received_from=date(2026, 12, 1)) == [late.code]
    assert codes(db, people["boss"], received_to=date(2026, 11, 30)) == []


def test_overdue_and_due_soon_rows_are_marked(db: Session, people: dict[str, Actor]) -> None:
    make(db, due_on=date(2026, 12, 1))
    make(db, due_on=date(2026, 12, 4))
    make(db, due_on=date(2026, 12, 8))
    make(db, status=S.CLOSED, due_on=date(2026, 11, 1))
    rows = page(db, people["boss"], statuses=inbox.ALL_STATUSES).rows
    assert [row.due_state for row in rows] == [None, "overdue", "due_soon", "ok"]


@pytest.mark.parametrize(
    "term",
    ["đèn chiếu sáng", "DEN CHIEU SANG", "den  chieu", "Trần Phú", "tran phu", "phú đường tổ"],
)
def test_search_content_and_address_with_or_without_diacritics(
    db: Session, people: dict[str, Actor], term: str
) -> None:
    wanted = make(db, content="Đèn chiếu sáng hỏng", address="tổ 9, đường Trần Phú")
    make(db, content="Rác thải bốc mùi", address="tổ 1, khu 3")
    assert codes(db, people["officer"], q=term) == [wanted.code]


def test_search_by_code_exact_or_loosely_typed(db: Session, people: dict[str, Actor]) -> None:
    wanted = make(db)
    make(db)
    loose = wanted.code.replace("-", "").lower()
    for term in (wanted.code, wanted.code.lower(), loose):
        assert codes(db, people["officer"], q=term) == [wanted.code]
    assert codes(db, people["officer"], q="100%") == []


def test_a_denouncers_identity_is_searchable_only_by_those_entitled(
    db: Session, people: dict[str, Actor]
) -> None:
    secret = make(db, K.DENUNCIATION, name="Phạm Thị Huệ", phone="0911222333")
    open_name = make(db, K.PETITION, name="Phạm Văn Hoà", phone="0988777666")
    assert codes(db, people["officer"], q="pham thi hue") == []
    assert codes(db, people["officer"], q="0911222333") == []
    assert codes(db, people["boss"], q="Phạm Thị Huệ") == []
    assert codes(db, people["leader"], q="pham thi hue") == [secret.code]
    assert codes(db, people["officer"], q="Phạm Văn Hoà") == [open_name.code]
    secret.assigned_to_id = people["officer"].id
    db.flush()
    assert codes(db, people["officer"], q="0911222333") == [secret.code]
    assert codes(db, people["officer2"], q="0911222333") == []


def test_a_denunciation_excerpt_never_shows_the_denouncers_identity(
    db: Session, people: dict[str, Actor]
) -> None:
    make(
        db,
        K.DENUNCIATION,
        name="Phạm Thị Huệ",
        phone="0911222333",
        violation="Tôi là Phạm Thị Huệ, số 0911222333, thấy ông X nhận tiền",
    )
    (row,) = page(db, people["leader"]).rows
    assert "Huệ" not in row.excerpt and "0911222333" not in row.excerpt
    assert "nhận tiền" in row.excerpt and "ông X" in row.excerpt
    assert not hasattr(row, "citizen_name")


def test_excerpt_is_the_content_shortened() -> None:
    assert excerpt({"content": "  Đèn\nhỏng  "}) == "Đèn hỏng"
    long = excerpt({"content": "x" * 500})
    assert len(long) == inbox.EXCERPT_CHARS and long.endswith("…")


def test_counts_per_status_follow_the_other_filters(db: Session, people: dict[str, Actor]) -> None:
    make(db, K.COMPLAINT, status=S.IN_PROGRESS)
    make(db, K.COMPLAINT, status=S.CLOSED)
    make(db, K.PETITION)
    make(db, K.PETITION, unit="CP")
    result = page(db, people["officer"], kinds=frozenset({K.COMPLAINT}))
    assert result.total == 1
    assert result.counts[S.IN_PROGRESS] == 1 and result.counts[S.CLOSED] == 1
    assert result.counts[S.RECEIVED] == 0
    everything = page(db, people["boss"], statuses=inbox.ALL_STATUSES)
    assert everything.total == 4 and everything.counts[S.RECEIVED] == 2


def test_pages_and_sorting(
    db: Session, people: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    made = [
        make(db, received=datetime(2026, 11, day, 3, tzinfo=UTC), due_on=date(2026, 12, 30 - day))
        for day in (10, 11, 12, 13, 14)
    ]
    by_due = [c.code for c in reversed(made)]
    first, last = page(db, people["officer"]), page(db, people["officer"], page=3)
    assert (first.total, first.pages, [r.code for r in first.rows]) == (5, 3, by_due[:2])
    assert [r.code for r in last.rows] == by_due[4:]
    assert page(db, people["officer"], page=99).page == 3
    oldest = codes(db, people["officer"], sort=InboxSort.RECEIVED)
    assert oldest == [c.code for c in made[:2]]
    newest = codes(db, people["officer"], sort=InboxSort.RECEIVED_DESC)
    assert newest == [c.code for c in reversed(made)][:2]


def test_the_assignee_name_is_shown(db: Session, people: dict[str, Actor]) -> None:
    make(db, assigned=people["officer2"])
    (row,) = page(db, people["officer"]).rows
    assert row.assigned_to == (people["officer2"].display_name or "canbo2.qh")


def test_choices_are_the_visible_units_and_their_staff(
    db: Session, people: dict[str, Actor]
) -> None:
    mine = inbox.inbox_choices(session=db, actor=people["officer"])
    assert [c.value for c in mine.units] == ["QH"]
    assert {c.value for c in mine.staff} == {
        str(people[k].id) for k in ("officer", "officer2", "leader")
    }
    every = inbox.inbox_choices(session=db, actor=people["boss"])
    assert len(every.units) == 5 and str(people["officer_cp"].id) in {c.value for c in every.staff}
