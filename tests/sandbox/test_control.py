"""The control API (playing the citizen, inspecting chats) and the chat page routes."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import create_app
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

CHAT = 1001
API = "/sandbox/api"
# A 3×2 GIF: enough for the sandbox to read real dimensions.
GIF = b"GIF89a\x03\x00\x02\x00" + bytes(20)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(token=TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await client.post(f"{API}/{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def updates(client: httpx.AsyncClient) -> list[Any]:
    response = await client.post(f"/bot{TOKEN}/getUpdates")
    result: list[Any] = response.json()["result"]
    return result


async def bot_sends(client: httpx.AsyncClient, text: str, markup: Any = None) -> Any:
    data = {"chat_id": str(CHAT), "text": text}
    if markup is not None:
        data["reply_markup"] = json.dumps(markup)
    return (await client.post(f"/bot{TOKEN}/sendMessage", data=data)).json()["result"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_send_makes_a_private_text_message(client: httpx.AsyncClient) -> None:
    sent = await post(
        client, "send", {"chat_id": CHAT, "text": "/start@tiepdan_bot", "first_name": "Lan"}
    )
    assert sent == {"update_id": sent["update_id"], "message_id": 1}
    [update] = await updates(client)
    message = update["message"]
    assert update["update_id"] == sent["update_id"]
    assert message["from"] == {
        "id": CHAT,
        "is_bot": False,
        "first_name": "Lan",
        "language_code": "vi",
    }
    assert message["chat"] == {"id": CHAT, "first_name": "Lan", "type": "private"}
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 18}]


async def test_plain_text_has_no_command_entity(client: httpx.AsyncClient) -> None:
    await post(client, "send", {"chat_id": CHAT, "text": "Cho hỏi /start là gì"})
    [update] = await updates(client)
    assert "entities" not in update["message"]


async def test_click_sends_the_bot_message_with_its_keyboard(client: httpx.AsyncClient) -> None:
    await post(client, "send", {"chat_id": CHAT, "text": "/start"})
    keyboard = {
        "inline_keyboard": [
            [
                {"text": "Khiếu nại", "callback_data": "kn"},
                {"text": "Tố cáo", "callback_data": "tc"},
            ]
        ]
    }
    sent = await bot_sends(client, "Chọn loại đơn", keyboard)
    clicked = await post(
        client, "click", {"chat_id": CHAT, "message_id": sent["message_id"], "data": "tc"}
    )
    query = (await updates(client))[-1]
    assert query["update_id"] == clicked["update_id"]
    assert query["callback_query"]["data"] == "tc"
    assert query["callback_query"]["message"] == sent
    assert query["callback_query"]["from"]["id"] == CHAT
    missing = await client.post(
        f"{API}/click", json={"chat_id": CHAT, "message_id": 77, "data": "kn"}
    )
    assert missing.status_code == 404 and "error" in missing.json()
    wrong = await client.post(
        f"{API}/click", json={"chat_id": CHAT, "message_id": sent["message_id"], "data": "x"}
    )
    assert wrong.status_code == 400


async def test_contact_and_location(client: httpx.AsyncClient) -> None:
    await post(
        client, "contact", {"chat_id": CHAT, "phone_number": "0912345678", "first_name": "Hùng"}
    )
    await post(client, "location", {"chat_id": CHAT, "latitude": 21.01, "longitude": 107.29})
    contact, location = [u["message"] for u in await updates(client)]
    assert contact["contact"] == {
        "phone_number": "0912345678",
        "first_name": "Hùng",
        "user_id": CHAT,
    }
    assert location["location"] == {"latitude": 21.01, "longitude": 107.29}
    bad = await client.post(
        f"{API}/location", json={"chat_id": CHAT, "latitude": 91, "longitude": 0}
    )
    assert bad.status_code == 400


async def test_photo_and_document_are_downloadable(client: httpx.AsyncClient) -> None:
    await post(
        client,
        "photo",
        {
            "chat_id": CHAT,
            "content_base64": b64(GIF),
            "caption": "Ảnh hiện trường",
            "file_name": "a.gif",
        },
    )
    await post(
        client,
        "document",
        {"chat_id": CHAT, "content_base64": b64(b"%PDF"), "file_name": "don.pdf", "caption": "Đơn"},
    )
    photo_message, document_message = [u["message"] for u in await updates(client)]
    [size] = photo_message["photo"]
    assert (size["width"], size["height"], size["file_size"]) == (3, 2, len(GIF))
    assert photo_message["caption"] == "Ảnh hiện trường"
    document = document_message["document"]
    assert document["file_name"] == "don.pdf" and document["mime_type"] == "application/pdf"
    for file_id, content in ((size["file_id"], GIF), (document["file_id"], b"%PDF")):
        path = (await client.post(f"/bot{TOKEN}/getFile", data={"file_id": file_id})).json()
        url = f"/file/bot{TOKEN}/{path['result']['file_path']}"
        assert (await client.get(url)).content == content
        assert (await client.get(f"{API}/files/{file_id}")).content == content
    bad = await client.post(f"{API}/photo", json={"chat_id": CHAT, "content_base64": "%%%"})
    assert bad.status_code == 400


async def test_sticker_and_voice(client: httpx.AsyncClient) -> None:
    await post(client, "sticker", {"chat_id": CHAT, "emoji": "🙏"})
    await post(client, "voice", {"chat_id": CHAT, "duration": 4})
    sticker, voice = [u["message"] for u in await updates(client)]
    assert sticker["sticker"]["emoji"] == "🙏" and sticker["sticker"]["type"] == "regular"
    assert voice["voice"]["duration"] == 4 and voice["voice"]["mime_type"] == "audio/ogg"


async def test_messages_lists_bot_messages_after_an_id(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/messages?chat_id={CHAT}")).json() == []
    await post(client, "send", {"chat_id": CHAT, "text": "/start"})
    first = await bot_sends(client, "Một")
    await post(client, "send", {"chat_id": CHAT, "text": "tiếp"})
    second = await bot_sends(client, "Hai")
    everything = (await client.get(f"{API}/messages?chat_id={CHAT}")).json()
    assert [m["message_id"] for m in everything] == [first["message_id"], second["message_id"]]
    assert set(everything[0]) >= {"message_id", "date", "text", "reply_markup", "edited"}
    after = await client.get(f"{API}/messages?chat_id={CHAT}&after={first['message_id']}")
    assert [m["text"] for m in after.json()] == ["Hai"]
    history = (await client.get(f"{API}/history?chat_id={CHAT}")).json()
    assert [m["from"] for m in history["messages"]] == ["citizen", "bot", "citizen", "bot"]
    assert (await client.get(f"{API}/messages")).status_code == 400


async def test_control_requests_are_validated(client: httpx.AsyncClient) -> None:
    cases = [
        ("send", {"text": "x"}),
        ("send", {"chat_id": "abc", "text": "x"}),
        ("send", {"chat_id": CHAT, "text": "  "}),
        ("send", {"chat_id": True, "text": "x"}),
        ("document", {"chat_id": CHAT, "content_base64": ""}),
        ("faults", {"method": "sendMessage", "count": 1}),
        ("faults", {"method": "sendMessage", "status": 200}),
    ]
    for path, body in cases:
        response = await client.post(f"{API}/{path}", json=body)
        assert response.status_code == 400, (path, body)
        assert isinstance(response.json()["error"], str)
    json_type = {"Content-Type": "application/json"}
    response = await client.post(f"{API}/send", content=b"not json", headers=json_type)
    assert response.status_code == 400


async def test_faults_list_and_clear(client: httpx.AsyncClient) -> None:
    pending = await post(
        client, "faults", {"method": "sendMessage", "count": 2, "status": 429, "retry_after": 1}
    )
    assert pending[0]["method"] == "sendMessage" and pending[0]["remaining"] == 2
    assert len((await client.get(f"{API}/faults")).json()) == 1
    assert (await client.delete(f"{API}/faults")).status_code == 200
    assert (await client.get(f"{API}/faults")).json() == []


async def test_status_reports_polling(client: httpx.AsyncClient) -> None:
    status = (await client.get(f"{API}/status")).json()
    assert status["polling"] is False and status["commands"] == []
    assert status["bot"]["is_bot"] is True
    await client.post(f"/bot{TOKEN}/getUpdates")
    assert (await client.get(f"{API}/status")).json()["polling"] is True


async def test_reset_forgets_chats_but_keeps_counting_update_ids(
    client: httpx.AsyncClient,
) -> None:
    before = await post(client, "send", {"chat_id": CHAT, "text": "trước"})
    await post(client, "reset", {})
    assert await updates(client) == []
    missing = await client.post(
        f"/bot{TOKEN}/sendMessage", data={"chat_id": str(CHAT), "text": "x"}
    )
    assert missing.status_code == 400
    after = await post(client, "send", {"chat_id": CHAT, "text": "sau"})
    assert after["update_id"] > before["update_id"] and after["message_id"] == 1


async def test_chat_page_and_static_files(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    assert root.status_code == 307 and root.headers["location"] == "/sandbox"
    page = await client.get("/sandbox")
    assert page.status_code == 200 and "Nhập tin nhắn…" in page.text
    script = await client.get("/sandbox/static/chat.js")
    assert script.status_code == 200 and "innerHTML" not in script.text
    assert (await client.get("/sandbox/static/chat.css")).status_code == 200
