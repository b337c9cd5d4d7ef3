"""The intake's guards with the real application: private data out of logs, stale and
forged buttons, identity after a change of kind, group chats, local dates."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from bot.cases.models import Case
from bot.cases.service import add_staff_reply, change_status
from bot.cases.status import CaseStatus
from bot.context import TiepdanApp
from bot.db import session_factory, session_scope
from bot.settings import Settings
from bot.texts import cases as texts
from bot.units.models import Unit
from tests.factories_cases import add_case, case_draft
from tests.handlers.harness import Citizen, buttons
from tests.handlers.test_complaint import begin, cases

DENOUNCER = ["Lê Văn Cường", "0987654321", "034099001122", "thôn Hà Thành, Hải Hòa"]


async def named_denunciation_summary(citizen: Citizen) -> dict[str, Any]:
    """A named tố cáo up to its summary."""
    await citizen.click(await begin(citizen, "to_cao"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:no")
    await citizen.last()
    for answer in [*DENOUNCER, "ông X, cán bộ địa chính", "nhận tiền"]:
        await citizen.send(answer)
        reply = await citizen.last()
    await citizen.click(reply, "case:done")  # end of the violation
    await citizen.send("tháng 10/2026")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    return await citizen.last()


async def test_a_failed_insert_logs_none_of_the_denouncers_personal_data(
    citizen: Citizen, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    summary = await named_denunciation_summary(citizen)
    engine: Engine = session_factory(settings.database_url).kw["bind"]

    def broken_insert(*args: Any) -> tuple[str, Any]:
        statement, parameters = args[2], args[3]
        if statement.startswith("INSERT INTO cases "):
            statement = statement.replace("INSERT INTO cases ", "INSERT INTO no_such_table ", 1)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", broken_insert, retval=True)
    caplog.set_level(logging.INFO)
    try:
        await citizen.click(summary, texts.BUTTON_CONFIRM)
        replies = await citizen.replies(2)
    finally:
        event.remove(engine, "before_cursor_execute", broken_insert)
    assert replies[0]["text"].startswith("Xin lỗi ông/bà, hệ thống lưu trữ")
    assert "no_such_table" in caplog.text  # the failure itself was logged ...
    for personal in DENOUNCER:  # ... without the values bound to it
        assert personal not in caplog.text
    assert cases(settings) == []


async def test_a_stale_unit_button_asks_again_and_keeps_the_draft(
    citizen: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    with session_scope(settings.database_url) as session:
        session.add(Unit(code="ZZ", name="Phường Đã Giải Thể", kind="phuong", position=99))
    await citizen.send("/phananh")
    await citizen.click(await citizen.last(), "case:kind:phan_anh")
    await citizen.click(await citizen.last(), "case:consent:handling:yes")
    await citizen.click(await citizen.last(), "case:consent:notify:yes")
    unit_question = await citizen.last()
    assert "case:unit:ZZ" in buttons(unit_question).values()
    with session_scope(settings.database_url) as session:
        session.delete(session.get(Unit, "ZZ"))
    await citizen.click(unit_question, "case:unit:ZZ")
    again, asked = await citizen.replies(2)
    assert again["text"] == texts.CHOOSE_AGAIN and texts.ASK_UNIT in asked["text"]
    assert "case:unit:ZZ" not in buttons(asked).values()
    assert bot.user_data[citizen.chat_id]["case_draft"].get("unit") is None
    # An old button of an earlier question gets the same answer; nothing changes.
    await citizen.click(unit_question, "Phường Quang Hanh")
    assert "Địa chỉ cụ thể" in (await citizen.last())["text"]
    draft = dict(bot.user_data[citizen.chat_id]["case_draft"])
    kinds = await citizen.client.get("/messages", params={"chat_id": citizen.chat_id})
    ask_kind = next(m for m in kinds.json() if "loại đơn nào" in m["text"])
    await citizen.click(ask_kind, "case:kind:to_cao")
    again, asked = await citizen.replies(2)
    assert again["text"] == texts.CHOOSE_AGAIN and "Địa chỉ cụ thể" in asked["text"]
    assert bot.user_data[citizen.chat_id]["case_draft"]["kind"] == draft["kind"] == "phan_anh"


async def test_an_anonymous_petition_edited_into_a_complaint_asks_for_identity(
    citizen: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    await citizen.send("Đèn đường hỏng")
    await citizen.click(await citizen.last(), "case:done")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    await citizen.click(await citizen.last(), "case:edit")
    edit_menu = await citizen.last()
    await citizen.click(edit_menu, "case:edit:kind")
    await citizen.click(await citizen.last(), "case:kind:khieu_nai")
    assert texts.ASK_FIELD["name"] in (await citizen.last())["text"]
    assert bot.user_data[citizen.chat_id]["case_draft"]["anonymous"] is None
    # The old edit menu is stale now: the same question again, the draft unchanged.
    await citizen.click(edit_menu, "case:edit:content")
    again, asked = await citizen.replies(2)
    assert again["text"] == texts.CHOOSE_AGAIN and texts.ASK_FIELD["name"] in asked["text"]
    assert bot.user_data[citizen.chat_id]["case_draft"]["fields"] == {"content": "Đèn đường hỏng"}
    assert cases(settings) == []


async def test_in_a_group_case_commands_and_buttons_only_say_write_privately(
    sandbox_url: str, settings: Settings, bot: TiepdanApp
) -> None:
    with session_scope(settings.database_url) as session:
        add_case(session, chat_id=-5001)  # lodged from the group before this fix
    group = Citizen(sandbox_url, chat_id=-5001)
    try:
        for command in ("/phananh", "/tracuu", "/quyenriengtu", "/tracuu QH-2611-0001"):
            await group.post("send", text=command, chat_type="group")
            assert (await group.last())["text"] == texts.PRIVATE_ONLY
        await group.post("send", text="/menu", chat_type="group")
        menu = await group.last()
        await group.post("click", message_id=menu["message_id"], data="complaint_howto")
        assert (await group.last())["text"] == texts.PRIVATE_ONLY
        assert "case_draft" not in bot.user_data.get(5001, {})
    finally:
        await group.aclose()


async def test_tracuu_shows_the_local_date_and_the_latest_public_update(
    citizen: Citizen, settings: Settings
) -> None:
    late_evening = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 06:30 on 21/11 at the office
    with session_scope(settings.database_url) as session:
        code = add_case(session, now=late_evening).code
    await citizen.send(f"/tracuu {code}")
    detail = (await citizen.last())["text"]
    assert "Ngày nhận: 21/11/2026" in detail and "Cập nhật mới nhất" not in detail
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        add_staff_reply(session=session, case_id=case.id, text="Đã cử cán bộ <xem>", actor="s")
        change_status(session=session, case_id=case.id, status=CaseStatus.ACCEPTED, actor="s")
    await citizen.send(f"/tracuu {code}")
    detail = (await citizen.last())["text"]
    assert "Cập nhật mới nhất: Đã cử cán bộ &lt;xem&gt;" in detail


async def test_a_long_privacy_view_comes_whole_in_several_messages(
    citizen: Citizen, settings: Settings
) -> None:
    with session_scope(settings.database_url) as session:
        codes = [
            add_case(session, draft=case_draft(content=f"<{n}> " + "đèn hỏng & ngập " * 40)).code
            for n in range(15)
        ]
    await citizen.send("/quyenriengtu")
    await citizen.click(await citizen.last(), texts.BUTTON_PRIVACY_VIEW)
    parts = await citizen.replies(2)
    text = "\n".join(part["text"] for part in parts)
    assert len(parts) == 2 and all(len(part["plain_text"]) <= 4096 for part in parts)
    assert all(code in text for code in codes) and "&lt;14&gt;" in text
    assert "Yêu cầu xem dữ liệu đã được ghi lại" in parts[-1]["text"]
