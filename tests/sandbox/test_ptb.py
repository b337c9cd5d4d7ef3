"""A real python-telegram-bot Application polling the sandbox served by uvicorn on loopback."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox.server import bind_socket, create_app, serve, serve_app
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

CHAT = 5550001
# A 2×2 PNG header is all the photo handler needs to download and measure.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(64)


@pytest.fixture
async def sandbox() -> AsyncIterator[str]:
    """The sandbox on a free loopback port; yields its base URL."""
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = asyncio.create_task(serve_app(create_app(token=TOKEN), sock))
    await wait_until_up(url)
    yield url
    server.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await server


async def wait_until_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"{url}/sandbox/api/status")).status_code == 200:
                    return
            await asyncio.sleep(0.05)
    raise AssertionError("the sandbox did not start")


@pytest.fixture
async def control(sandbox: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{sandbox}/sandbox/api", timeout=10) as client:
        yield client


async def eventually(check: Callable[[], Awaitable[Any]], within: float = 10) -> Any:
    """Retry `check` until it returns something truthy."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def bot_replies(control: httpx.AsyncClient, count: int) -> list[Any]:
    async def check() -> list[Any] | None:
        messages: list[Any] = (await control.get(f"/messages?chat_id={CHAT}")).json()
        return messages if len(messages) >= count else None

    result: list[Any] = await eventually(check)
    return result


