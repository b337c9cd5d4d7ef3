"""Following a case: /tracuu, notifications through the outbox, adding information, rating."""

from __future__ import annotations

import asyncio
import base64

from sqlalchemy import select

from bot.cases.models import Case, CaseEvent
from bot.cases.service import add_staff_reply, change_status
from bot.cases.status import CaseStatus
from bot.db import session_scope
from bot.outbox.models import OutboxMessage
from bot.settings import Settings
from bot.texts import cases as texts
from tests.factories_cases import add_case
from tests.handlers.harness import Citizen, buttons

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def lodge(settings: Settings, chat_id: int = 7001) -> str:
    with session_scope(settings.database_url) as session:
        return add_case(session, chat_id=chat_id).code


async def open_chat(citizen: Citizen) -> None:
    """The citizen has written to the bot before (the sandbox knows no chat until then)."""
    await citizen.send("/tracuu")
    await citizen.last()


async def test_tracuu_shows_own_cases_and_hides_others(
    citizen: Citizen, settings: Settings
) -> None:
    own = lodge(settings)
    foreign = lodge(settings, chat_id=9999)
    await citizen.send("/tracuu")
    listing = await citizen.last()
    assert own in listing["text"] and foreign not in listing["text"]
    await citizen.send(f"/tracuu {own.lower().replace('-', ' ')}")
    detail = await citizen.last()
    assert f"Đơn {own}" in detail["text"] and texts.STATUS_LABELS["received"] in detail["text"]
    assert texts.BUTTON_SUPPLEMENT in buttons(detail)
    await citizen.send(f"/tracuu {foreign}")
    assert (await citizen.last())["text"] == texts.CASE_NOT_FOUND.format(code=foreign)
    await citizen.send("/tracuu abc")
    assert (await citizen.last())["text"] == texts.BAD_CODE


async def test_status_change_and_reply_are_delivered_and_closing_asks_a_rating(
    citizen: Citizen, settings: Settings
) -> None:
    await open_chat(citizen)
    code = lodge(settings)
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        change_status(
            session=session,
            case_id=case.id,
            status=CaseStatus.ACCEPTED,
            actor="staff:an",
            public_note="Đơn đã được thụ lý <ngày 1/12>",
        )
        add_staff_reply(
            session=session, case_id=case.id, text="Cán bộ sẽ đến xem.", actor="staff:an"
        )
    [notice, reply] = await citizen.replies(2)
    assert code in notice["text"] and texts.STATUS_LABELS["accepted"] in notice["text"]
    assert "&lt;ngày 1/12&gt;" in notice["text"]
    assert "Cán bộ sẽ đến xem." in reply["text"]
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        for status in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
            change_status(session=session, case_id=case.id, status=status, actor="staff:an")
    closing = (await citizen.replies(2))[-1]
    assert "đánh giá" in closing["text"]
    await citizen.click(closing, f"case:rate:{code}:4")
    thanks = await citizen.last()
    assert "4/5" in thanks["text"]
    await citizen.send("Cán bộ nhiệt tình")
    assert (await citizen.last())["text"] == texts.RATING_COMMENT_THANKS
    await citizen.click(closing, f"case:rate:{code}:5")
    assert (await citizen.last())["text"] == texts.RATING_ALREADY
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        assert (case.rating, case.rating_comment) == (4, "Cán bộ nhiệt tình")
        sent = session.scalars(select(OutboxMessage)).all()
        assert all(m.status == "sent" for m in sent) and len(sent) == 4
        kinds = [
            e.kind for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        ]
        assert kinds.count("notification_sent") == 4 and "rating" in kinds


async def test_blocked_citizen_fails_the_notification_permanently(
    citizen: Citizen, settings: Settings
) -> None:
    await open_chat(citizen)
    code = lodge(settings)
    await citizen.post("block")
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        add_staff_reply(session=session, case_id=case.id, text="Xin chào", actor="staff:an")
    for _ in range(100):
        with session_scope(settings.database_url) as session:
            message = session.scalars(select(OutboxMessage)).one()
            if message.status != "pending":
                break
        await asyncio.sleep(0.05)
    assert message.status == "failed" and message.attempts == 1
    assert message.last_error is not None and "forbidden" in message.last_error


async def test_supplement_adds_text_and_file_to_an_open_case(
    citizen: Citizen, settings: Settings
) -> None:
    code = lodge(settings)
    await citizen.send(f"/tracuu {code}")
    detail = await citizen.last()
    await citizen.click(detail, texts.BUTTON_SUPPLEMENT)
    assert code in (await citizen.last())["text"]
    await citizen.send("Thêm: đèn thứ hai cũng hỏng")
    await citizen.last()
    await citizen.post("photo", content_base64=base64.b64encode(PNG).decode())
    await citizen.click(await citizen.last(), "case:done")
    assert (await citizen.last())["text"] == texts.SUPPLEMENT_DONE.format(code=code)
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        assert len(case.attachments) == 2
        [event] = [e for e in case.events if e.kind == "supplement"]
        assert event.text == "Thêm: đèn thứ hai cũng hỏng" and event.actor == "citizen"


async def test_privacy_view_and_delete(citizen: Citizen, settings: Settings) -> None:
    code = lodge(settings)
    await citizen.send("/quyenriengtu")
    menu = await citizen.last()
    assert "tự động xoá sau 365 ngày" in menu["text"]
    await citizen.click(menu, texts.BUTTON_PRIVACY_VIEW)
    view = await citizen.last()
    assert code in view["text"] and "Nguyễn Thị Lan" in view["text"]
    await citizen.click(menu, texts.BUTTON_PRIVACY_DELETE)
    await citizen.click(await citizen.last(), texts.BUTTON_PRIVACY_CONFIRM)
    assert "Đã ghi nhận yêu cầu xoá" in (await citizen.last())["text"]
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        assert case.citizen_name is None and case.citizen_phone is None
        assert case.personal_data_erased_at is not None and not case.consent_notify
