"""The bot killed in the middle of an outbox batch, and the Bot API failing while messages
are queued: every message is delivered afterwards, in order per chat.

The sandbox runs as a process of its own here (`tiepdan sandbox`), so what reached it before
the kill is still on record after the bot restarts.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage
from tests.e2e.stack import TIEPDAN, Citizen, Stack
from tests.e2e.test_cases import kill

pytestmark = pytest.mark.e2e
CHATS = (5101, 5102, 5103)
PER_CHAT = 15


@pytest.fixture
def split_stack(hung_rasa: int, tmp_path: Path) -> Iterator[Stack]:
    """The bot (`tiepdan run --no-sandbox`) with the sandbox in a separate process."""
    stack = Stack(
        workdir=tmp_path / "split",
        args=["--no-rasa", "--no-sandbox"],
        rasa_port=hung_rasa,
        env_overrides={"OUTBOX_INTERVAL": "0.3"},
    )
    sandbox = subprocess.Popen(
        [TIEPDAN, "sandbox"],
        env=stack.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: _answers(f"{stack.api}/status"), "the sandbox did not start")
        with stack.running(ready_timeout=60) as running:
            yield running
    finally:
        sandbox.terminate()
        sandbox.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _wait(condition: object, message: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(message)
        time.sleep(0.1)


def delivered(stack: Stack, chat_id: int) -> list[str]:
    """The outbox texts the sandbox received for `chat_id`, in order."""
    messages = httpx.get(f"{stack.api}/messages", params={"chat_id": chat_id}).json()
    return [m["text"] for m in messages if m["text"].startswith(f"{chat_id}-")]


def greet(stack: Stack) -> None:
    """Each citizen writes to the bot first (Telegram refuses a chat that never did)."""
    for chat_id in CHATS:
        Citizen(stack, chat_id).send("/start")
        Citizen(stack, chat_id).replies()


def queue_messages(stack: Stack) -> None:
    """PER_CHAT messages to each chat, interleaved, queued in one transaction."""
    with session_factory(stack.database_url)() as session, session.begin():
        for number in range(PER_CHAT):
            for chat_id in CHATS:
                outbox.enqueue(session=session, chat_id=chat_id, text=f"{chat_id}-{number:02d}")


def fault(stack: Stack, **body: object) -> None:
    httpx.post(f"{stack.api}/faults", json={"method": "sendMessage", **body}).raise_for_status()


def all_delivered(stack: Stack) -> bool:
    return all(len(set(delivered(stack, chat))) == PER_CHAT for chat in CHATS)


def check_order_and_count_duplicates(stack: Stack) -> int:
    """Every message arrived, in order per chat; returns how many arrived twice."""
    duplicates = 0
    for chat in CHATS:
        texts = delivered(stack, chat)
        firsts = list(dict.fromkeys(texts))
        assert firsts == [f"{chat}-{n:02d}" for n in range(PER_CHAT)], texts
        duplicates += len(texts) - len(firsts)
    return duplicates


def test_killed_during_an_outbox_batch_every_message_goes_out(split_stack: Stack) -> None:
    greet(split_stack)
    fault(split_stack, count=1000, delay=0.15)  # slow sends widen the batch
    queue_messages(split_stack)
    _wait(
        lambda: sum(len(delivered(split_stack, c)) for c in CHATS) >= 8,
        "the batch did not start",
    )
    kill(split_stack)  # SIGKILL in the middle of the batch
    before = sum(len(delivered(split_stack, c)) for c in CHATS)
    assert 0 < before < len(CHATS) * PER_CHAT
    httpx.delete(f"{split_stack.api}/faults").raise_for_status()
    split_stack.start(ready_timeout=60)
    _wait(lambda: all_delivered(split_stack), "not every message was delivered")
    time.sleep(1)  # a duplicate would show up now
    duplicates = check_order_and_count_duplicates(split_stack)
    # A send that reached the Bot API just before the kill, whose "sent" mark was never
    # committed, goes out once more after the restart: at most one (issue 10 removes it).
    assert duplicates <= 1, duplicates
    print(f"\nkilled after {before} of {len(CHATS) * PER_CHAT} sends; duplicates: {duplicates}")
    with session_factory(split_stack.database_url)() as session:
        statuses = session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    assert dict(statuses) == {"sent": len(CHATS) * PER_CHAT}


def test_bot_api_failing_queued_messages_go_out_afterwards_in_order(split_stack: Stack) -> None:
    greet(split_stack)
    fault(split_stack, count=6, status=502)  # every send fails for a while
    queue_messages(split_stack)
    _wait(
        lambda: not httpx.get(f"{split_stack.api}/faults").json(),
        "the bot did not retry through the failures",
    )
    _wait(lambda: all_delivered(split_stack), "not every message was delivered", timeout=90)
    assert check_order_and_count_duplicates(split_stack) == 0
