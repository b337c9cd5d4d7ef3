"""The intake conversation with the real application and the sandbox."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.cases.clock import utcnow
from bot.cases.models import Case
from bot.context import TiepdanApp
from bot.db import session_scope
from bot.retention.service import Purge, purge
from bot.settings import Settings
from bot.state.models import StoredState
from bot.texts import cases as texts
from tests.handlers.harness import Citizen, buttons

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(64)


async def begin(citizen: Citizen, kind: str) -> dict[str, Any]:
    """/phananh, pick `kind`, agree to both purposes, choose Quang Hanh, give an address."""
    await citizen.send("/phananh")
    ask = await citizen.last()
    assert "Kiến nghị, phản ánh" in ask["text"]
    await citizen.click(ask, f"case:kind:{kind}")
    consent = await citizen.last()
    assert "mục đích 1" in consent["text"]
    await citizen.click(consent, "case:consent:handling:yes")
    await citizen.click(await citizen.last(), "case:consent:notify:yes")
    unit = await citizen.last()
    assert texts.ASK_UNIT in unit["text"]
    await citizen.click(unit, "Phường Quang Hanh")
    assert "Địa chỉ cụ thể" in (await citizen.last())["text"]
    await citizen.send("tổ 7, khu 2")
    return await citizen.last()


def cases(settings: Settings) -> list[Case]:
    with session_scope(settings.database_url) as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


async def test_anonymous_petition_with_photo_and_location(
    citizen: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    await begin(citizen, "phan_anh")
    await citizen.post("location", latitude=21.01, longitude=107.29)
    assert (await citizen.replies(2))[0]["text"] == texts.LOCATION_SAVED
    await citizen.send("x")  # typed text where a button is expected
    replies = await citizen.replies(2)
    assert replies[0]["text"] == texts.USE_BUTTONS
    await citizen.click(replies[-1], "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    await citizen.send("Đèn đường ở tổ 7 bị hỏng")
    part = await citizen.last()
    assert part["text"] == texts.PART_SAVED
    await citizen.send("đã hai tuần nay, tối đi lại rất nguy hiểm")
    await citizen.click(await citizen.last(), "case:done")
    files = await citizen.last()
    assert "ảnh hoặc giấy tờ" in files["text"]
    await citizen.post("photo", content_base64=base64.b64encode(PNG).decode(), file_name="den.png")
    saved = await citizen.last()
    assert "1/10" in saved["text"]
    await citizen.click(saved, "case:done")
    summary = await citizen.last()
    assert "Vui lòng kiểm tra lại" in summary["text"] and "ẩn danh" in summary["text"]
    confirm = next(d for d in buttons(summary).values() if d.startswith("case:confirm:"))
    await citizen.click(summary, confirm)
    receipt = await citizen.last()
    assert "Đã tiếp nhận đơn" in receipt["text"]
    [case] = cases(settings)
    assert case.code.startswith("QH-") and case.code in receipt["text"]
    assert case.anonymous and case.citizen_name is None and case.latitude == 21.01
    assert case.details["content"].startswith("Đèn đường ở tổ 7 bị hỏng\nđã hai tuần")
    assert (settings.var_dir / "attachments").exists()


async def confirm_summary(citizen: Citizen, summary: dict[str, Any]) -> dict[str, Any]:
    """Press "Xác nhận gửi" on `summary`; returns the receipt."""
    await citizen.click(summary, texts.BUTTON_CONFIRM)
    return await citizen.last()


async def test_complaint_with_every_field_edit_and_bad_input(
    citizen: Citizen, settings: Settings
) -> None:
    await begin(citizen, "khieu_nai")
    await citizen.post("sticker")
    replies = await citizen.replies(2)
    assert replies[0]["text"] == texts.NOT_HERE and "vị trí" in replies[1]["text"]
    await citizen.click(replies[1], "case:skip")
    assert texts.ASK_FIELD["name"] in (await citizen.last())["text"]
    for bad, problem in [("😀😀", "no_words"), ("<b>An</b>", "markup"), ("An 123", "name")]:
        await citizen.send(bad)
        replies = await citizen.replies(2)
        assert replies[0]["text"] == texts.PROBLEMS[problem]
        assert texts.ASK_FIELD["name"] in replies[1]["text"]
    await citizen.send("Trần Thị Bình")
    await citizen.last()
    await citizen.send("12345")
    assert (await citizen.replies(2))[0]["text"] == texts.PROBLEMS["phone"]
    await citizen.post("contact", phone_number="+84 912 345 678")
    await citizen.last()
    await citizen.post("voice")
    assert (await citizen.replies(2))[0]["text"] == texts.NOT_HERE
    await citizen.send("0221880012")
    assert (await citizen.replies(2))[0]["text"] == texts.PROBLEMS["id_number"]
    await citizen.send("022188001234")
    await citizen.last()
    await citizen.send("số 5, tổ 3, khu 4, phường Quang Hanh")
    await citizen.last()
    await citizen.send("a" * 4001)
    assert "4000" in (await citizen.replies(2))[0]["text"]
    await citizen.send("Quyết định 45/QĐ-UBND về bồi thường")
    await citizen.send("mức bồi thường thấp hơn giá thị trường")
    await citizen.click((await citizen.replies(2))[-1], "case:done")
    await citizen.send("UBND phường Quang Hanh")
    await citizen.last()
    await citizen.send("31/12/2099")
    assert (await citizen.replies(2))[0]["text"] == texts.PROBLEMS["date_future"]
    await citizen.send("01/11/2026")
    await citizen.last()  # within 90 days: no warning, the request comes next
    await citizen.send("Xem xét lại mức bồi thường")
    assert "ảnh hoặc giấy tờ" in (await citizen.last())["text"]
    await citizen.post(
        "document", content_base64="TVo=", file_name="virus.exe", mime_type="application/x-msdos"
    )
    assert "virus.exe" in (await citizen.last())["text"]
    pdf = "JVBERi0xLjQK"  # "%PDF-1.4\n"
    await citizen.post("document", content_base64=pdf, file_name="quyet-dinh.pdf")
    saved = await citizen.last()
    assert "quyet-dinh.pdf" in saved["text"]
    await citizen.click(saved, "case:done")
    summary = await citizen.last()
    assert "Trần Thị Bình" in summary["text"] and "01/11/2026" in summary["text"]
    await citizen.click(summary, "case:edit")
    edit = await citizen.last()
    await citizen.click(edit, "case:edit:address")
    assert "Địa chỉ cụ thể" in (await citizen.last())["text"]
    await citizen.send("tổ 9, khu 1")
    summary = await citizen.last()
    assert "tổ 9, khu 1" in summary["text"]
    receipt = await confirm_summary(citizen, summary)
    [case] = cases(settings)
    assert case.code in receipt["text"] and case.kind == "khieu_nai"
    assert case.citizen_phone == "0912345678" and case.citizen_id_number == "022188001234"
    assert case.address_detail == "tổ 9, khu 1" and case.details["learnt_on"] == "2026-11-01"
    assert case.details["issuer"] == "UBND phường Quang Hanh" and not case.confidential


async def test_denunciation_with_identity_is_confidential(
    citizen: Citizen, settings: Settings
) -> None:
    ask_location = await begin(citizen, "to_cao")
    await citizen.click(ask_location, "case:skip")
    identity = await citizen.last()
    assert "Luật Tố cáo" in identity["text"]
    await citizen.click(identity, "case:anon:no")
    assert texts.ASK_FIELD["name"] in (await citizen.last())["text"]
    for answer in ["Lê Văn Cường", "0987654321", "034099001122", "thôn Hà Thành, Hải Hòa"]:
        await citizen.send(answer)
        await citizen.last()
    await citizen.send("ông X, cán bộ địa chính")
    await citizen.last()
    await citizen.send("nhận tiền để làm nhanh hồ sơ đất")
    await citizen.click(await citizen.last(), "case:done")
    await citizen.send("tháng 10/2026")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    summary = await citizen.last()
    assert "tố cáo sai sự thật" in summary["text"]
    await confirm_summary(citizen, summary)
    [case] = cases(settings)
    assert case.confidential and not case.anonymous and not case.as_information
    assert case.details == {
        "accused": "ông X, cán bộ địa chính",
        "violation": "nhận tiền để làm nhanh hồ sơ đất",
        "when": "tháng 10/2026",
    }


async def test_cancel_refusal_and_abandon_store_nothing(
    citizen: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    await citizen.send("/phananh")
    await citizen.click(await citizen.last(), "case:kind:phan_anh")
    await citizen.click(await citizen.last(), "case:consent:handling:no")
    assert (await citizen.last())["text"] == texts.CONSENT_REFUSED
    assert bot.user_data[citizen.chat_id] == {}

    await begin(citizen, "phan_anh")
    await citizen.send("/start")
    abandon = await citizen.last()
    assert abandon["text"] == texts.ASK_ABANDON
    await citizen.click(abandon, "case:abandon:no")
    assert "vị trí" in (await citizen.replies(2))[1]["text"]
    await citizen.send("/start")
    await citizen.click(await citizen.last(), "case:abandon:yes")
    assert "Kính chào" in (await citizen.last())["text"]
    assert "case_draft" not in bot.user_data[citizen.chat_id]

    await begin(citizen, "phan_anh")
    await citizen.send("/huy")
    assert (await citizen.last())["text"] == texts.CANCELLED
    await citizen.send("/huy")
    assert (await citizen.last())["text"] == texts.NOTHING_TO_CANCEL
    assert cases(settings) == []


async def test_menu_button_enters_the_flow(citizen: Citizen) -> None:
    await citizen.send("/menu")
    menu = await citizen.last()
    await citizen.click(menu, "complaint_howto")
    assert "loại đơn nào" in (await citizen.last())["text"]


async def test_a_cancelled_drafts_photo_is_purged_but_not_while_the_draft_lives(
    citizen: Citizen, settings: Settings
) -> None:
    await begin(citizen, "phan_anh")
    await citizen.post("location", latitude=21.01, longitude=107.29)
    await citizen.click((await citizen.replies(2))[-1], "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    await citizen.send("Rác đổ trộm ở đầu ngõ")
    await citizen.click(await citizen.last(), "case:done")
    assert "ảnh hoặc giấy tờ" in (await citizen.last())["text"]
    await citizen.post("photo", content_base64=base64.b64encode(PNG).decode(), file_name="rac.png")
    assert "1/10" in (await citizen.last())["text"]
    [stored] = list((settings.var_dir / "attachments").iterdir())
    await until_persisted(settings, stored.name)

    def purge_now() -> Purge:
        with session_scope(settings.database_url) as session:
            return purge(
                session=session,
                var_dir=settings.var_dir,
                question_days=settings.question_retention_days,
                now=utcnow() + timedelta(seconds=1),
                file_grace=timedelta(0),
            )

    assert purge_now().files == 0 and stored.exists()
    await citizen.send("/huy")
    assert (await citizen.last())["text"] == texts.CANCELLED
    await until_persisted(settings, stored.name, present=False)
    assert purge_now() == Purge(questions=0, files=1, bytes=len(PNG))
    assert not stored.exists()


async def until_persisted(settings: Settings, text: str, *, present: bool = True) -> None:
    """Wait until the persisted bot state does (or no longer does) mention `text`."""
    for _ in range(100):
        with session_scope(settings.database_url) as session:
            values = [json.dumps(v) for v in session.scalars(select(StoredState.value))]
        if any(text in value for value in values) == present:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"bot state never {'gained' if present else 'lost'} {text}")
