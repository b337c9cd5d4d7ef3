"""A case lodged through the real bot reaches the unit's staff group in the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.context import TiepdanApp
from bot.settings import Settings
from tests.handlers.harness import Citizen, bot_settings
from tests.handlers.test_complaint import begin, cases, confirm_summary

GROUP = -1001234567890
CONSOLE = "https://tiepdan.example.vn"


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str) -> Settings:
    """The handlers' settings, with a staff group for Quang Hanh (QH)."""
    plain = bot_settings(tmp_path, sandbox_url)
    return plain.model_copy(update={"staff_chat_ids": {"QH": GROUP}, "console_public_url": CONSOLE})


@pytest.fixture
async def group(sandbox_url: str, bot: TiepdanApp) -> AsyncIterator[Citizen]:
    """The QH staff group, read through the sandbox's control API."""
    chat = Citizen(sandbox_url, chat_id=GROUP)
    yield chat
    await chat.aclose()


async def test_a_new_petition_is_announced_in_the_units_group(
    citizen: Citizen, group: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    assert {"digest", "digest-catch-up"} <= {job.name for job in bot.job_queue.jobs()}  # type: ignore[union-attr]
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:no")
    await citizen.last()
    for answer in ("Nguyễn Thị Lan", "0912345678"):
        await citizen.send(answer)
        await citizen.last()
    await citizen.send("Cống thoát nước tổ 7 bị tắc, mưa là ngập")
    await citizen.click(await citizen.last(), "case:done")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    receipt = await confirm_summary(citizen, await citizen.last())
    [case] = cases(settings)
    assert case.code in receipt["text"]
    [alert] = await group.replies(1)
    text = alert["plain_text"]
    assert f"Đơn mới: Kiến nghị, phản ánh — mã {case.code}" in text
    assert "Cống thoát nước tổ 7 bị tắc" in text and f"{CONSOLE}/cases/{case.code}" in text
    assert "Nguyễn Thị Lan" not in text and "0912345678" not in text


async def test_a_denunciation_reaches_the_group_by_its_code_only(
    citizen: Citizen, group: Citizen, settings: Settings
) -> None:
    await citizen.click(await begin(citizen, "to_cao"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:no")
    await citizen.last()
    answers = ["Lê Văn Cường", "0987654321", "034099001122", "thôn Hà Thành, Hải Hòa"]
    for answer in [*answers, "ông X, cán bộ địa chính"]:
        await citizen.send(answer)
        await citizen.last()
    await citizen.send("nhận tiền để làm nhanh hồ sơ đất")
    await citizen.click(await citizen.last(), "case:done")
    await citizen.send("tháng 10/2026")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    await confirm_summary(citizen, await citizen.last())
    [case] = cases(settings)
    [alert] = await group.replies(1)
    url = f"{CONSOLE}/cases/{case.code}"
    assert alert["plain_text"] == f"🔔 Tố cáo mới, mã {case.code}, xem trên hệ thống: {url}"
