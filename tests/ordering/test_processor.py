"""The chat-ordered update processor on its own, fed the way PTB feeds it: one task per
update, created in arrival order, each calling `process_update`."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from bot.ordering import ChatOrderedProcessor, ordering_key
from bot.ordering.processor import ADMITTED_PER_SLOT
from tests.ordering.updates import callback_update, text_update, user_only_update


def feed(processor: ChatOrderedProcessor, work: list[tuple[object, Awaitable[Any]]]) -> list[Any]:
    """Start one task per (update, coroutine), in order, as Application does."""
    return [asyncio.create_task(processor.process_update(u, c)) for u, c in work]


class Recorder:
    """Records when each job starts and ends, and how many run at once."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.running = 0
        self.peak = 0

    async def job(self, name: Any, seconds: float = 0.0) -> None:
        self.running += 1
        self.peak = max(self.peak, self.running)
        self.events.append(("start", name))
        await asyncio.sleep(seconds)
        self.events.append(("end", name))
        self.running -= 1

    def starts(self) -> list[Any]:
        return [name for kind, name in self.events if kind == "start"]


def test_the_ordering_key_is_the_chat_else_the_user() -> None:
    assert ordering_key(text_update(42)) == 42
    assert ordering_key(text_update(-1001, user_id=7)) == -1001
    assert ordering_key(callback_update(42, 5, "x")) == 42
    assert ordering_key(user_only_update(9)) == 9
    assert ordering_key(object()) is None


async def test_one_chats_updates_run_one_at_a_time_in_arrival_order() -> None:
    processor = ChatOrderedProcessor(8)
    record = Recorder()
    rng = random.Random(3)
    # Later updates are quicker, so any overlap would let them finish first.
    work = [(text_update(1), record.job(i, rng.uniform(0.001, 0.01))) for i in range(30)]
    await asyncio.gather(*feed(processor, work))
    assert record.starts() == list(range(30))
    assert record.events == [(k, i) for i in range(30) for k in ("start", "end")]
    assert record.peak == 1
    assert processor.busy_chats == 0  # the chat's turn state is gone once idle


async def test_different_chats_run_concurrently_and_each_keeps_its_order() -> None:
    processor = ChatOrderedProcessor(64)
    record = Recorder()
    work = [
        (text_update(chat), record.job((chat, i), 0.1)) for i in range(5) for chat in (1, 2, 3, 4)
    ]
    started = asyncio.get_running_loop().time()
    await asyncio.gather(*feed(processor, work))
    elapsed = asyncio.get_running_loop().time() - started
    assert record.peak == 4
    # Four chats side by side take 0.5 s, 20 updates in a row 2 s: half a second of margin
    # for a suite that shares two cores.
    assert elapsed < 1.0
    for chat in (1, 2, 3, 4):
        assert [i for c, i in record.starts() if c == chat] == list(range(5))
    assert processor.busy_chats == 0


async def test_at_most_max_running_updates_run_at_once() -> None:
    processor = ChatOrderedProcessor(3)
    record = Recorder()
    await asyncio.gather(
        *feed(processor, [(text_update(c), record.job(c, 0.01)) for c in range(20)])
    )
    assert record.peak == 3
    assert processor.max_running == 3
    assert processor.max_concurrent_updates == 3 * ADMITTED_PER_SLOT


async def test_a_chat_with_a_backlog_does_not_take_the_other_chats_slots() -> None:
    processor = ChatOrderedProcessor(2)
    gate = asyncio.Event()
    done: list[str] = []

    async def blocked() -> None:
        await gate.wait()

    async def quick(name: str) -> None:
        done.append(name)

    # 20 waiting updates: more than the running slots, within what is admitted (32).
    backlog = [(text_update(1), blocked()) for _ in range(20)]
    tasks = feed(processor, [*backlog, (text_update(2), quick("b")), (text_update(3), quick("c"))])
    await asyncio.sleep(0.05)
    assert done == ["b", "c"]  # chat 1 waits in its own queue, holding one slot at most
    gate.set()
    await asyncio.gather(*tasks)
    assert processor.busy_chats == 0


async def test_updates_without_chat_or_user_run_unordered() -> None:
    processor = ChatOrderedProcessor(8)
    record = Recorder()
    await asyncio.gather(*feed(processor, [(object(), record.job(i, 0.02)) for i in range(4)]))
    assert record.peak == 4


async def test_a_failing_update_releases_its_chat() -> None:
    processor = ChatOrderedProcessor(4)
    record = Recorder()

    async def fail() -> None:
        raise RuntimeError("boom")

    tasks = feed(processor, [(text_update(1), fail()), (text_update(1), record.job("next"))])
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert record.starts() == ["next"]
    assert processor.busy_chats == 0


async def test_an_update_cancelled_while_waiting_is_closed_and_its_chat_goes_on() -> None:
    processor = ChatOrderedProcessor(4)
    gate = asyncio.Event()
    record = Recorder()

    async def first() -> None:
        await gate.wait()

    waiting = record.job("cancelled")
    tasks = feed(
        processor,
        [
            (text_update(1), first()),
            (text_update(1), waiting),
            (text_update(1), record.job("last")),
        ],
    )
    await asyncio.sleep(0.01)
    tasks[1].cancel()
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(tasks[0], tasks[2])
    assert record.starts() == ["last"]
    assert waiting.cr_frame is None  # closed, never reported as "never awaited"
    assert processor.busy_chats == 0


class Guard:
    """A guard that records what it surrounds."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.closed = False

    @contextlib.asynccontextmanager
    async def hold(self, chat: int, update: object) -> AsyncIterator[None]:
        self.calls.append(("enter", chat))
        yield
        self.calls.append(("exit", chat))

    async def close(self) -> None:
        self.closed = True


async def test_the_guard_surrounds_each_chat_update_in_turn() -> None:
    guard = Guard()
    processor = ChatOrderedProcessor(4, guard=guard)
    record = Recorder()
    seen: Callable[[str], Awaitable[None]] = record.job
    async with processor:
        await asyncio.gather(
            *feed(
                processor,
                [(text_update(5), seen("a")), (text_update(5), seen("b")), (object(), seen("c"))],
            )
        )
    assert guard.calls == [("enter", 5), ("exit", 5), ("enter", 5), ("exit", 5)]
    assert guard.closed


def test_max_running_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ChatOrderedProcessor(0)
