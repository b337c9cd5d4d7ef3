"""Tracking codes from a numeric counter: past 9999, recognised when typed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.codes import find_code, next_code, normalize_code
from bot.cases.models import CaseCodeCounter
from tests.factories_cases import add_case

NOV_27 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def test_codes_go_on_past_9999(db: Session) -> None:
    db.add(CaseCodeCounter(prefix="QH-2611-", last=9998))
    db.flush()
    assert add_case(db, now=NOV_27).code == "QH-2611-9999"
    assert add_case(db, now=NOV_27).code == "QH-2611-10000"
    assert add_case(db, now=NOV_27).code == "QH-2611-10001"
    counter = db.scalars(select(CaseCodeCounter).where(CaseCodeCounter.prefix == "QH-2611-"))
    assert counter.one().last == 10001


def test_a_missing_counter_starts_after_the_highest_existing_code(db: Session) -> None:
    first = add_case(db, now=NOV_27)
    first.code = "QH-2611-10007"  # made before the counter existed
    db.execute(CaseCodeCounter.__table__.delete())
    db.flush()
    assert next_code(session=db, unit_code="QH", received_at=NOV_27) == "QH-2611-10008"
    assert next_code(session=db, unit_code="HH", received_at=NOV_27) == "HH-2611-0001"


def test_long_codes_are_recognised_when_typed() -> None:
    assert normalize_code("qh 2611 10000") == "QH-2611-10000"
    assert normalize_code("QH-2611-10000") == "QH-2611-10000"
    assert normalize_code("qh261110000") == "QH-2611-10000"
    assert find_code("đơn QH-2611-10000 sao rồi ạ") == "QH-2611-10000"
    assert normalize_code("QH-2611-0042") == "QH-2611-0042"
    assert normalize_code("QH-2611-²") is None  # "²".isdigit() yet int() raised
    assert normalize_code("QH-²²²²-42") is None
