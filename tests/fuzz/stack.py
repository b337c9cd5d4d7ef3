"""One real bot and sandbox per test module, on a background thread, for synchronous
hypothesis tests; chats driven through the control API, faults read from the logs."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import itertools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from telegram import Update

from bot.context import TiepdanApp
from bot.sandbox.server import bind_socket, create_app, serve_app
from bot.sandbox.state import SandboxState
from bot.sandbox.tghtml import parse_html
from bot.settings import Settings
from tests.fake_nlu import fake_nlu
from tests.handlers.harness import bot_settings, running_bot

T = TypeVar("T")
JSON = dict[str, Any]
_chat_ids = itertools.count(500_001)


class Failures(logging.Handler):
    """Every ERROR any logger emits (the error handler logs escaped exceptions and Bot
    API refusals at ERROR), and the warnings of the bot's handlers and of PTB. The job
    scheduler's "skipped: maximum number of running instances" under load is no finding."""

    _WARNING_FROM = ("handlers", "telegram", "bot")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.name.startswith(self._WARNING_FROM):
            self.records.append(record)

    def take(self) -> list[str]:
        """The messages collected since the last call (tracebacks included)."""
        taken, self.records = self.records, []
        return [f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in taken]


class _Understanding(dict[str, list[tuple[str, float]]]):
    """What the stand-in NLU answers: by the text's hash a sure FAQ intent, a complaint,
    an unsure guess or out of scope, so the fuzz reaches every kind of reply."""

    RANKINGS = (
        [("khai_sinh", 0.97), ("ket_hon", 0.01)],
        [("phan_anh", 0.95)],
        [("khai_sinh", 0.40), ("ket_hon", 0.35)],
        [("out_of_scope", 0.9)],
    )

    def get(self, text: str, default: Any = None) -> list[tuple[str, float]]:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        return self.RANKINGS[digest[0] % len(self.RANKINGS)]


