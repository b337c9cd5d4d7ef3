"""The admin's unit pages: list and editor; the office answers use a saved change at once."""

from __future__ import annotations

import httpx
import pytest

from bot.db import session_factory
from bot.faq.service import answer_html
from bot.settings import Settings
from bot.texts import admin_pages as texts
from bot.units.models import Unit
from tests.console.conftest import csrf_token, login

QH = {
    "address": "Số 1 đường Quang Hanh, Cẩm Phả",
    "phone": "0203 3862 123",
    "hours": "Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu",
    "reception_schedule": "Chủ tịch tiếp công dân sáng thứ Năm hằng tuần",
    "old_names": "Cẩm Thạch\nCẩm Thủy\nQuang Hanh\n",
    "old_names_in_part": "",
}


def _unit(settings: Settings, code: str) -> Unit:
    with session_factory(settings.database_url)() as session:
        unit = session.get(Unit, code)
        assert unit is not None
        return unit


@pytest.mark.parametrize("username", ["canbo.qh", "lanhdao.qh"])
async def test_only_admins_open_and_save_units(
    client: httpx.AsyncClient, console_settings: Settings, username: str
) -> None:
    await login(client, username)
    assert (await client.get("/admin/units")).status_code == 403
    assert (await client.get("/admin/units/QH")).status_code == 403
    token = await csrf_token(client, "/password")
    posted = await client.post("/admin/units/QH", data={"csrftoken": token, **QH})
    assert posted.status_code == 403
    assert _unit(console_settings, "QH").phone is None


async def test_list_and_editor_show_the_units(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    await login(client, "quantri")
    page = await client.get("/admin/units")
    assert page.status_code == 200
    for code in ("QH", "CP", "CO", "MD", "HH"):
        assert f'href="/admin/units/{code}"' in page.text
    edit = await client.get("/admin/units/HH")
    assert edit.status_code == 200
    assert "Hải Hòa\nCẩm Hải\nCộng Hòa\nHải Lạng</textarea>" in edit.text
    assert "Hải Hòa\nHải Lạng</textarea>" in edit.text
    assert (await client.get("/admin/units/XX")).status_code == 404


async def test_saved_phone_is_in_the_office_answer_at_once(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    await login(client, "quantri")
    token = await csrf_token(client, "/admin/units/QH")
    saved = await client.post(
        "/admin/units/QH", data={"csrftoken": token, **QH}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    page = (await client.get(saved.headers["location"])).text
    unit = _unit(knowledge, "QH")
    assert texts.UNIT_SAVED.format(name=unit.name) in page
    assert (unit.phone, unit.old_names) == (QH["phone"], ["Cẩm Thạch", "Cẩm Thủy", "Quang Hanh"])
    with session_factory(knowledge.database_url)() as session:
        html = answer_html(session=session, intent="gio_lam_viec")
    assert html and QH["phone"] in html and QH["hours"] in html


async def test_values_are_escaped_and_kept_when_refused(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    await login(client, "quantri")
    token = await csrf_token(client, "/admin/units/QH")
    data = {**QH, "address": "Số 1 <script>alert(1)</script>", "old_names_in_part": "Không có"}
    refused = await client.post("/admin/units/QH", data={"csrftoken": token, **data})
    assert refused.status_code == 400
    assert (
        texts.UNIT_PROBLEMS in refused.text and 'id="problem-old_names_in_part-1"' in refused.text
    )
    assert "<script>alert(1)</script>" not in refused.text
    assert 'value="Số 1 &lt;script&gt;alert(1)&lt;/script&gt;"' in refused.text
    assert QH["reception_schedule"] in refused.text
    assert _unit(console_settings, "QH").address != data["address"]
    fine = await client.post(
        "/admin/units/QH", data={"csrftoken": token, **data, "old_names_in_part": ""}
    )
    assert fine.status_code == 303
    listed = (await client.get("/admin/units")).text
    assert "Số 1 &lt;script&gt;alert(1)&lt;/script&gt;" in listed
