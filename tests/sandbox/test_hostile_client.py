"""The control API plays a modified client: edits, forged buttons, lying file sizes."""

from __future__ import annotations

import base64

import httpx

from tests.sandbox.test_control import API, CHAT, bot_sends, client, post, updates

__all__ = ["client"]  # the fixture, shared with test_control


async def test_edit_delivers_an_edited_message(client: httpx.AsyncClient) -> None:
    sent = await post(client, "send", {"chat_id": CHAT, "text": "tổ 7"})
    edited = await post(
        client, "edit", {"chat_id": CHAT, "message_id": sent["message_id"], "text": "/start x"}
    )
    *_, update = await updates(client)
    assert update["update_id"] == edited["update_id"]
    message = update["edited_message"]
    assert message["message_id"] == sent["message_id"] and message["text"] == "/start x"
    assert message["entities"][0]["type"] == "bot_command" and "edit_date" in message
    history = (await client.get(f"{API}/history", params={"chat_id": CHAT})).json()
    assert history["messages"][0]["text"] == "/start x" and history["messages"][0]["edited"]


async def test_only_the_citizens_own_texts_can_be_edited(client: httpx.AsyncClient) -> None:
    await post(client, "send", {"chat_id": CHAT, "text": "xin chào"})
    reply = await bot_sends(client, "Chào ông/bà")
    body = {"chat_id": CHAT, "message_id": reply["message_id"], "text": "x"}
    assert (await client.post(f"{API}/edit", json=body)).status_code == 404
    body = {"chat_id": CHAT, "message_id": 1, "text": "  "}
    assert (await client.post(f"{API}/edit", json=body)).status_code == 400


async def test_forged_click_needs_saying_so(client: httpx.AsyncClient) -> None:
    await post(client, "send", {"chat_id": CHAT, "text": "xin chào"})
    reply = await bot_sends(
        client, "Chào", {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    )
    body = {"chat_id": CHAT, "message_id": reply["message_id"], "data": "case:rate:X:²"}
    assert (await client.post(f"{API}/click", json=body)).status_code == 400
    await post(client, "click", {**body, "forged": True})
    *_, update = await updates(client)
    assert update["callback_query"]["data"] == "case:rate:X:²"


async def test_document_may_announce_a_false_size(client: httpx.AsyncClient) -> None:
    body = {
        "chat_id": CHAT,
        "content_base64": base64.b64encode(b"%PDF-1.4").decode(),
        "file_name": "a.pdf",
        "file_size": 2**40,
    }
    await post(client, "document", body)
    [update] = await updates(client)
    assert update["message"]["document"]["file_size"] == 2**40


async def test_text_that_is_no_unicode_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/send",
        content=b'{"chat_id": 1001, "text": "a\\ud800b"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400


async def test_a_declared_mime_type_must_be_one(client: httpx.AsyncClient) -> None:
    # Found by the fuzzer: "x/\x00" became the download's Content-Type header and the
    # server dropped the connection.
    body = {"chat_id": CHAT, "content_base64": "JVBERg==", "file_name": "a.pdf"}
    refused = await client.post(f"{API}/document", json={**body, "mime_type": "x/\x00"})
    assert refused.status_code == 400
    await post(client, "document", {**body, "mime_type": "application/x-lie+zip"})
