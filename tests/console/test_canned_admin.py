"""The admin's canned replies page: list, add, edit, deactivate; admins only."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from bot.cases.models import CannedReply
from bot.db import session_factory
from bot.settings import Settings
from bot.texts import case_page as texts
from tests.console.conftest import csrf_token, login


async def test_only_admins_open_the_page(client: httpx.AsyncClient) -> None:
    await login(client, "lanhdao.all")
    assert (await client.get("/admin/canned")).status_code == 403


async def test_admin_adds_edits_and_deactivates_a_reply(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    await login(client, "quantri")
    token = await csrf_token(client, "/admin/canned")
    empty = await client.post(
        "/admin/canned", data={"csrftoken": token, "title": "", "text": "Nội dung <b>mẫu</b>"}
    )
    assert empty.status_code == 400
    assert "Vui lòng nhập tên mẫu" in empty.text and "Nội dung &lt;b&gt;mẫu&lt;/b&gt;" in empty.text
    added = await client.post(
        "/admin/canned",
        data={
            "csrftoken": token,
            "title": "Đã nhận đơn",
            "text": "Chúng tôi đã nhận đơn.",
            "kind": "phan_anh",
            "status": "",
            "active": "1",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = (await client.get(added.headers["location"])).text
    assert texts.CANNED_SAVED in page and "Đã nhận đơn" in page
    canned_id = re.search(r"/admin/canned\?edit=(\d+)", page)
    assert canned_id
    edit = (await client.get(f"/admin/canned?edit={canned_id.group(1)}")).text
    assert 'value="Đã nhận đơn"' in edit
    edited = await client.post(
        "/admin/canned",
        data={
            "csrftoken": token,
            "canned_id": canned_id.group(1),
            "title": "Đã nhận",
            "text": "Chúng tôi đã nhận đơn của ông/bà.",
            "active": "1",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    off = await client.post(
        f"/admin/canned/{canned_id.group(1)}/deactivate",
        data={"csrftoken": token},
        follow_redirects=False,
    )
    assert off.status_code == 303
    with session_factory(console_settings.database_url)() as session:
        row = session.scalars(select(CannedReply)).one()
        assert (row.title, row.kind, row.active, row.updated_by) == (
            "Đã nhận",
            None,
            False,
            "staff:quantri",
        )
