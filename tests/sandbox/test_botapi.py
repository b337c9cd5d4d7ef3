"""The Bot API side: shapes, errors and long polling, called the way PTB calls them."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import create_app
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

CHAT = 42
KEYBOARD = {"inline_keyboard": [[{"text": "Xác nhận", "callback_data": "ok"}]]}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(token=TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> httpx.Response:
    """Call a method like PTB: a form where every non-string value is JSON-encoded."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return await client.post(f"/bot{TOKEN}/{method}", data=data)


async def result(client: httpx.AsyncClient, method: str, **params: Any) -> Any:
    """The result of a call that must succeed."""
    response = await call(client, method, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    return body["result"]


async def error(client: httpx.AsyncClient, method: str, status: int, **params: Any) -> str:
    """The description of a call that must fail with `status`."""
    response = await call(client, method, **params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["error_code"] == status
    return str(body["description"])


async def citizen_says(client: httpx.AsyncClient, text: str, chat_id: int = CHAT) -> Any:
    response = await client.post("/sandbox/api/send", json={"chat_id": chat_id, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


async def test_get_me_answers_the_bot_identity(client: httpx.AsyncClient) -> None:
    me = await result(client, "getMe")
    assert me["id"] == int(TOKEN.split(":")[0])
    assert me["is_bot"] is True and me["username"] == "tiepdan_bot"
    response = await client.get(f"/bot{TOKEN}/getMe")  # Telegram accepts GET too
    assert response.json()["result"] == me


async def test_wrong_token_and_unknown_method_answer_like_telegram(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/bot123:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    response = await client.post(f"/bot{TOKEN}/sendTelepathy")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_webhook_methods_acknowledge(client: httpx.AsyncClient) -> None:
    assert await result(client, "deleteWebhook", drop_pending_updates=False) is True
    assert (await result(client, "getWebhookInfo"))["url"] == ""
    assert await result(client, "setWebhook", url="https://example.org/hook") is True
    assert "webhook is active" in await error(client, "getUpdates", 409)
    assert await result(client, "deleteWebhook") is True
    assert await result(client, "getUpdates") == []


async def test_get_updates_returns_updates_from_offset_and_drops_confirmed(
    client: httpx.AsyncClient,
) -> None:
    first = await citizen_says(client, "/start")
    second = await citizen_says(client, "Xin chào")
    updates = await result(client, "getUpdates", offset=0, timeout=0)
    assert [u["update_id"] for u in updates] == [first["update_id"], second["update_id"]]
    message = updates[0]["message"]
    assert message["chat"] == {"id": CHAT, "first_name": "Công dân", "type": "private"}
    assert message["from"]["is_bot"] is False and message["from"]["language_code"] == "vi"
    assert isinstance(message["date"], int) and message["date"] < 10**10  # seconds
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert await result(client, "getUpdates", offset=second["update_id"], limit=5) == updates[1:]
    # the first one was confirmed by that offset, so it is gone for good
    assert await result(client, "getUpdates", offset=0) == updates[1:]
    assert await result(client, "getUpdates", offset=second["update_id"] + 1) == []


async def test_get_updates_with_json_body_and_limit(client: httpx.AsyncClient) -> None:
    for text in ("một", "hai", "ba"):
        await citizen_says(client, text)
    response = await client.post(f"/bot{TOKEN}/getUpdates", json={"offset": 0, "limit": 2})
    assert [u["message"]["text"] for u in response.json()["result"]] == ["một", "hai"]


async def test_get_updates_holds_until_timeout(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    assert await result(client, "getUpdates", timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2


async def test_held_poll_returns_as_soon_as_the_citizen_writes(client: httpx.AsyncClient) -> None:
    poll = asyncio.create_task(result(client, "getUpdates", timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    started = time.monotonic()
    await citizen_says(client, "Tôi muốn hỏi thủ tục")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert updates[0]["message"]["text"] == "Tôi muốn hỏi thủ tục"


async def test_a_newer_poll_ends_a_held_one_with_conflict(client: httpx.AsyncClient) -> None:
    held = asyncio.create_task(call(client, "getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    assert await result(client, "getUpdates", timeout=0) == []
    response = await asyncio.wait_for(held, 2)
    assert response.status_code == 409
    assert "terminated by other getUpdates request" in response.json()["description"]


async def test_send_message_returns_the_message_telegram_would(
    client: httpx.AsyncClient,
) -> None:
    await citizen_says(client, "/start")
    sent = await result(
        client,
        "sendMessage",
        chat_id=CHAT,
        text="Chào <b>Lan</b> &amp; gia đình",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
        link_preview_options={"is_disabled": True},
    )
    assert sent["message_id"] == 2  # one counter per chat for both sides
    assert sent["chat"]["id"] == CHAT and sent["chat"]["type"] == "private"
    assert sent["from"]["is_bot"] is True
    assert sent["text"] == "Chào Lan & gia đình"
    assert sent["entities"] == [{"offset": 5, "length": 3, "type": "bold"}]
    assert sent["reply_markup"] == KEYBOARD
    plain = await result(client, "sendMessage", chat_id=CHAT, text="  <không phải HTML>  ")
    assert plain["text"] == "<không phải HTML>" and "entities" not in plain


async def test_reply_keyboards_are_kept_but_not_echoed(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    keyboard = {
        "keyboard": [[{"text": "Chia sẻ số điện thoại", "request_contact": True}], ["Hủy"]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    sent = await result(
        client, "sendMessage", chat_id=CHAT, text="Số điện thoại?", reply_markup=keyboard
    )
    assert "reply_markup" not in sent
    [message] = (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json()
    assert message["reply_markup"]["keyboard"][1] == [{"text": "Hủy"}]
    assert (await client.get(f"/sandbox/api/history?chat_id={CHAT}")).json()["keyboard"]
    await citizen_says(client, "Hủy")  # a one-time keyboard hides after use
    assert (await client.get(f"/sandbox/api/history?chat_id={CHAT}")).json()["keyboard"] is None


async def test_send_message_errors(client: httpx.AsyncClient) -> None:
    assert await error(client, "sendMessage", 400, chat_id=7, text="x") == (
        "Bad Request: chat not found"
    )
    await citizen_says(client, "/start")
    assert await error(client, "sendMessage", 400, chat_id=CHAT, text="x" * 4097) == (
        "Bad Request: message is too long"
    )
    assert await result(client, "sendMessage", chat_id=CHAT, text="x" * 4096)
    assert await error(client, "sendMessage", 400, chat_id=CHAT, text="   ") == (
        "Bad Request: message text is empty"
    )
    long_data = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
    assert (
        await error(client, "sendMessage", 400, chat_id=CHAT, text="x", reply_markup=long_data)
        == "Bad Request: BUTTON_DATA_INVALID"
    )
    text_only = {"inline_keyboard": [[{"text": "A"}]]}
    assert "Text buttons are unallowed" in await error(
        client, "sendMessage", 400, chat_id=CHAT, text="x", reply_markup=text_only
    )
    assert await error(
        client, "sendMessage", 400, chat_id=CHAT, text="Hạn <3 ngày", parse_mode="HTML"
    ) == ('Bad Request: can\'t parse entities: Unsupported start tag "3" at byte offset 6')


async def test_edits_apply_in_place_and_drop_an_unrepeated_keyboard(
    client: httpx.AsyncClient,
) -> None:
    await citizen_says(client, "/start")
    sent = await result(client, "sendMessage", chat_id=CHAT, text="Chọn", reply_markup=KEYBOARD)
    edited = await result(
        client,
        "editMessageText",
        chat_id=CHAT,
        message_id=sent["message_id"],
        text="<i>Đã chọn</i>",
        parse_mode="HTML",
    )
    assert edited["text"] == "Đã chọn" and "reply_markup" not in edited
    assert isinstance(edited["edit_date"], int)
    assert "message is not modified" in await error(
        client,
        "editMessageText",
        400,
        chat_id=CHAT,
        message_id=sent["message_id"],
        text="<i>Đã chọn</i>",
        parse_mode="HTML",
    )
    again = await result(
        client,
        "editMessageReplyMarkup",
        chat_id=CHAT,
        message_id=sent["message_id"],
        reply_markup=KEYBOARD,
    )
    assert again["reply_markup"] == KEYBOARD
    [message] = (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json()
    assert message["edited"] is True and message["text"] == "<i>Đã chọn</i>"
    assert message["plain_text"] == "Đã chọn" and message["reply_markup"] == KEYBOARD
    assert (
        await error(client, "editMessageText", 400, chat_id=CHAT, message_id=99, text="x")
        == "Bad Request: message to edit not found"
    )
    assert (
        await error(client, "editMessageText", 400, chat_id=CHAT, message_id=1, text="x")
        == "Bad Request: message can't be edited"
    )


async def test_delete_message_removes_it(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    sent = await result(client, "sendMessage", chat_id=CHAT, text="Tạm thời")
    assert await result(client, "deleteMessage", chat_id=CHAT, message_id=sent["message_id"])
    assert (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json() == []
    assert (
        await error(client, "deleteMessage", 400, chat_id=CHAT, message_id=sent["message_id"])
        == "Bad Request: message to delete not found"
    )


async def test_answer_callback_query_once(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    sent = await result(client, "sendMessage", chat_id=CHAT, text="Chọn", reply_markup=KEYBOARD)
    await client.post(
        "/sandbox/api/click", json={"chat_id": CHAT, "message_id": sent["message_id"], "data": "ok"}
    )
    updates = await result(client, "getUpdates")
    query = updates[-1]["callback_query"]
    assert query["message"] == sent and query["data"] == "ok"
    assert await result(
        client, "answerCallbackQuery", callback_query_id=query["id"], text="Đã ghi nhận"
    )
    history = (await client.get(f"/sandbox/api/history?chat_id={CHAT}")).json()
    assert history["notice"]["text"] == "Đã ghi nhận"
    assert "query ID is invalid" in await error(
        client, "answerCallbackQuery", 400, callback_query_id=query["id"]
    )


async def test_commands_chat_action_and_menu_button(client: httpx.AsyncClient) -> None:
    commands = [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "huy", "description": "Hủy thao tác"},
    ]
    assert await result(client, "setMyCommands", commands=commands)
    assert await result(client, "getMyCommands") == commands
    status = (await client.get("/sandbox/api/status")).json()
    assert status["commands"] == commands and status["bot"]["username"] == "tiepdan_bot"
    assert await error(
        client, "setMyCommands", 400, commands=[{"command": "Bắt đầu", "description": "x"}]
    ) == ("Bad Request: BOT_COMMAND_INVALID")
    assert await result(client, "deleteMyCommands")
    assert await result(client, "getMyCommands") == []
    assert await result(client, "setChatMenuButton", menu_button={"type": "commands"})
    await citizen_says(client, "/start")
    assert await result(client, "sendChatAction", chat_id=CHAT, action="typing")
    assert (await client.get(f"/sandbox/api/history?chat_id={CHAT}")).json()["typing"] is True


async def test_send_photo_upload_get_file_and_download(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\x80" + bytes(40)
    response = await client.post(
        f"/bot{TOKEN}/sendPhoto",
        data={"chat_id": str(CHAT), "caption": "Biên nhận <b>số 12</b>", "parse_mode": "HTML"},
        files={"photo": ("bien-nhan.png", png, "image/png")},
    )
    sent = response.json()["result"]
    [size] = sent["photo"]
    assert (size["width"], size["height"], size["file_size"]) == (256, 128, len(png))
    assert sent["caption"] == "Biên nhận số 12"
    assert sent["caption_entities"] == [{"offset": 10, "length": 5, "type": "bold"}]
    file = await result(client, "getFile", file_id=size["file_id"])
    assert file["file_size"] == len(png)
    download = await client.get(f"/file/bot{TOKEN}/{file['file_path']}")
    assert download.content == png
    assert (await client.get(f"/file/botWRONG/{file['file_path']}")).status_code == 401
    again = await result(client, "sendPhoto", chat_id=CHAT, photo=size["file_id"])
    assert again["photo"][0]["file_id"] == size["file_id"]
    assert await error(client, "getFile", 400, file_id="nope") == "Bad Request: invalid file_id"


async def test_send_document_and_location(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    response = await client.post(
        f"/bot{TOKEN}/sendDocument",
        data={"chat_id": str(CHAT)},
        files={"document": ("mau-don.pdf", b"%PDF-1.4", "application/pdf")},
    )
    document = response.json()["result"]["document"]
    assert document["file_name"] == "mau-don.pdf" and document["mime_type"] == "application/pdf"
    location = await result(client, "sendLocation", chat_id=CHAT, latitude=21.01, longitude=107.29)
    assert location["location"] == {"latitude": 21.01, "longitude": 107.29}
    kinds = [m["kind"] for m in (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json()]
    assert kinds == ["document", "location"]


async def test_a_blocked_citizen_gives_forbidden(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    await client.post("/sandbox/api/block", json={"chat_id": CHAT})
    assert await error(client, "sendMessage", 403, chat_id=CHAT, text="x") == (
        "Forbidden: bot was blocked by the user"
    )
    await client.post("/sandbox/api/block", json={"chat_id": CHAT, "blocked": False})
    assert await result(client, "sendMessage", chat_id=CHAT, text="x")


async def test_faults_answer_the_next_calls_then_stop(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    await client.post(
        "/sandbox/api/faults",
        json={"method": "sendMessage", "count": 2, "status": 429, "retry_after": 3},
    )
    await client.post(
        "/sandbox/api/faults", json={"method": "sendMessage", "count": 1, "status": 502}
    )
    response = await call(client, "sendMessage", chat_id=CHAT, text="x")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert (await call(client, "sendMessage", chat_id=CHAT, text="x")).status_code == 429
    assert await error(client, "sendMessage", 502, chat_id=CHAT, text="x") == "Bad Gateway"
    assert await result(client, "getMe")  # other methods were never affected
    assert await result(client, "sendMessage", chat_id=CHAT, text="x")
    calls = (await client.get("/sandbox/api/calls?method=sendMessage")).json()
    assert [c["status"] for c in calls] == [429, 429, 502, 200]


async def test_a_delay_fault_slows_the_call_down(client: httpx.AsyncClient) -> None:
    await client.post("/sandbox/api/faults", json={"method": "getMe", "count": 1, "delay": 0.5})
    started = time.monotonic()
    assert await result(client, "getMe")
    assert time.monotonic() - started >= 0.5
    [logged] = (await client.get("/sandbox/api/calls?method=getme")).json()
    assert logged["status"] == 200 and logged["duration"] >= 0.5
    started = time.monotonic()
    assert await result(client, "getMe")
    assert time.monotonic() - started < 0.5


async def test_replies_quote_the_message_they_answer(client: httpx.AsyncClient) -> None:
    asked = await citizen_says(client, "Hạn giải quyết là bao lâu?")
    reply_parameters = {"message_id": asked["message_id"]}
    sent = await result(
        client, "sendMessage", chat_id=CHAT, text="30 ngày", reply_parameters=reply_parameters
    )
    assert sent["reply_to_message"]["text"] == "Hạn giải quyết là bao lâu?"
    [message] = (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json()
    assert message["reply_to_message_id"] == asked["message_id"]
    assert await error(
        client, "sendMessage", 400, chat_id=CHAT, text="x", reply_parameters={"message_id": 99}
    ) == ("Bad Request: message to be replied not found")


async def test_edit_message_caption(client: httpx.AsyncClient) -> None:
    await citizen_says(client, "/start")
    response = await client.post(
        f"/bot{TOKEN}/sendDocument",
        data={"chat_id": str(CHAT), "caption": "Mẫu <b>01</b>", "parse_mode": "HTML"},
        files={"document": ("mau.docx", b"PK", None)},
    )
    sent = response.json()["result"]
    edited = await result(
        client, "editMessageCaption", chat_id=CHAT, message_id=sent["message_id"], caption="Mẫu 02"
    )
    assert edited["caption"] == "Mẫu 02" and "caption_entities" not in edited
    assert await error(
        client, "editMessageText", 400, chat_id=CHAT, message_id=sent["message_id"], text="x"
    ) == ("Bad Request: there is no text in the message to edit")
    [message] = (await client.get(f"/sandbox/api/messages?chat_id={CHAT}")).json()
    assert message["text"] == "Mẫu 02" and message["parse_mode"] is None
    assert message["document"]["file_name"] == "mau.docx"
