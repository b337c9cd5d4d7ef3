"""Per-chat advisory locks between two lock holders (as two processes) on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import create_engine, text

from bot.ordering.pglock import ChatLocks, lock_id

pytestmark = pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


async def test_a_chat_held_by_one_process_waits_in_the_other_and_other_chats_do_not(
    db_url: str,
) -> None:
    first, second = ChatLocks(db_url), ChatLocks(db_url)
    order: list[str] = []
    try:
        async with first.hold(5) as held:
            assert held

            async def other(chat: int) -> None:
                async with second.hold(chat) as got:
                    assert got
                    order.append(f"second:{chat}")

            same, another = asyncio.create_task(other(5)), asyncio.create_task(other(6))
            await asyncio.wait_for(another, 2)
            await asyncio.sleep(0.1)
            assert order == ["second:6"] and not same.done()
            order.append("first done")
        await asyncio.wait_for(same, 2)
        assert order == ["second:6", "first done", "second:5"]
    finally:
        await first.close()
        await second.close()


async def test_a_chat_held_past_the_wait_runs_anyway_and_says_so(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = ChatLocks(db_url), ChatLocks(db_url, wait=0.1)
    try:
        async with first.hold(5):
            with caplog.at_level(logging.WARNING):
                async with second.hold(5) as held:
                    assert not held
        assert "held by another process; running it anyway" in caplog.text
        async with second.hold(5) as held:  # free again
            assert held
    finally:
        await first.close()
        await second.close()


async def test_a_lost_connection_frees_its_chats_and_the_next_update_reconnects(
    db_url: str,
) -> None:
    first, second = ChatLocks(db_url), ChatLocks(db_url, wait=0.2)
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        async with first.hold(5):
            with admin.connect() as conn:  # the server drops first's session
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_locks "
                        "WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                )
            await asyncio.sleep(0.1)
            async with second.hold(5) as held:
                assert held  # PostgreSQL released the dead session's lock
        async with first.hold(5) as held:  # release failed quietly; reconnected now
            assert held
    finally:
        admin.dispose()
        await first.close()
        await second.close()


async def test_an_unreachable_database_lets_updates_run_unlocked(db_url: str) -> None:
    locks = ChatLocks("postgresql+psycopg://postgres@127.0.0.1:9/none")
    async with locks.hold(5) as held:
        assert not held
    await locks.close()


def test_lock_ids_are_signed_64_bit_and_distinct(db_url: str) -> None:
    ids = {lock_id(chat) for chat in [*range(-500, 500), 2**52, -(10**13)]}
    assert len(ids) == 1002
    assert all(-(2**63) <= i < 2**63 for i in ids)
