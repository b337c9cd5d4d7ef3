"""A thousand status notifications through the sandbox enforcing Telegram's limits: the
real outbox delivery and PTB's Bot with the project's rate limiter; every message
delivered exactly once and in order per chat, every 429 honoured, none failed. Then two
senders, each with its own engine and Bot, drain the same thousand on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import ExtBot

from bot.cases import notify
from bot.db import make_engine
from bot.outbox import service as outbox
from bot.outbox.delivery import Sender, drain
from bot.outbox.models import OutboxMessage
from bot.ratelimit import BulkPacer, RetryingRateLimiter
from bot.sandbox.server import bind_socket, create_app, serve_app
from bot.sandbox.state import SandboxState
from bot.settings import SANDBOX_BOT_TOKEN
from bot.units.service import import_units, read_units_file
from tests.conftest import fresh_database
from tests.factories_cases import add_case

pytestmark = pytest.mark.e2e

CITIZENS = 195
PER_CITIZEN = 5  # a burst of three, then one a second
GROUP = -1001234567
GROUP_ALERTS = 25  # twenty at once, then one in three seconds
TOTAL = CITIZENS * PER_CITIZEN + GROUP_ALERTS


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as bot.app sets it for the running bot


@dataclass
class Sandbox:
    url: str
    state: SandboxState


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """The sandbox in this process, with Telegram's limits on from the start."""
    app = create_app(outbound_limits=True)
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = asyncio.create_task(serve_app(app, sock))
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                if (await client.get(f"{url}/sandbox/api/limits")).json()["enabled"]:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    yield Sandbox(url, app.state.sandbox)
    server.cancel()
    await asyncio.gather(server, return_exceptions=True)


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request, tmp_path / "outbox.db", postgres=False) as url:
        yield url


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request, tmp_path / "unused.db", postgres=True) as url:
        yield url


def own_sessions(url: str) -> sessionmaker[Session]:
    """A new engine: a sender's own connections, as another process would have."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def queue_notifications(url: str, state: SandboxState) -> None:
    """Status news for many citizens (each has written to the bot first), and alerts to
    one staff group."""
    sessions = own_sessions(url)
    with sessions() as session, session.begin():
        import_units(session=session, rows=read_units_file())
        for number in range(CITIZENS):
            chat_id = 700_000 + number
            state.ensure_chat(chat_id)
            case = add_case(session, chat_id=chat_id)
            for note in range(PER_CITIZEN):
                notify.status_changed(session=session, case=case, note=f"#{note}")
        for number in range(GROUP_ALERTS):
            outbox.enqueue(
                session=session,
                chat_id=GROUP,
                text=f"alert-{number:02d}",
                purpose=outbox.Purpose.STAFF_ALERT,
            )
    sessions.kw["bind"].dispose()


def bot_for(sandbox: Sandbox) -> ExtBot[None]:
    """PTB's Bot as the application builds it: the project's rate limiter, which waits
    out every 429's retry_after (and keeps under 30 a second and 20 a minute a group)."""
    return ExtBot(
        SANDBOX_BOT_TOKEN,
        base_url=f"{sandbox.url}/bot",
        rate_limiter=RetryingRateLimiter(),
    )


async def deliver(
    url: str, sandbox: Sandbox, senders: int, per_second: float = 28
) -> tuple[float, list[int]]:
    """Drain the outbox with `senders` independent senders, each sending up to
    `per_second` (all chats together); returns the seconds taken and what each sent."""
    bots = [bot_for(sandbox) for _ in range(senders)]
    engines = [own_sessions(url) for _ in range(senders)]
    started = time.monotonic()
    try:
        for bot in bots:
            await bot.initialize()
        sent = await asyncio.gather(
            *(
                drain(bot=bot, sessions=sessions, sender=sender(per_second))
                for bot, sessions in zip(bots, engines, strict=True)
            )
        )
        # A 429 deferral may leave the last few due a moment later: drain until empty.
        while remaining(url):
            await asyncio.sleep(0.5)
            sent.append(await drain(bot=bots[0], sessions=engines[0], sender=sender(per_second)))
    finally:
        for bot in bots:
            await bot.shutdown()
        for sessions in engines:
            sessions.kw["bind"].dispose()
    assert sum(sent) == TOTAL
    return time.monotonic() - started, sent


def sender(per_second: float) -> Sender:
    return Sender(pacer=BulkPacer(overall_per_second=per_second))


def remaining(url: str) -> int:
    sessions = own_sessions(url)
    with sessions() as session:
        count = session.scalar(
            select(func.count()).where(OutboxMessage.status == outbox.OutboxStatus.PENDING.value)
        )
    sessions.kw["bind"].dispose()
    return int(count or 0)


def check_delivered_once_in_order(url: str, state: SandboxState) -> None:
    for number in range(CITIZENS):
        chat = state.chat(700_000 + number)
        assert chat is not None
        texts = [m.payload["text"] for m in chat.messages.values() if m.from_bot]
        notes = [t.split("#")[1][0] for t in texts]
        assert notes == [str(n) for n in range(PER_CITIZEN)], texts
    group = state.chat(GROUP)
    assert group is not None
    alerts = [m.payload["text"] for m in group.messages.values() if m.from_bot]
    assert alerts == [f"alert-{n:02d}" for n in range(GROUP_ALERTS)]
    sessions = own_sessions(url)
    with sessions() as session:
        statuses = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    sessions.kw["bind"].dispose()
    assert statuses == {"sent": TOTAL}  # none failed, none uncertain


async def test_a_thousand_notifications_within_telegrams_limits(
    sandbox: Sandbox, sqlite_url: str
) -> None:
    await asyncio.to_thread(queue_notifications, sqlite_url, sandbox.state)
    seconds, _ = await deliver(sqlite_url, sandbox, senders=1)
    check_delivered_once_in_order(sqlite_url, sandbox.state)
    limits = sandbox.state.limits
    assert limits.ignored_retry_after == 0  # every 429 waited out
    print(f"\n{TOTAL} messages, one sender, SQLite: {seconds:.1f} s, 429s: {limits.refused}")
    assert seconds >= (TOTAL - 30) / 30  # the limits held: no faster than Telegram allows


@pytest.mark.postgres
async def test_two_senders_drain_the_same_thousand_once(
    sandbox: Sandbox, postgres_url: str
) -> None:
    # Faster than Telegram overall, to keep the test short; per chat and per group as
    # Telegram. Each sender takes more than its share, so 429s come, and are honoured.
    sandbox.state.limits.configure(overall_per_second=45.0)
    await asyncio.to_thread(queue_notifications, postgres_url, sandbox.state)
    seconds, sent = await deliver(postgres_url, sandbox, senders=2, per_second=40)
    check_delivered_once_in_order(postgres_url, sandbox.state)
    assert sent[0] > 100 and sent[1] > 100  # both took part
    limits = sandbox.state.limits
    assert limits.refused > 0 and limits.ignored_retry_after == 0
    print(f"\n{TOTAL} messages, two senders, PostgreSQL: {seconds:.1f} s, 429s: {limits.refused}")
