"""The outbox on SQLite and PostgreSQL: due messages, retries with backoff, permanent failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.cases.clock import as_utc
from bot.outbox import service as outbox
from tests.factories_cases import add_case

NOW = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)


def test_due_messages_oldest_first(db: Session) -> None:
    first = outbox.enqueue(session=db, chat_id=1, text="a", now=NOW)
    later = outbox.enqueue(session=db, chat_id=1, text="b", now=NOW + timedelta(minutes=5))
    assert outbox.due_ids(session=db, now=NOW) == [first.id]
    assert outbox.due_ids(session=db, now=NOW + timedelta(minutes=5)) == [first.id, later.id]


def test_backoff_grows_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]
    assert outbox.backoff(40) == timedelta(minutes=5)


def test_a_failed_attempt_is_retried_later(db: Session) -> None:
    message = outbox.enqueue(session=db, chat_id=1, text="a", now=NOW)
    outbox.mark_attempt_failed(session=db, message_id=message.id, error="timeout", now=NOW)
    assert message.status == "pending" and message.attempts == 1
    assert as_utc(message.next_attempt_at) == NOW + timedelta(seconds=2)
    assert outbox.due_ids(session=db, now=NOW) == []
    outbox.mark_attempt_failed(
        session=db, message_id=message.id, error="429", retry_after=30, now=NOW
    )
    assert as_utc(message.next_attempt_at) == NOW + timedelta(seconds=30)


def test_a_blocked_chat_fails_at_once_and_is_logged_on_its_case(db: Session) -> None:
    case = add_case(db)
    blocked = outbox.enqueue(session=db, chat_id=1, text="a", case_id=case.id, now=NOW)
    outbox.mark_attempt_failed(session=db, message_id=blocked.id, error="forbidden", permanent=True)
    assert blocked.status == "failed" and blocked.attempts == 1
    assert case.events[-1].kind == "notification_failed"


def test_transient_failures_are_retried_until_the_message_is_too_old(db: Session) -> None:
    message = outbox.enqueue(session=db, chat_id=1, text="a", now=NOW)
    limit = timedelta(hours=3)
    now = NOW
    while message.status == "pending":
        now = as_utc(message.next_attempt_at)
        outbox.mark_attempt_failed(
            session=db, message_id=message.id, error="502", give_up_after=limit, now=now
        )
    # Given up only once three hours had passed, having tried at least every five minutes.
    assert limit <= now - NOW < limit + timedelta(minutes=5)
    assert message.attempts > 3 * 60 / 5


def test_sent_messages_are_logged_on_their_case(db: Session) -> None:
    case = add_case(db)
    message = outbox.enqueue(session=db, chat_id=1, text="a", case_id=case.id, now=NOW)
    outbox.mark_sent(session=db, message_id=message.id, now=NOW)
    assert message.status == "sent" and message.sent_at is not None
    assert outbox.due_ids(session=db, now=NOW) == []
    assert case.events[-1].kind == "notification_sent"
