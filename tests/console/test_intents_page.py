"""The admin's intent pages: list, editor with Telegram preview, create, delete; admins only."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from bot.db import session_factory
from bot.faq.models import FaqAnswer, FaqExample
from bot.faq.service import answer_html
from bot.settings import Settings
from bot.texts import admin_pages as texts
from tests.console.conftest import csrf_token, login

EXAMPLES = [
    "tôi muốn hỏi về chó mèo thả rông",
    "nuôi chó có phải đăng ký không",
    "chó cắn người thì báo ở đâu",
    "hàng xóm thả chó ra đường",
    "tiêm phòng dại cho chó ở đâu",
]


def _form(token: str, **fields: str) -> dict[str, str]:
    """The editor's fields for a small valid intent, overridden by `fields`."""
    values = {
        "csrftoken": token,
        "title": "Nuôi chó, mèo",
        "topic_id": "thu_tuc_khac",
        "summary": "Quy định về nuôi chó, mèo.",
        "section-1-label": "Cần làm gì",
        "section-1-text": "- Tiêm phòng dại hằng năm\n- Không thả rông",
        "source_url": "https://dichvucong.gov.vn/",
        "checked_on": "2026-11-30",
        "active": "1",
        "examples": "\n".join(EXAMPLES),
    }
    values.update(fields)
    return values


async def _admin(client: httpx.AsyncClient) -> str:
    """Log in as the admin; the CSRF token of the editor's forms."""
    await login(client, "quantri")
    return await csrf_token(client, "/admin/intents/khai_sinh")


def _bubble(html: str) -> str:
    """The preview's message bubble."""
    bubble = re.search(r'<div class="tg-bubble">(.*?)</div>', html, re.S)
    assert bubble, "no preview on the page"
    return bubble.group(1)


def _answer(settings: Settings, intent: str) -> FaqAnswer | None:
    with session_factory(settings.database_url)() as session:
        return session.get(FaqAnswer, intent)


@pytest.mark.parametrize("username", ["canbo.qh", "lanhdao.qh"])
async def test_only_admins_open_the_pages_and_act(
    client: httpx.AsyncClient, knowledge: Settings, username: str
) -> None:
    await login(client, username)
    for path in ("/admin/intents", "/admin/intents/new", "/admin/intents/khai_sinh"):
        assert (await client.get(path)).status_code == 403, path
    token = await csrf_token(client, "/password")
    posts = {
        "/admin/intents/khai_sinh": {**_form(token), "save": "1"},
        "/admin/intents/new": {**_form(token, intent="nuoi_cho"), "save": "1"},
        "/admin/intents/khai_sinh/delete": {"csrftoken": token, "confirmed": "1"},
    }
    for path, data in posts.items():
        assert (await client.post(path, data=data)).status_code == 403, path
    assert _answer(knowledge, "khai_sinh") is not None
    assert _answer(knowledge, "nuoi_cho") is None


