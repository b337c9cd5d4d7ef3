"""Claiming with a lease: several senders share one outbox, each message is taken once,
a dead sender's messages pass to another after its lease, and order per chat holds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, session_factory
from bot.outbox import claims
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def queue(db_url: str, chats: list[int], now: datetime = NOW) -> list[int]:
    """One message per entry of `chats`, in that order."""
    with session_factory(db_url)() as session, session.begin():
        return [outbox.enqueue(session=session, chat_id=c, text=f"{c}", now=now).id for c in chats]


def claim(db_url: str, sender: str, now: datetime = NOW, **kwargs: int) -> list[int]:
    with session_factory(db_url)() as session, session.begin():
        got = claims.claim(session=session, sender=sender, lease=LEASE, now=now, **kwargs)
        return [m.id for m in got]


def sent(db_url: str, *ids: int) -> None:
    with session_factory(db_url)() as session, session.begin():
        for message_id in ids:
            outbox.mark_sent(session=session, message_id=message_id, now=NOW)


def row(db_url: str, message_id: int) -> OutboxMessage:
    with session_factory(db_url)() as session:
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        return message


@pytest.fixture
def own_engine(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A second engine on the same database: another process's connections."""
    engine = make_engine(db_url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_a_claimed_message_is_not_claimed_again_until_its_lease_ends(db_url: str) -> None:
    ids = queue(db_url, [1, 2, 3])
    assert claim(db_url, "a") == ids
    assert claim(db_url, "b", NOW + timedelta(seconds=59)) == []
    assert row(db_url, ids[0]).claimed_by == "a"
    # Sender a died without a word: after the lease, b takes everything over.
    assert claim(db_url, "b", NOW + timedelta(seconds=61)) == ids
    assert {row(db_url, i).claimed_by for i in ids} == {"b"}


def test_a_send_begun_by_a_sender_that_died_becomes_uncertain(db_url: str) -> None:
    first, second = queue(db_url, [1, 1])
    assert claim(db_url, "a") == [first, second]
    with session_factory(db_url)() as session, session.begin():
        assert claims.begin_attempt(
            session=session, message_id=first, sender="a", lease=LEASE, now=NOW
        )
    # a is killed during the send: whether Telegram got it is unknown.
    later = NOW + timedelta(minutes=5)
    assert claim(db_url, "b", later) == [second]  # the chat goes on with its next message
    message = row(db_url, first)
    assert (message.status, message.last_error) == ("uncertain", claims.ABANDONED)
    assert message.claimed_by is None and message.sending_since is None
    with session_factory(db_url)() as session:
        assert [t.id for t in outbox.troubled(session=session)] == [first]


def test_a_sender_that_lost_its_lease_does_not_send(db_url: str) -> None:
    [message] = queue(db_url, [1])
    claim(db_url, "a")
    claim(db_url, "b", NOW + timedelta(seconds=61))
    with session_factory(db_url)() as session, session.begin():
        assert not claims.begin_attempt(
            session=session, message_id=message, sender="a", lease=LEASE
        )
        assert claims.begin_attempt(session=session, message_id=message, sender="b", lease=LEASE)


def test_order_per_chat_across_two_claimers(db_url: str) -> None:
    x1, y1, x2, x3, x4 = queue(db_url, [7, 8, 7, 7, 7])
    assert claim(db_url, "a", per_chat=2) == [x1, y1, x2]
    # b finds chat 7 held by a (its head is leased), even for messages a did not take.
    assert claim(db_url, "b") == []
    sent(db_url, x1)
    assert claim(db_url, "b") == []  # x2 is now the head, and a holds it
    sent(db_url, x2)
    assert claim(db_url, "b") == [x3, x4]


def test_a_chat_waits_for_its_earlier_message_that_is_not_due(db_url: str) -> None:
    early, late = queue(db_url, [7, 7])
    with session_factory(db_url)() as session, session.begin():
        outbox.mark_attempt_failed(session=session, message_id=early, error="502", now=NOW)
    assert claim(db_url, "a") == []  # early waits for its backoff; late must not overtake
    assert claim(db_url, "a", NOW + timedelta(seconds=3)) == [early, late]


def test_released_messages_are_claimable_at_once(db_url: str) -> None:
    first, second = queue(db_url, [1, 1])
    claim(db_url, "a")
    with session_factory(db_url)() as session, session.begin():
        claims.release(session=session, sender="a", message_ids=[first, second])
    assert claim(db_url, "b") == [first, second]


@pytest.mark.postgres
def test_concurrent_claims_on_postgres_take_disjoint_sets(
    db_url: str, own_engine: sessionmaker[Session]
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    ids = queue(db_url, [1, 2, 3, 4, 1, 5, 6])
    with own_engine() as first, first.begin():
        # a's claim is not committed yet: its rows are locked, and b skips them.
        taken_a = [m.id for m in claims.claim(session=first, sender="a", lease=LEASE, chats=3)]
        taken_b = claim(db_url, "b")
    assert taken_a == [ids[0], ids[1], ids[2], ids[4]]  # chat 1's second follows its head
    # b skips a's locked heads (and so chat 1's second message too).
    assert taken_b == [ids[3], ids[5], ids[6]]


def test_many_senders_at_once_each_message_claimed_once(
    db_url: str, own_engine: sessionmaker[Session]
) -> None:
    ids = queue(db_url, [n % 37 for n in range(300)])
    engines = [session_factory(db_url), own_engine]
    got: dict[str, list[int]] = {}

    def sender(name: str, sessions: sessionmaker[Session]) -> None:
        mine: list[int] = []
        while True:
            with sessions() as session, session.begin():
                batch = claims.claim(session=session, sender=name, lease=LEASE, chats=20, now=NOW)
                for message in batch:  # "sent" at once, in the claim's transaction
                    outbox.mark_sent(session=session, message_id=message.id, now=NOW)
            if not batch:
                with sessions() as session:
                    pending = session.scalars(
                        select(OutboxMessage.id).where(OutboxMessage.status == "pending")
                    ).first()
                if pending is None:
                    break
            mine += [m.id for m in batch]
        got[name] = mine

    threads = [threading.Thread(target=sender, args=(f"s{n}", engines[n % 2])) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [i for mine in got.values() for i in mine]
    assert sorted(every) == ids  # each exactly once
    assert len(got) == 4
