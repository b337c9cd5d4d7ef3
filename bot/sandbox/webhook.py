"""The sandbox posting updates to the bot's webhook, like Telegram after setWebhook.

Each pending update is POSTed as JSON to the webhook URL (with the secret token header when
one was set) and leaves the queue only on a 2xx answer; a failure (connection error, timeout,
another status) is retried with a doubling delay and recorded for getWebhookInfo. At most
`max_connections` updates are in flight, and never two of one chat: each chat's updates go
one after another, in order (stricter than Telegram, and what tests want to rely on).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any

import httpx

from bot.sandbox.state import SandboxState, Webhook, unix_now

log = logging.getLogger(__name__)

JSON = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY_DELAY = 0.5  # seconds; doubled after each failure of one update …
MAX_RETRY_DELAY = 8.0  # … up to this
DELIVERY_TIMEOUT = 10.0  # seconds the bot has to answer one POST


def update_kind(update: JSON) -> str:
    """The update's type: its one field besides update_id ("message", "callback_query" …)."""
    return next((key for key in update if key != "update_id"), "")


def chat_key(update: JSON) -> int | str:
    """What orders deliveries: the chat the update belongs to (or, for one without a chat,
    the update itself, which then waits for nothing)."""
    body = update.get(update_kind(update))
    if isinstance(body, dict):
        chat = body.get("chat") or (body.get("message") or {}).get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = body.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return f"update:{update.get('update_id')}"


class WebhookDelivery:
    """The delivery loop of one sandbox: `run` until cancelled."""

    def __init__(
        self,
        state: SandboxState,
        *,
        first_retry: float = FIRST_RETRY_DELAY,
        max_retry: float = MAX_RETRY_DELAY,
        timeout: float = DELIVERY_TIMEOUT,
    ) -> None:
        self.state = state
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.timeout = timeout
        self._in_flight: dict[int | str, asyncio.Task[None]] = {}

    async def run(self) -> None:
        """Deliver whatever is pending whenever a webhook is set, until cancelled."""
        queue = self.state.updates
        async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as client:
            try:
                while True:
                    changed = queue.watch()
                    try:
                        self._start_due(client)
                        waiter = asyncio.ensure_future(changed.wait())
                        await asyncio.wait(
                            {waiter, *self._in_flight.values()},
                            return_when=asyncio.FIRST_COMPLETED,
                        )
                        waiter.cancel()
                    finally:
                        queue.unwatch(changed)
                    self._reap()
            finally:
                for task in self._in_flight.values():
                    task.cancel()
                await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    def _start_due(self, client: httpx.AsyncClient) -> None:
        """Start delivering the oldest pending update of each chat with none in flight."""
        webhook = self.state.webhook
        if webhook is None:
            return
        seen: set[int | str] = set()
        for update in self.state.updates.pending():
            if len(self._in_flight) >= webhook.max_connections:
                return
            key = chat_key(update)
            if key in seen:
                continue  # an older update of this chat goes first
            seen.add(key)
            allowed = webhook.allowed_updates
            if allowed and update_kind(update) not in allowed:
                self.state.updates.remove(update["update_id"])  # Telegram drops these
                continue
            if key not in self._in_flight:
                delivery = self._deliver(client, webhook, update)
                self._in_flight[key] = asyncio.ensure_future(delivery)

    def _reap(self) -> None:
        """Forget finished deliveries (logging a crash; the update stays pending)."""
        for key, task in list(self._in_flight.items()):
            if task.done():
                del self._in_flight[key]
                if not task.cancelled() and task.exception() is not None:
                    log.error("Sandbox webhook delivery failed", exc_info=task.exception())

    async def _deliver(self, client: httpx.AsyncClient, webhook: Webhook, update: JSON) -> None:
        """POST one update until the bot takes it (or the webhook changes, or it is dropped)."""
        queue, update_id = self.state.updates, update["update_id"]
        delay = self.first_retry
        while self.state.webhook is webhook and queue.is_pending(update_id):
            error = await self._post(client, webhook, update)
            if error is None:
                queue.remove(update_id)
                queue.webhook_ok = self.state.webhook is webhook
                return
            webhook.last_error_date = unix_now()
            webhook.last_error_message = error
            queue.webhook_ok = False
            await self._pause(webhook, delay)
            delay = min(delay * 2, self.max_retry)

    async def _pause(self, webhook: Webhook, delay: float) -> None:
        """Wait `delay` seconds before a retry, or less if the webhook is changed meanwhile."""
        queue = self.state.updates
        deadline = asyncio.get_running_loop().time() + delay
        while self.state.webhook is webhook:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return
            changed = queue.watch()
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await changed.wait()
            finally:
                queue.unwatch(changed)

    async def _post(self, client: httpx.AsyncClient, webhook: Webhook, update: JSON) -> str | None:
        """One delivery attempt: None when the bot answered 2xx, else Telegram's error text."""
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers[SECRET_HEADER] = webhook.secret_token
        try:
            response = await client.post(webhook.url, content=json.dumps(update), headers=headers)
        except httpx.TimeoutException:
            return "Read timeout expired"
        except httpx.ConnectError:
            return "Connection refused"
        except httpx.HTTPError as error:
            return f"Connection failed: {type(error).__name__}"
        if response.is_success:
            return None
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
        return f"Wrong response from the webhook: {response.status_code} {phrase}".rstrip()


@contextlib.asynccontextmanager
async def delivering(state: SandboxState) -> AsyncIterator[WebhookDelivery]:
    """Run the delivery loop for the duration of the block (the sandbox server's life)."""
    delivery = WebhookDelivery(state)
    task = asyncio.create_task(delivery.run())
    try:
        yield delivery
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