class BotThread:
    """The sandbox and the real application on an event loop of their own."""

    def __init__(self, workdir: Path, **overrides: Any) -> None:
        self.workdir = workdir
        self.overrides = overrides
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.failures = Failures()
        self.app: TiepdanApp | None = None
        self.sandbox: SandboxState | None = None
        self.chats: dict[str, FuzzChat] = {}
        self.handled: set[int] = set()
        self.settings: Settings | None = None
        self.url = ""
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fuzz-bot", daemon=True)

    def __enter__(self) -> BotThread:
        logging.getLogger().addHandler(self.failures)
        self._nlu = fake_nlu(_Understanding())
        self.overrides.setdefault("rasa_url", self._nlu.__enter__())
        self._thread.start()
        if not self.ready.wait(60) or self._error is not None:
            raise RuntimeError("the bot did not start") from self._error
        self.failures.take()  # start-up chatter (e.g. the NLU being down) is no finding
        return self

    def __exit__(self, *exc: object) -> None:
        for chat in self.chats.values():
            chat.client.close()
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        self._nlu.__exit__(None, None, None)
        logging.getLogger().removeHandler(self.failures)

    def _run(self) -> None:
        try:
            self.loop.run_until_complete(self._main())
        except BaseException as exc:  # reported by __enter__
            self._error = exc
            self.ready.set()
        finally:
            self.loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        sock = bind_socket("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        sandbox = create_app()
        self.sandbox = sandbox.state.sandbox
        server = asyncio.create_task(serve_app(sandbox, sock))
        try:
            settings = bot_settings(self.workdir, self.url).model_copy(update=self.overrides)
            self.settings = settings
            async with running_bot(settings) as app:
                self.app = app
                self._track(app)
                self.ready.set()
                await self._stop.wait()
        finally:
            server.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await server

    def _track(self, app: TiepdanApp) -> None:
        """Note each update's id once PTB has finished with it (handlers and errors)."""
        process = app.process_update

        async def tracked(update: object) -> None:
            try:
                await process(update)
            finally:
                if isinstance(update, Update):
                    self.handled.add(update.update_id)

        app.process_update = tracked  # type: ignore[method-assign]

    def call(self, work: Callable[[], T]) -> T:
        """Run `work` on the bot's loop (to read or seed its in-memory state safely)."""

        async def run() -> T:
            return work()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def busy(self) -> bool:
        """Updates still waiting in the sandbox (not yet confirmed by the next getUpdates,
        so fetched ones count until PTB queued them), queued in PTB, or being handled."""
        app, sandbox = self.app, self.sandbox
        assert app is not None and sandbox is not None
        return bool(
            sandbox.updates.pending_count
            or app.update_queue.qsize()
            or app.update_processor.current_concurrent_updates
        )

    def chat(self, name: str) -> FuzzChat:
        """The chat kept for entry point `name` (one greeting; reset by each example)."""
        if name not in self.chats:
            self.chats[name] = FuzzChat(self)
            self.chats[name].send("/start")
        return self.chats[name]


class FuzzChat:
    """A fresh sandbox chat: the citizen's actions, each waiting until the bot is idle."""

    def __init__(self, stack: BotThread) -> None:
        self.stack = stack
        self.chat_id = next(_chat_ids)
        self.client = httpx.Client(base_url=f"{stack.url}/sandbox/api", timeout=10)
        self.seen = 0

    def __enter__(self) -> FuzzChat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def post(self, kind: str, expect: int = 200, **body: Any) -> JSON:
        """A control request for this chat, then wait for the bot to finish with it."""
        response = self.client.post(f"/{kind}", json={"chat_id": self.chat_id, **body})
        assert response.status_code == expect, response.text
        result: JSON = response.json()
        self.settle(result["update_id"])
        return result

    def send(self, text: str) -> JSON:
        """Type a text."""
        return self.post("send", text=text)

    def click(self, data: str, message_id: int | None = None) -> JSON:
        """Press a button with `data` (forged: no button need carry it) on the newest bot
        message, or on `message_id`."""
        target = message_id if message_id is not None else self.newest_bot_message()
        return self.post("click", message_id=target, data=data, forged=True)

    def newest_bot_message(self) -> int:
        """The id of the bot's latest message in this chat (there must be one)."""
        messages = self.client.get("/messages", params={"chat_id": self.chat_id}).json()
        assert messages, "the bot has not written in this chat yet"
        return int(messages[-1]["message_id"])

    def settle(self, update_id: int, timeout: float = 15.0) -> None:
        """Wait until the bot has handled update `update_id` (every handler group and the
        error handler included) and nothing else is pending."""
        deadline = time.monotonic() + timeout
        while update_id not in self.stack.handled or self.stack.busy():
            if time.monotonic() > deadline:
                raise TimeoutError(f"update {update_id} was not handled")
            time.sleep(0.002)

    def replies(self) -> list[JSON]:
        """The bot messages since the last call."""
        params = {"chat_id": self.chat_id, "after": self.seen}
        found: list[JSON] = self.client.get("/messages", params=params).json()
        if found:
            self.seen = max(m["message_id"] for m in found)
        return found

    def user_data(self) -> dict[Any, Any]:
        """A copy of the chat's user_data as the bot holds it."""
        app = self.stack.app
        assert app is not None
        return self.stack.call(lambda: dict(app.user_data.get(self.chat_id, {})))

    def seed(self, **values: Any) -> None:
        """Replace the chat's user_data, as if earlier answers had left `values` there."""
        app = self.stack.app
        assert app is not None

        def put() -> None:
            data = app.user_data[self.chat_id]  # PTB creates the entry on access
            data.clear()
            data.update(copy.deepcopy(values))  # the bot runs in this very process

        self.stack.call(put)


def check_replies(replies: list[JSON], failures: list[str]) -> None:
    """The invariants every example ends with: nothing escaped a handler or was refused
    by the Bot API, and every reply is Telegram HTML the sandbox's parser accepts."""
    assert not failures, "\n".join(failures)
    for reply in replies:
        if reply["parse_mode"] and reply["parse_mode"].upper() == "HTML":
            plain, _ = parse_html(reply["text"])  # raises MarkupError on bad HTML
            assert plain == reply["plain_text"]


def canary_escaped(replies: list[JSON], canary: str, tags: tuple[str, ...]) -> None:
    """Wherever the canary word shows in a reply, the opening tag the input put right
    before it shows too (as text): the input was escaped, not interpreted."""
    openings = tuple(tag[: tag.index(canary)] for tag in tags)
    for reply in replies:
        plain = reply["plain_text"]
        at = plain.find(canary)
        while at >= 0:
            assert plain[:at].endswith(openings), f"unescaped input: {reply['text']!r}"
            at = plain.find(canary, at + 1)
        assert not any(e.get("url", "").startswith("http://evil") for e in reply["entities"])