# ---- the bot under test: small handlers exercising each kind of Bot API call ----


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a reply keyboard asking for the phone number."""
    assert update.message is not None
    keyboard = [[KeyboardButton("Chia sẻ số điện thoại", request_contact=True)]]
    await update.message.reply_text(
        "Xin chào <b>công dân</b>!",
        parse_mode="HTML",
        reply_markup=ReplyKeyboardMarkup(keyboard, resize_keyboard=True),
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text under a confirm button."""
    assert update.message is not None and update.message.text is not None
    button = InlineKeyboardButton("Xác nhận", callback_data="confirm")
    await update.message.reply_text(
        f"Bạn nói: {update.message.text}", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press and edit the message it came from."""
    query = update.callback_query
    assert query is not None
    await query.answer("Đã nhận")
    await query.edit_message_text("Đã xác nhận ✅")


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the biggest photo size and report its byte count."""
    assert update.message is not None
    content = await (await update.message.photo[-1].get_file()).download_as_bytearray()
    await update.message.reply_text(f"Đã nhận ảnh {len(content)} byte")


BotApp = Application[Any, Any, Any, Any, Any, Any]


def build_bot(url: str, errors: list[object], *, rate_limiter: bool = False) -> BotApp:
    """The bot as the project builds it: base_url and base_file_url point at the sandbox."""
    builder = ApplicationBuilder().token(TOKEN).base_url(f"{url}/bot")
    builder = builder.base_file_url(f"{url}/file/bot")
    app: BotApp = (
        builder.rate_limiter(AIORateLimiter(max_retries=3)).build()
        if rate_limiter
        else builder.build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    app.add_handler(CallbackQueryHandler(confirm))

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(on_error)
    return app


@contextlib.asynccontextmanager
async def polling(app: BotApp) -> AsyncIterator[None]:
    """Run the app polling the sandbox, as `tiepdan bot` does."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_a_real_bot_chats_through_the_sandbox(
    sandbox: str,
    control: httpx.AsyncClient,
) -> None:
    errors: list[object] = []
    async with polling(build_bot(sandbox, errors)):
        await control.post("/send", json={"chat_id": CHAT, "text": "/start", "first_name": "Lan"})
        [greeting] = await bot_replies(control, 1)
        assert greeting["plain_text"] == "Xin chào công dân!" and greeting["parse_mode"] == "HTML"
        assert greeting["reply_markup"]["keyboard"][0][0]["request_contact"] is True

        await control.post("/send", json={"chat_id": CHAT, "text": "Thủ tục cấp sổ đỏ"})
        echoed = (await bot_replies(control, 2))[-1]
        assert echoed["text"] == "Bạn nói: Thủ tục cấp sổ đỏ"
        assert echoed["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "confirm"

        await control.post(
            "/click", json={"chat_id": CHAT, "message_id": echoed["message_id"], "data": "confirm"}
        )

        async def edited() -> Any:
            messages = (await control.get(f"/messages?chat_id={CHAT}")).json()
            return messages[-1] if messages[-1]["edited"] else None

        done = await eventually(edited)
        assert done["text"] == "Đã xác nhận ✅" and done["reply_markup"] is None
        history = (await control.get(f"/history?chat_id={CHAT}")).json()
        assert history["notice"]["text"] == "Đã nhận"

        await control.post(
            "/photo",
            json={
                "chat_id": CHAT,
                "file_name": "anh.png",
                "content_base64": base64.b64encode(PNG).decode(),
            },
        )
        reply = (await bot_replies(control, 3))[-1]
        assert reply["text"] == f"Đã nhận ảnh {len(PNG)} byte"
    assert errors == []
    status = (await control.get("/status")).json()
    assert status["pending_updates"] == 0  # the final getUpdates confirmed everything


async def test_a_429_is_retried_by_the_rate_limiter(
    sandbox: str,
    control: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without PTB_TIMEDELTA, PTB 22 builds every RetryAfter with a PTBDeprecationWarning,
    # which the suite's filterwarnings=error turns into an error inside the rate limiter.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    errors: list[object] = []
    async with polling(build_bot(sandbox, errors, rate_limiter=True)):
        await control.post(
            "/faults", json={"method": "sendMessage", "count": 1, "status": 429, "retry_after": 1}
        )
        await control.post("/send", json={"chat_id": CHAT, "text": "Có ai không?"})
        [reply] = await bot_replies(control, 1)
        assert reply["text"] == "Bạn nói: Có ai không?"
    calls = (await control.get("/calls?method=sendMessage")).json()
    assert [c["status"] for c in calls] == [429, 200]
    assert calls[1]["at"] - calls[0]["at"] >= 1  # PTB waited retry_after before retrying
    assert errors == []


async def test_a_502_reaches_the_error_handler_and_is_not_retried(
    sandbox: str,
    control: httpx.AsyncClient,
) -> None:
    # PTB maps 502 (and every status it has no exception for) to NetworkError and does not
    # retry a handler's call: the reply is lost unless the bot retries it itself.
    errors: list[object] = []
    async with polling(build_bot(sandbox, errors)):
        await control.post("/faults", json={"method": "sendMessage", "count": 1, "status": 502})
        await control.post("/send", json={"chat_id": CHAT, "text": "lần một"})
        await eventually(lambda: asyncio.sleep(0, result=errors))
        await control.post("/send", json={"chat_id": CHAT, "text": "lần hai"})
        [reply] = await bot_replies(control, 1)
        assert reply["text"] == "Bạn nói: lần hai"
    [error] = errors
    assert isinstance(error, NetworkError) and "Bad Gateway" in str(error)
    calls = (await control.get("/calls?method=sendMessage")).json()
    assert [c["status"] for c in calls] == [502, 200]


async def test_polling_survives_a_502_on_get_updates(
    sandbox: str,
    control: httpx.AsyncClient,
) -> None:
    # The updater treats a failed getUpdates as a network hiccup and polls again.
    errors: list[object] = []
    await control.post("/faults", json={"method": "getUpdates", "count": 1, "status": 502})
    async with polling(build_bot(sandbox, errors)):
        await control.post("/send", json={"chat_id": CHAT, "text": "vẫn nghe chứ?"})
        [reply] = await bot_replies(control, 1)
        assert reply["text"] == "Bạn nói: vẫn nghe chứ?"
    statuses = [c["status"] for c in (await control.get("/calls?method=getUpdates")).json()]
    assert statuses[0] == 502 and 200 in statuses


async def test_long_polling_holds_over_http(sandbox: str, control: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(base_url=f"{sandbox}/bot{TOKEN}", timeout=10) as bot_api:
        started = time.monotonic()
        response = await bot_api.post("/getUpdates", data={"timeout": "2"})
        assert response.json() == {"ok": True, "result": []}
        assert 1.9 <= time.monotonic() - started < 3

        held = asyncio.create_task(bot_api.post("/getUpdates", data={"timeout": "20"}))
        await asyncio.sleep(0.3)
        sent_at = time.monotonic()
        await control.post("/send", json={"chat_id": CHAT, "text": "Alô"})
        updates = (await asyncio.wait_for(held, 5)).json()["result"]
        assert time.monotonic() - sent_at < 1
        assert updates[0]["message"]["text"] == "Alô"


async def test_serve_stops_promptly_on_cancel_even_with_a_held_poll() -> None:
    probe = bind_socket("127.0.0.1", 0)
    port = probe.getsockname()[1]
    probe.close()
    server = asyncio.create_task(serve(host="127.0.0.1", port=port, token=TOKEN))
    url = f"http://127.0.0.1:{port}"
    await wait_until_up(url)
    async with httpx.AsyncClient(timeout=10) as client:
        held = asyncio.create_task(
            client.post(f"{url}/bot{TOKEN}/getUpdates", data={"timeout": "30"})
        )
        await asyncio.sleep(0.3)
        started = time.monotonic()
        server.cancel()
        with pytest.raises(asyncio.CancelledError):
            await server
        assert time.monotonic() - started < 2
        assert (await held).json() == {"ok": True, "result": []}


async def test_serve_reports_a_taken_port() -> None:
    taken = bind_socket("127.0.0.1", 0)
    try:
        with pytest.raises(OSError, match=r"sandbox cannot listen on 127\.0\.0\.1"):
            await serve(host="127.0.0.1", port=taken.getsockname()[1], token=TOKEN)
    finally:
        taken.close()
