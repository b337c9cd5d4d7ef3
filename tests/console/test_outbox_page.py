"""The admin's page of undelivered messages: what failed, why, and "Gửi lại"."""

from __future__ import annotations

import httpx
import pytest

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.service import Purpose
from bot.settings import Settings
from bot.texts import outbox as texts
from tests.console.conftest import csrf_token, login
from tests.factories_cases import add_case


def _queue_troubles(settings: Settings) -> tuple[int, int, int, str]:
    """A failed citizen message on a case, a staff alert waiting after an error, a sent one."""
    with session_factory(settings.database_url)() as session, session.begin():
        case = add_case(session, chat_id=5501)
        failed = outbox.enqueue(session=session, chat_id=5501, text="bí mật", case_id=case.id)
        outbox.mark_attempt_failed(
            session=session, message_id=failed.id, error="forbidden: blocked", permanent=True
        )
        waiting = outbox.enqueue(
            session=session, chat_id=-100, text="cảnh báo", purpose=Purpose.STAFF_ALERT
        )
        outbox.mark_attempt_failed(session=session, message_id=waiting.id, error="TimedOut: x")
        sent = outbox.enqueue(session=session, chat_id=5501, text="đã gửi")
        outbox.mark_sent(session=session, message_id=sent.id)
        return failed.id, waiting.id, sent.id, case.code


def _status(settings: Settings, message_id: int) -> tuple[str, int]:
    with session_factory(settings.database_url)() as session:
        message = outbox.get(session=session, message_id=message_id)
        assert message is not None
        return message.status, message.attempts


async def test_admin_sees_failed_and_waiting_messages_and_retries_one(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    failed, waiting, sent, code = _queue_troubles(console_settings)
    await login(client, "quantri")
    page = await client.get("/admin/outbox")
    assert page.status_code == 200 and 'href="/admin/outbox"' in page.text
    assert f'id="outbox-{failed}"' in page.text and f'id="outbox-{waiting}"' in page.text
    assert f'id="outbox-{sent}"' not in page.text
    assert f'href="/cases/{code}"' in page.text and "forbidden: blocked" in page.text
    assert texts.PURPOSE_LABELS["staff_alert"] in page.text and "TimedOut: x" in page.text
    assert "bí mật" not in page.text  # the message itself is not shown
    token = await csrf_token(client, "/admin/outbox")
    done = await client.post(f"/admin/outbox/{failed}/retry", data={"csrftoken": token})
    assert done.status_code == 303 and done.headers["location"].endswith(f"retried={failed}")
    assert _status(console_settings, failed) == ("pending", 0)
    assert texts.RETRIED.format(id=failed) in (await client.get(done.headers["location"])).text
    again = await client.post(f"/admin/outbox/{sent}/retry", data={"csrftoken": token})
    assert again.headers["location"].endswith(f"missed={sent}")
    assert _status(console_settings, sent) == ("sent", 1)


async def test_retry_needs_the_csrf_token(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    failed, *_ = _queue_troubles(console_settings)
    await login(client, "quantri")
    refused = await client.post(f"/admin/outbox/{failed}/retry", data={})
    assert refused.status_code == 403 and _status(console_settings, failed)[0] == "failed"


@pytest.mark.parametrize("username", ["canbo.qh", "lanhdao.all"])
async def test_only_admins_see_and_retry(
    client: httpx.AsyncClient, console_settings: Settings, username: str
) -> None:
    failed, *_ = _queue_troubles(console_settings)
    await login(client, username)
    assert (await client.get("/admin/outbox")).status_code == 403
    assert 'href="/admin/outbox"' not in (await client.get("/cases")).text
    token = await csrf_token(client, "/password")
    posted = await client.post(f"/admin/outbox/{failed}/retry", data={"csrftoken": token})
    assert posted.status_code == 403 and _status(console_settings, failed)[0] == "failed"
