"""Regression tests for what the fuzzing of issue 11 found, and the limits it added:
forged buttons, edited messages, files typed by their bytes, per-case and per-day limits,
a disk that refuses a write."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.cases import files
from bot.cases.clock import utcnow
from bot.cases.draft import DRAFT_KEY
from bot.cases.models import Case
from bot.cases.status import CaseStatus
from bot.context import TiepdanApp
from bot.db import session_scope
from bot.settings import Settings
from bot.texts import cases as texts
from tests.factories_cases import add_case
from tests.handlers.harness import Citizen, bot_settings
from tests.handlers.test_complaint import begin

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
PDF = b"%PDF-1.4\n" + bytes(32)
EXE = b"MZ\x90\x00" + bytes(60)


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str) -> Settings:
    limits = {"attachment_max_count": 2, "supplement_max_chars": 50, "cases_per_chat_per_day": 2}
    return bot_settings(tmp_path, sandbox_url).model_copy(update=limits)


def lodge(settings: Settings, *, closed: bool = False, days_ago: int = 0) -> str:
    """A case of chat 7001 with one attachment (the factory's)."""
    with session_scope(settings.database_url) as session:
        case = add_case(session, chat_id=7001, now=utcnow() - timedelta(days=days_ago))
        if closed:
            case.status = CaseStatus.CLOSED.value
        return case.code


def case(settings: Settings, code: str) -> Case:
    with session_scope(settings.database_url) as session:
        found = session.scalars(select(Case).where(Case.code == code)).one()
        _ = found.attachments, found.events
        return found


async def forge(citizen: Citizen, data: str) -> None:
    """Press a button no message carries (a modified client can send any callback data)."""
    if citizen.seen == 0:
        await citizen.send("/start")
        await citizen.last()
    await citizen.post("click", message_id=citizen.seen, data=data, forged=True)


def document(data: bytes, name: str, **extra: Any) -> dict[str, Any]:
    return {"content_base64": base64.b64encode(data).decode(), "file_name": name, **extra}


async def to_attachments(citizen: Citizen) -> None:
    """An anonymous phản ánh up to the attachment step."""
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    await citizen.send("Đèn đường hỏng")
    saved = await citizen.last()
    assert saved["text"] == texts.PART_SAVED
    await citizen.click(saved, "case:done")
    assert "ảnh hoặc giấy tờ" in (await citizen.last())["text"]


async def test_forged_rating_with_a_superscript_digit(
    citizen: Citizen, settings: Settings, bot: TiepdanApp, caplog: pytest.LogCaptureFixture
) -> None:
    # "²".isdigit() is True, int("²") raised: the citizen got the error apology.
    code = lodge(settings, closed=True)
    await forge(citizen, f"case:rate:{code}:²")
    assert (await citizen.last())["text"] == texts.CHOOSE_AGAIN
    assert case(settings, code).rating is None
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_stars_of_another_case_while_a_comment_is_awaited(
    citizen: Citizen, settings: Settings
) -> None:
    # Found by the fuzzer: in the comment state the second case's stars were "stale".
    first, second = lodge(settings, closed=True), lodge(settings, closed=True)
    await forge(citizen, f"case:rate:{first}:4")
    assert "4/5" in (await citizen.last())["text"]
    await forge(citizen, f"case:rate:{second}:2")
    assert "2/5" in (await citizen.last())["text"]
    await citizen.send("Giải quyết chậm")
    assert (await citizen.last())["text"] == texts.RATING_COMMENT_THANKS
    assert (case(settings, first).rating, case(settings, first).rating_comment) == (4, None)
    assert (case(settings, second).rating, case(settings, second).rating_comment) == (
        2,
        "Giải quyết chậm",
    )


async def test_edited_answer_is_not_taken(citizen: Citizen, bot: TiepdanApp) -> None:
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    sent = await citizen.send("Đèn đường ở tổ 7 bị hỏng")
    assert (await citizen.last())["text"] == texts.PART_SAVED
    await citizen.post("edit", message_id=sent["message_id"], text="Nội dung khác hẳn")
    assert (await citizen.last())["text"] == texts.EDIT_NOT_READ
    draft = bot.user_data[7001][DRAFT_KEY]
    assert draft["parts"]["content"] == ["Đèn đường ở tổ 7 bị hỏng"]


async def test_files_are_typed_by_their_bytes(citizen: Citizen, bot: TiepdanApp) -> None:
    await to_attachments(citizen)
    await citizen.post("document", **document(EXE, "quyet-dinh.pdf", mime_type="application/pdf"))
    assert (await citizen.last())["text"] == texts.ATTACHMENT_BAD_TYPE.format(name="quyet-dinh.pdf")
    await citizen.post("document", **document(b"", "trong.png", mime_type="image/png"))
    assert (await citizen.last())["text"] == texts.ATTACHMENT_BAD_TYPE.format(name="trong.png")
    await citizen.post("document", **document(PDF, "scan.bin", mime_type="application/zip"))
    assert "1/2" in (await citizen.last())["text"]
    [stored] = bot.user_data[7001][DRAFT_KEY]["attachments"]
    assert stored["mime_type"] == "application/pdf"


async def test_a_huge_announced_size_is_refused_before_downloading(citizen: Citizen) -> None:
    await to_attachments(citizen)
    await citizen.post("document", **document(PNG, "anh.png", file_size=2**40))
    expected = texts.ATTACHMENT_TOO_BIG.format(name="anh.png", max_mb=10)
    assert (await citizen.last())["text"] == expected


async def test_a_disk_refusing_the_write_keeps_the_draft(
    citizen: Citizen, bot: TiepdanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    await to_attachments(citizen)

    def full_disk(**_: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(files, "store", full_disk)
        await citizen.post("photo", content_base64=base64.b64encode(PNG).decode())
        refused = await citizen.last()
    assert refused["text"] == texts.ATTACHMENT_NOT_SAVED.format(name="ảnh 1")
    assert bot.user_data[7001][DRAFT_KEY]["attachments"] == []
    await citizen.post("photo", content_base64=base64.b64encode(PNG).decode())
    assert "1/2" in (await citizen.last())["text"]  # the same draft, at the same step


async def test_supplements_cannot_reset_the_file_limit(
    citizen: Citizen, settings: Settings
) -> None:
    code = lodge(settings)  # one file already; the limit is two
    for expected in ("Đã nhận", texts.ATTACHMENT_TOO_MANY.format(max_count=2)):
        await forge(citizen, f"case:add:{code}")
        await citizen.last()
        await citizen.post("photo", content_base64=base64.b64encode(PNG).decode())
        reply = await citizen.last()
        assert reply["text"].startswith(expected)
        await citizen.click(reply, "case:done")
        await citizen.last()
    assert len(case(settings, code).attachments) == 2


async def test_supplement_text_has_a_limit(citizen: Citizen, settings: Settings) -> None:
    code = lodge(settings)
    await forge(citizen, f"case:add:{code}")
    await citizen.last()
    await citizen.send("a" * 30)
    assert (await citizen.last())["text"] == texts.SUPPLEMENT_PART_SAVED
    await citizen.send("b" * 30)
    too_long = await citizen.last()
    assert too_long["text"] == texts.SUPPLEMENT_TOO_LONG.format(max_len=50)
    await citizen.click(too_long, "case:done")
    await citizen.last()
    [event] = [e for e in case(settings, code).events if e.kind == "supplement"]
    assert event.text == "a" * 30


async def test_another_supplement_button_mid_way_starts_that_one(
    citizen: Citizen, settings: Settings
) -> None:
    first, second = lodge(settings), lodge(settings, days_ago=2)
    await forge(citizen, f"case:add:{first}")
    await citizen.last()
    await forge(citizen, f"case:add:{second}")
    assert second in (await citizen.last())["text"]


async def test_new_cases_per_day_are_capped(citizen: Citizen, settings: Settings) -> None:
    lodge(settings, days_ago=2)  # outside the last 24 hours: does not count
    lodge(settings)
    await citizen.send("/phananh")
    assert "Kiến nghị, phản ánh" in (await citizen.last())["text"]  # 1 of 2: allowed
    await citizen.send("/huy")
    await citizen.last()
    lodge(settings)
    await citizen.send("/phananh")
    assert (await citizen.last())["text"] == texts.TOO_MANY_CASES.format(count=2)
