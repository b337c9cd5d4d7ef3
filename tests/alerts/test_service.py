"""Alerts and digests to unit staff groups, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts import service as alerts
from bot.audit.models import AuditEntry
from bot.cases.models import Case
from bot.cases.service import submit_case
from bot.cases.status import CaseKind, CaseStatus
from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage
from bot.texts import staff as texts
from bot.workdays.service import WorkCalendar
from tests.factories_cases import add_case, case_draft

GROUP = -1001234567890
CHATS = {"QH": GROUP}
CONSOLE = "https://tiepdan.example.vn"
# Monday 2 March 2026, 08:30 at the office (UTC+7); the calendar has weekends only.
MONDAY = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
WEEKDAYS = WorkCalendar()


def queued(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_new_petition_alerts_its_units_group(db: Session) -> None:
    draft = case_draft(content="Đèn đường tổ 7 hỏng, gọi 0912 345 678 hoặc 022188001234")
    case = add_case(db, draft=draft, now=MONDAY)
    message = alerts.queue_new_case_alert(session=db, case=case, chats=CHATS, console_url=CONSOLE)
    assert message is not None
    assert (message.chat_id, message.purpose, message.case_id) == (GROUP, "staff_alert", case.id)
    text = message.text
    assert "Kiến nghị, phản ánh" in text and f"<code>{case.code}</code>" in text
    assert "Phường Quang Hanh" in text
    assert "08:30 02/03/2026" in text and case.due_on.strftime("%d/%m/%Y") in text
    assert "Đèn đường tổ 7 hỏng" in text and f"{CONSOLE}/cases/{case.code}" in text
    for personal in ("Nguyễn Thị Lan", "0912345678", "0912 345 678", "022188001234"):
        assert personal not in text


def test_no_group_for_the_unit_no_alert(db: Session) -> None:
    case = add_case(db, now=MONDAY)
    chats = {"CP": -42}
    assert (
        alerts.queue_new_case_alert(session=db, case=case, chats=chats, console_url=CONSOLE) is None
    )
    assert alerts.queue_new_case_alert(session=db, case=case, chats={}, console_url=CONSOLE) is None
    assert queued(db) == []


def test_a_denunciation_is_named_by_its_code_only(db: Session) -> None:
    draft = case_draft(CaseKind.DENUNCIATION)
    case = add_case(db, draft=draft, now=MONDAY)
    message = alerts.queue_new_case_alert(session=db, case=case, chats=CHATS, console_url=CONSOLE)
    assert message is not None
    url = f"{CONSOLE}/cases/{case.code}"
    assert message.text == texts.NEW_DENUNCIATION.format(code=case.code, url=url)
    for value in draft.fields.values():
        assert value not in message.text


def test_a_complaint_alert_quotes_the_act_never_the_identity(db: Session) -> None:
    draft = case_draft(CaseKind.COMPLAINT)
    case = add_case(db, draft=draft, now=MONDAY)
    text = alerts.new_case_text(case=case, unit_name="Phường Quang Hanh", console_url=CONSOLE)
    assert "Khiếu nại" in text and "Quyết định 45/QĐ-UBND — Huỷ quyết định" in text
    for key in ("name", "phone", "id_number", "home_address"):
        assert draft.fields[key] not in text


def test_a_long_excerpt_is_cut_and_escaped(db: Session) -> None:
    case = add_case(db, draft=case_draft(content="<b>ngập</b> " + "nước " * 100), now=MONDAY)
    text = alerts.new_case_text(case=case, unit_name="QH", console_url=CONSOLE)
    assert "&lt;b&gt;ngập&lt;/b&gt;" in text and "…" in text
    assert len(alerts.excerpt(case)) == alerts.EXCERPT_CHARS


def test_only_the_first_confirmation_alerts_and_the_case_log_stays_the_citizens(
    db: Session, db_url: str
) -> None:
    sessions = session_factory(db_url)
    draft = case_draft()

    def then(_session: Session, case: Case, created: bool) -> tuple[int, bool]:
        return case.id, created

    submit = alerts.with_new_case_alert(then, chats=CHATS, console_url=CONSOLE)
    first = submit_case(sessions=sessions, draft=draft, chat_id=7001, then=submit)
    again = submit_case(sessions=sessions, draft=draft, chat_id=7001, then=submit)
    assert first[1] and again == (first[0], False)
    [alert] = queued(db)
    outbox.mark_sent(session=db, message_id=alert.id)
    outbox.mark_attempt_failed(session=db, message_id=alert.id, error="x", permanent=True)
    case = db.get(Case, first[0])
    assert case is not None and [e.kind for e in case.events] == ["created"]


def set_due(case: Case, due: date, status: CaseStatus = CaseStatus.RECEIVED) -> Case:
    case.due_on, case.status = due, status.value
    return case


def add_due_cases(db: Session) -> dict[str, Case]:
    made = {
        "overdue": set_due(add_case(db, now=MONDAY), date(2026, 2, 27)),
        "today": set_due(add_case(db, now=MONDAY), date(2026, 3, 2)),
        "wednesday": set_due(add_case(db, now=MONDAY), date(2026, 3, 4)),
        "thursday": set_due(add_case(db, now=MONDAY), date(2026, 3, 5)),
        "closed": set_due(add_case(db, now=MONDAY), date(2026, 2, 20), CaseStatus.CLOSED),
        "denunciation": set_due(
            add_case(db, draft=case_draft(CaseKind.DENUNCIATION), now=MONDAY), date(2026, 2, 26)
        ),
        "other_unit": set_due(
            add_case(db, draft=case_draft(unit="CP"), now=MONDAY), date(2026, 2, 1)
        ),
    }
    db.flush()
    return made


def test_the_digest_lists_overdue_and_due_soon_open_cases(db: Session) -> None:
    made = add_due_cases(db)
    digest = alerts.build_digest(
        session=db, unit_code="QH", day=date(2026, 3, 2), calendar=WEEKDAYS
    )
    assert [r.code for r in digest.overdue] == [made["denunciation"].code, made["overdue"].code]
    assert [r.code for r in digest.due_soon] == [made["today"].code, made["wednesday"].code]
    text = alerts.digest_text(digest=digest, unit_name="Phường Quang Hanh", console_url=CONSOLE)
    assert "Quá hạn: <b>2</b>" in text and "trong 2 ngày làm việc tới: <b>2</b>" in text
    assert f"<code>{made['overdue'].code}</code> — Kiến nghị, phản ánh — hạn 27/02/2026" in text
    assert f"{CONSOLE}/cases/{made['wednesday'].code}" in text
    for absent in ("thursday", "closed", "other_unit"):
        assert made[absent].code not in text
    for value in case_draft(CaseKind.DENUNCIATION).fields.values():
        assert value not in text


def test_a_long_digest_lists_twenty_and_counts_the_rest(db: Session) -> None:
    for _ in range(25):
        set_due(add_case(db, now=MONDAY), date(2026, 2, 27))
    db.flush()
    digest = alerts.build_digest(
        session=db, unit_code="QH", day=date(2026, 3, 2), calendar=WEEKDAYS
    )
    text = alerts.digest_text(digest=digest, unit_name="QH", console_url=CONSOLE)
    assert text.count("• <code>") == alerts.DIGEST_LIMIT
    assert "… và 5 đơn khác" in text and "Quá hạn: <b>25</b>" in text


def digests(db: Session, now: datetime, calendar: WorkCalendar = WEEKDAYS) -> list[str]:
    return alerts.queue_digests(
        session=db, chats=CHATS, console_url=CONSOLE, digest_hour=7, now=now, calendar=calendar
    )


def test_digest_on_working_mornings_only_and_once_a_day(db: Session) -> None:
    add_due_cases(db)
    saturday = MONDAY - timedelta(days=2)
    assert digests(db, saturday) == []
    assert digests(db, MONDAY.replace(hour=23, minute=59) - timedelta(days=1)) == []  # 06:59
    holiday = WorkCalendar(days_off=frozenset({date(2026, 3, 2)}))
    assert digests(db, MONDAY, holiday) == []
    assert digests(db, MONDAY) == ["QH"]
    assert digests(db, MONDAY + timedelta(hours=3)) == []  # a restart later that morning
    [message] = queued(db)[-1:]
    assert (message.chat_id, message.purpose, message.case_id) == (GROUP, "staff_digest", None)
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "digest_sent"))
    assert (entry.actor, entry.target_id) == ("system", "QH:2026-03-02")
    assert entry.after == {"overdue": 2, "due_soon": 2, "outbox_id": message.id}
    assert digests(db, MONDAY + timedelta(days=1)) == ["QH"]  # the next working day again


def test_nothing_due_no_digest(db: Session) -> None:
    set_due(add_case(db, now=MONDAY), date(2026, 3, 20))
    db.flush()
    assert digests(db, MONDAY) == []
    assert queued(db) == []
    assert list(db.scalars(select(AuditEntry))) == []
