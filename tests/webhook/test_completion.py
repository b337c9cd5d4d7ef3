"""A webhook delivery is answered once its update has been handled, so an instance that
dies mid-update leaves the delivery unanswered and it is repeated, not lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.ordering.processor import ChatOrderedProcessor
from bot.webhook.completion import Completions
from bot.webhook.endpoint import SECRET_HEADER
from tests.webhook.test_endpoint import PATH, SECRET, UPDATE, webhook_client


def _client(queue: asyncio.Queue[Any], completions: Completions, timeout: float = 5.0) -> Any:
    return webhook_client(queue, completions=completions, timeout=timeout)


async def test_the_answer_waits_until_the_processor_has_handled_the_update() -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    completions = Completions()
    processor = ChatOrderedProcessor(4)
    processor.on_done = completions.done
    handled = asyncio.Event()
    release = asyncio.Event()

    async def handle() -> None:
        handled.set()
        await release.wait()

    async with _client(queue, completions) as client:
        answer = asyncio.create_task(
            client.post(PATH, json=UPDATE, headers={SECRET_HEADER: SECRET})
        )
        update = await asyncio.wait_for(queue.get(), 2)
        running = asyncio.create_task(processor.do_process_update(update, handle()))
        await asyncio.wait_for(handled.wait(), 2)
        await asyncio.sleep(0.1)
        assert not answer.done()  # still handling: no answer yet
        assert completions.waiting == 1
        release.set()
        response = await asyncio.wait_for(answer, 2)
        await running
    assert response.status_code == 200
    assert completions.waiting == 0


async def test_an_update_that_fails_is_answered_too() -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    completions = Completions()
    processor = ChatOrderedProcessor(4)
    processor.on_done = completions.done

    async def fail() -> None:
        raise RuntimeError("handler bug")

    async with _client(queue, completions) as client:
        answer = asyncio.create_task(
            client.post(PATH, json=UPDATE, headers={SECRET_HEADER: SECRET})
        )
        update = await asyncio.wait_for(queue.get(), 2)
        with pytest.raises(RuntimeError):
            await processor.do_process_update(update, fail())
        response = await asyncio.wait_for(answer, 2)
    assert response.status_code == 200


async def test_a_slow_update_is_answered_after_the_timeout() -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    async with _client(queue, Completions(), timeout=0.2) as client:
        response = await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert queue.qsize() == 1  # queued, and answered although nobody handled it