async def test_list_shows_figures_filters_by_topic_and_searches_without_diacritics(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    await login(client, "quantri")
    page = await client.get("/admin/intents")
    assert page.status_code == 200
    assert texts.INTENTS_NEW in page.text and 'href="/admin/intents/khai_sinh"' in page.text
    assert "Giờ làm việc của bộ phận một cửa" in page.text
    by_topic = (await client.get("/admin/intents", params={"topic": "chung_thuc"})).text
    assert "/admin/intents/chung_thuc_ban_sao" in by_topic
    assert "/admin/intents/khai_sinh" not in by_topic
    folded = (await client.get("/admin/intents", params={"q": "gio lam viec"})).text
    assert "/admin/intents/gio_lam_viec" in folded and "/admin/intents/khai_sinh" not in folded


async def test_editor_shows_the_answer_as_telegram_would(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    await login(client, "quantri")
    page = await client.get("/admin/intents/gio_lam_viec")
    assert page.status_code == 200
    assert 'value="Giờ làm việc của bộ phận một cửa"' in page.text
    assert "<b>GIỜ LÀM VIỆC CỦA BỘ PHẬN MỘT CỬA</b>" in _bubble(page.text)
    assert re.search(r"Độ dài: \d+ / 4096 ký tự", page.text)
    assert "Làm việc từ thứ Hai" in page.text  # the section text in its textarea
    assert (await client.get("/admin/intents/khong_co")).status_code == 404


async def test_preview_escapes_and_does_not_save(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    token = await _admin(client)
    data = _form(
        token,
        title="Khai sinh <i>mới</i>",
        **{"section-1-text": "Mang theo <script>alert(1)</script> giấy tờ"},
        preview="1",
    )
    page = await client.post("/admin/intents/khai_sinh", data=data)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert ">Mang theo &lt;script&gt;alert(1)&lt;/script&gt; giấy tờ</textarea>" in page.text
    bubble = _bubble(page.text)
    assert "KHAI SINH &lt;I&gt;MỚI&lt;/I&gt;" in bubble
    assert "Mang theo &lt;script&gt;alert(1)&lt;/script&gt; giấy tờ" in bubble
    assert texts.PREVIEW_NOTE in page.text
    answer = _answer(knowledge, "khai_sinh")
    assert answer is not None and "script" not in str(answer.sections)


async def test_too_long_answer_is_flagged_in_the_preview(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    token = await _admin(client)
    long_text = "Giấy tờ cần mang theo khi đi đăng ký. " * 120
    page = await client.post(
        "/admin/intents/khai_sinh",
        data=_form(token, **{"section-1-text": long_text}, preview="1"),
    )
    assert "too-long" in page.text and "vượt giới hạn 4096" in page.text
    refused = await client.post(
        "/admin/intents/khai_sinh", data=_form(token, **{"section-1-text": long_text}, save="1")
    )
    assert refused.status_code == 400 and long_text.strip() in refused.text


async def test_saved_answer_is_live_at_once(client: httpx.AsyncClient, knowledge: Settings) -> None:
    token = await _admin(client)
    stored = (await client.get("/admin/intents/khai_sinh")).text
    examples = re.search(r'<textarea name="examples"[^>]*>(.*?)</textarea>', stored, re.S)
    assert examples
    data = _form(
        token,
        title="Đăng ký khai sinh",
        topic_id="ho_tich",
        **{
            "section-1-text": "Mang theo giấy chứng sinh bản chính.",
            "section-2-label": "Mục thừa",
            "section-2-text": "Sẽ bị xoá",
            "section-2-remove": "1",
        },
        examples=examples.group(1).replace("&#39;", "'") + "\nem bé mới sinh làm giấy tờ gì ạ",
        save="1",
    )
    saved = await client.post("/admin/intents/khai_sinh", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/admin/intents/khai_sinh?done=saved"
    page = (await client.get(saved.headers["location"])).text
    assert texts.INTENT_NOTICES["saved"] in page
    with session_factory(knowledge.database_url)() as session:
        html = answer_html(session=session, intent="khai_sinh")
        assert html and "Mang theo giấy chứng sinh bản chính." in html and "Mục thừa" not in html
        texts_now = session.scalars(
            select(FaqExample.text).where(FaqExample.intent == "khai_sinh")
        ).all()
        assert "em bé mới sinh làm giấy tờ gì ạ" in texts_now


async def test_refused_save_keeps_every_typed_value(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    token = await _admin(client)
    data = _form(
        token,
        title="Khai sinh (đang sửa)",
        examples="chỉ một câu mẫu\n" + "tôi muốn đăng ký khai sinh cho con",
        save="1",
    )
    page = await client.post("/admin/intents/khai_sinh", data=data, follow_redirects=False)
    assert page.status_code == 400
    assert texts.PROBLEMS_INTRO in page.text and 'class="error field-error"' in page.text
    assert 'value="Khai sinh (đang sửa)"' in page.text
    assert "chỉ một câu mẫu" in page.text and "Tiêm phòng dại hằng năm" in page.text
    bad_date = await client.post(
        "/admin/intents/khai_sinh", data=_form(token, checked_on="31/02/2026", save="1")
    )
    assert bad_date.status_code == 400 and texts.BAD_DATE in bad_date.text
    answer = _answer(knowledge, "khai_sinh")
    assert answer is not None and answer.title != "Khai sinh (đang sửa)"


async def test_near_duplicate_examples_name_the_other_intent(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    await login(client, "quantri")
    token = await csrf_token(client, "/admin/intents/new")
    with session_factory(knowledge.database_url)() as session:
        taken = session.scalars(
            select(FaqExample.text).where(FaqExample.intent == "ket_hon").limit(1)
        ).one()
    data = _form(token, intent="nuoi_cho", examples="\n".join([*EXAMPLES, taken.upper()]))
    page = await client.post("/admin/intents/new", data={**data, "preview": "1"})
    assert page.status_code == 200
    other = _answer(knowledge, "ket_hon")
    assert other is not None
    problems = re.findall(r'id="problem-examples-\d+"[^>]*>([^<]*)<', page.text)
    assert any(other.title in p for p in problems), problems
    refused = await client.post("/admin/intents/new", data={**data, "save": "1"})
    assert refused.status_code == 400 and _answer(knowledge, "nuoi_cho") is None


async def test_admin_creates_then_deletes_an_intent(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    await login(client, "quantri")
    new = await client.get("/admin/intents/new")
    assert new.status_code == 200 and 'name="intent"' in new.text
    token = await csrf_token(client, "/admin/intents/new")
    created = await client.post(
        "/admin/intents/new",
        data=_form(token, intent="nuoi_cho", save="1"),
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"] == "/admin/intents/nuoi_cho?done=created"
    listed = (await client.get("/admin/intents", params={"q": "nuoi cho"})).text
    assert "/admin/intents/nuoi_cho" in listed
    with session_factory(knowledge.database_url)() as session:
        assert "Tiêm phòng dại hằng năm" in (answer_html(session=session, intent="nuoi_cho") or "")
    again = await client.post("/admin/intents/new", data=_form(token, intent="nuoi_cho", save="1"))
    assert again.status_code == 400
    deleted = await client.post(
        "/admin/intents/nuoi_cho/delete",
        data={"csrftoken": token, "confirmed": "1"},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert _answer(knowledge, "nuoi_cho") is None
    gone = await client.post("/admin/intents/nuoi_cho/delete", data={"csrftoken": token})
    assert gone.status_code == 404


async def test_deleting_an_intent_in_use_asks_again(
    client: httpx.AsyncClient, knowledge: Settings
) -> None:
    token = await _admin(client)
    asked = await client.post(
        "/admin/intents/khai_sinh/delete", data={"csrftoken": token}, follow_redirects=False
    )
    assert asked.status_code == 200
    assert texts.DELETE_REFERENCES in asked.text and 'name="confirmed" value="1"' in asked.text
    assert "Hộ tịch (khai sinh, kết hôn, khai tử…)" in asked.text  # its topic
    assert _answer(knowledge, "khai_sinh") is not None
    done = await client.post(
        "/admin/intents/khai_sinh/delete",
        data={"csrftoken": token, "confirmed": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/admin/intents?done=deleted"
    assert _answer(knowledge, "khai_sinh") is None
