from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.messages.models import InboundMessage
from bot.messages.service import record_inbound
from tests.factories import parse_result


def test_record_inbound_stores_text_intent_and_ranking(session: Session) -> None:
    parse = parse_result(("khai_sinh", 0.91), ("ket_hon", 0.05), text="lam giay khai sinh")
    row_id = record_inbound(
        session=session,
        chat_id=42,
        text="lam giay khai sinh",
        action="faq",
        update_id=7,
        parse=parse,
    )
    session.commit()
    stored = session.get(InboundMessage, row_id)
    assert stored is not None
    assert stored.intent == "khai_sinh"
    assert stored.confidence == 0.91
    assert stored.ranking == [
        {"name": "khai_sinh", "confidence": 0.91},
        {"name": "ket_hon", "confidence": 0.05},
    ]
    assert stored.created_at is not None


def test_redelivered_update_updates_the_same_row(session: Session) -> None:
    record_inbound(session=session, chat_id=42, text="khai sinh", action="fallback", update_id=9)
    record_inbound(
        session=session,
        chat_id=42,
        text="khai sinh",
        action="faq",
        update_id=9,
        parse=parse_result(("khai_sinh", 0.9)),
    )
    session.commit()
    count = session.scalar(select(func.count()).select_from(InboundMessage))
    assert count == 1
    assert session.scalars(select(InboundMessage)).one().action == "faq"


def test_outage_is_recorded_with_its_error(session: Session) -> None:
    row = session.get(
        InboundMessage,
        record_inbound(
            session=session,
            chat_id=1,
            text="khai sinh",
            action="fallback",
            nlu_error="ConnectError",
        ),
    )
    assert row is not None
    assert row.intent is None and row.nlu_error == "ConnectError" and row.ranking == []
