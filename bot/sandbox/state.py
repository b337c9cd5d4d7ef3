"""The sandbox's in-memory world: chats and their messages, pending updates, files, commands."""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from bot.digits import is_digits
from bot.sandbox.faults import CallLog, FaultPlan
from bot.sandbox.limits import OutboundLimits
from bot.sandbox.waiters import ChatWaiters

JSON = dict[str, Any]

BOT_FIRST_NAME = "Tiếp dân"
DEFAULT_CITIZEN_NAME = "Công dân"
# A poll seen this recently counts as "the bot is polling".
POLLING_WINDOW_SECONDS = 60.0


def unix_now() -> int:
    """The current time in UNIX seconds, as Telegram dates are."""
    return int(time.time())


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is: its token, id (the token's prefix) and names."""

    token: str
    username: str
    first_name: str = BOT_FIRST_NAME

    @property
    def id(self) -> int:
        """The bot's user id, taken from the token like Telegram's."""
        prefix = self.token.split(":", 1)[0]
        return int(prefix) if is_digits(prefix) else 1000000001

    def user(self) -> JSON:
        """The bot as the `from` of the messages it sends."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def get_me(self) -> JSON:
        """The getMe result."""
        return {
            **self.user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }


@dataclass
class StoredFile:
    """A file someone uploaded, downloadable through getFile and the file URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str | None = None
    file_name: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def as_file(self) -> JSON:
        """The getFile result."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


@dataclass
class LoggedMessage:
    """One message in a chat: the Telegram Message object plus what the sender wrote."""

    message_id: int
    from_bot: bool
    payload: JSON
    source_text: str | None = None
    parse_mode: str | None = None
    markup: JSON | None = None
    edited: bool = False


@dataclass
class Chat:
    """A chat with one citizen: private (the citizen's user id being the chat id), or a
    group ("group" / "supergroup") where the citizen's user id is the chat id's absolute
    value."""

    chat_id: int
    first_name: str = DEFAULT_CITIZEN_NAME
    chat_type: str = "private"
    messages: dict[int, LoggedMessage] = field(default_factory=dict)
    last_message_id: int = 0
    reply_keyboard: JSON | None = None
    one_time_keyboard: bool = False
    blocked: bool = False
    typing_until: float = 0.0
    notice: JSON | None = None

    def chat_json(self) -> JSON:
        """The Chat object."""
        if self.chat_type == "private":
            return {"id": self.chat_id, "first_name": self.first_name, "type": "private"}
        return {"id": self.chat_id, "title": f"Nhóm {self.first_name}", "type": self.chat_type}

    def user_json(self) -> JSON:
        """The citizen as a User object."""
        return {
            "id": self.chat_id if self.chat_type == "private" else abs(self.chat_id),
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": "vi",
        }

    def next_message_id(self) -> int:
        """Allocate the next message id; both sides share one counter, as in Telegram."""
        self.last_message_id += 1
        return self.last_message_id

    def add(self, message: LoggedMessage) -> None:
        """Append a message to the chat."""
        self.messages[message.message_id] = message


@dataclass
class Webhook:
    """A webhook the bot set: where updates are posted, and how the last delivery went."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


class PollConflict(Exception):
    """A newer getUpdates request took over from a held one."""


class UpdateQueue:
    """Pending updates with increasing ids and long-polling getUpdates over them."""

    def __init__(self) -> None:
        self._pending: list[JSON] = []
        self._last_id = 0
        self._waiters: set[asyncio.Event] = set()
        self._generation = 0
        self._released = False
        self.held = 0
        self.last_poll_at = 0.0
        # True while a webhook is set and its last delivery (if any) succeeded.
        self.webhook_ok = False

    @property
    def polling(self) -> bool:
        """True while the bot takes updates: a poll is held or one arrived in the last
        minute, or a webhook is set and its last delivery succeeded."""
        recent = time.time() - self.last_poll_at < POLLING_WINDOW_SECONDS
        return self.webhook_ok or self.held > 0 or recent

    @property
    def pending_count(self) -> int:
        """How many updates wait for the bot."""
        return len(self._pending)

    def push(self, body: JSON) -> int:
        """Queue an update (e.g. {"message": ...}) and wake a held poll; returns its id."""
        self._last_id += 1
        self._pending.append({"update_id": self._last_id, **body})
        self._wake()
        return self._last_id

    def clear(self) -> None:
        """Drop pending updates; ids keep counting so a running bot's offset stays valid."""
        self._pending.clear()

    def pending(self) -> list[JSON]:
        """The updates not yet taken by the bot, oldest first (a copy)."""
        return list(self._pending)

    def is_pending(self, update_id: int) -> bool:
        """True while this update waits for the bot."""
        return any(u["update_id"] == update_id for u in self._pending)

    def remove(self, update_id: int) -> None:
        """Forget one update the bot took (a webhook delivery that succeeded)."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def watch(self) -> asyncio.Event:
        """An event set at the next change (a push, a setWebhook …); `unwatch` it after."""
        event = asyncio.Event()
        self._waiters.add(event)
        return event

    def unwatch(self, event: asyncio.Event) -> None:
        """Stop watching with an event from `watch`."""
        self._waiters.discard(event)

    def notify(self) -> None:
        """Wake whoever watches or polls (the delivery settings changed)."""
        self._wake()

    def release(self) -> None:
        """Answer every held poll at once (server shutdown)."""
        self._released = True
        self._wake()

    def _wake(self) -> None:
        for event in self._waiters:
            event.set()

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    async def get(self, *, offset: int, limit: int, wait: float) -> list[JSON]:
        """getUpdates: confirm ids below offset, then return pending ones or wait for some."""
        self._confirm(offset)
        self._generation += 1
        generation = self._generation
        self._wake()  # an older held poll now ends with 409, as on Telegram
        self.held += 1
        deadline = time.monotonic() + wait
        try:
            while not self._pending and not self._released:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                event = asyncio.Event()
                self._waiters.add(event)
                try:
                    async with asyncio.timeout(remaining):
                        await event.wait()
                except TimeoutError:
                    break
                finally:
                    self._waiters.discard(event)
                if generation != self._generation:
                    raise PollConflict
            return self._pending[: max(1, min(limit, 100))]
        finally:
            self.held -= 1
            self.last_poll_at = time.time()


class SandboxState:
    """Everything the sandbox remembers, shared by the Bot API and the control API."""

    def __init__(self, *, token: str, bot_username: str, outbound_limits: bool = False) -> None:
        self.bot = BotIdentity(token=token, username=bot_username)
        self.updates = UpdateQueue()
        self.bot_sent = ChatWaiters()  # control API long polls, woken by the send path
        self.faults = FaultPlan()
        # Telegram's sending limits (429 when exceeded), off unless asked for.
        self.limits = OutboundLimits(enabled=outbound_limits)
        self.calls = CallLog()
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.callback_queries: dict[str, int] = {}
        self.webhook: Webhook | None = None  # set by setWebhook, delivered by webhook.py
        self._file_numbers = itertools.count(1)

    def chat(self, chat_id: int) -> Chat | None:
        """The chat with this id, if a citizen ever wrote from it."""
        return self.chats.get(chat_id)

    def ensure_chat(
        self, chat_id: int, first_name: str | None = None, chat_type: str | None = None
    ) -> Chat:
        """The chat with this id, created on a citizen's first message (private unless
        `chat_type` says otherwise)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat(chat_id)
        if first_name:
            chat.first_name = first_name
        if chat_type:
            chat.chat_type = chat_type
        return chat

    def store_file(
        self,
        data: bytes,
        *,
        folder: str,
        extension: str,
        mime_type: str | None = None,
        file_name: str | None = None,
    ) -> StoredFile:
        """Keep uploaded bytes under a fresh file_id and file_path."""
        number = next(self._file_numbers)
        stored = StoredFile(
            file_id=f"SBX{number}-{secrets.token_urlsafe(12)}",
            file_unique_id=f"U{number}{secrets.token_hex(4)}",
            file_path=f"{folder}/file_{number}.{extension}",
            data=data,
            mime_type=mime_type,
            file_name=file_name,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The stored file served at this file_path."""
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    @staticmethod
    def commands_key(scope: JSON | None, language_code: str | None) -> str:
        """The key one command list is stored under (scope and language, like Telegram)."""
        return json.dumps([scope or {"type": "default"}, language_code or ""], sort_keys=True)

    def reset(self) -> None:
        """Forget chats, pending updates, files, faults and calls (tests start clean)."""
        self.chats.clear()
        self.updates.clear()
        self.files.clear()
        self.faults.clear()
        self.calls.clear()
        self.callback_queries.clear()
        self.limits.reset()


def state_of(request: Request) -> SandboxState:
    """The sandbox state of the app serving this request."""
    state = request.app.state.sandbox
    assert isinstance(state, SandboxState)
    return state
