"""Uncertain messages on the admin's outbox page: labelled, explained, and sent again only
when staff confirm."""

from __future__ import annotations

import httpx

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.settings import Settings
from bot.texts import outbox as texts
from tests.console.conftest import csrf_token, login


async def test_an_uncertain_message_is_shown_and_can_be_sent_again(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    with session_factory(console_settings.database_url)() as session, session.begin():
        message = outbox.enqueue(session=session, chat_id=5601, text="tin")
        outbox.mark_uncertain(session=session, message_id=message.id, error="TimedOut: x")
    await login(client, "quantri")
    page = (await client.get("/admin/outbox")).text
    assert f'id="outbox-{message.id}"' in page
    assert texts.STATUS_LABELS["uncertain"] in page and texts.CONFIRM_RETRY_UNCERTAIN in page
    token = await csrf_token(client, "/admin/outbox")
    done = await client.post(f"/admin/outbox/{message.id}/retry", data={"csrftoken": token})
    assert done.headers["location"].endswith(f"retried={message.id}")
    with session_factory(console_settings.database_url)() as session:
        again = outbox.get(session=session, message_id=message.id)
        assert again is not None and (again.status, again.attempts) == ("pending", 0)
