"""No personal data in the logs: a whole denunciation with identity and a few questions go
through the real bot at LOG_LEVEL=DEBUG, and no log line holds any of the citizen's data
or a token."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.ops.logs import (
    PAYLOAD_LOGGERS,
    URL_LOGGERS,
    JsonFormatter,
    TextFormatter,
    quiet_loggers,
)
from bot.settings import SANDBOX_BOT_TOKEN
from tests.fake_nlu import fake_nlu
from tests.handlers.harness import Citizen, bot_settings, running_bot
from tests.handlers.test_complaint import begin, cases, confirm_summary

RASA_TOKEN = "rasa-secret-51d07e"
FIRST_NAME = "Xuyếnnhi"
NAME = "Phùng Thị Xuyến"
PHONE = "0966 112 233"
ID_NUMBER = "022199887766"
HOME = "số 17 ngõ Hoa Sữa, tổ 4, khu Bình Minh"
ACCUSED = "ông Nguyễn Hữu Quýnh"
VIOLATION = "đòi 7 triệu đồng để ký giấy xác nhận"
KNOWN = "cho hỏi thủ tục đăng ký khai sinh"
QUESTION = "bà Xuyến ở ngõ Hoa Sữa hỏi về việc tranh chấp ranh giới"
# Every value that must never reach a log line (phone digits in any notation).
NEVER_LOGGED = [
    FIRST_NAME, NAME, "Xuyến", "966112233", "966 112 233", ID_NUMBER, "Hoa Sữa", "Quýnh",
    "7 triệu", "tranh chấp ranh giới", SANDBOX_BOT_TOKEN, "sandbox-token", RASA_TOKEN,
]  # fmt: skip


class Keep(logging.Handler):
    """Keeps every record it is given."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def captured(*, quiet: bool = True) -> Iterator[list[logging.LogRecord]]:
    """All records of every logger at LOG_LEVEL=DEBUG, with the levels `configure_logging`
    sets (`quiet`), or with no logger held back."""
    root = logging.getLogger()
    held = [*URL_LOGGERS, *PAYLOAD_LOGGERS]
    saved = (root.level, {name: logging.getLogger(name).level for name in held})
    keep = Keep()
    root.setLevel(logging.DEBUG)
    if quiet:
        quiet_loggers()
    else:
        for name in held:
            logging.getLogger(name).setLevel(logging.NOTSET)
    root.addHandler(keep)
    try:
        yield keep.records
    finally:
        root.removeHandler(keep)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def every_record() -> Iterator[list[logging.LogRecord]]:
    with captured() as records:
        yield records


def leaks(records: list[logging.LogRecord]) -> list[tuple[str, str]]:
    """(value, line) for each value never to be logged that a formatted record holds."""
    lines = [f.format(r) for r in records for f in (JsonFormatter(), TextFormatter())]
    return [(value, line) for line in lines for value in NEVER_LOGGED if value in line]


async def test_no_personal_data_or_token_in_any_log_line(
    tmp_path: Path, sandbox_url: str, every_record: list[logging.LogRecord]
) -> None:
    with contextlib.ExitStack() as nlu:
        nlu_url = nlu.enter_context(fake_nlu({KNOWN: [("khai_sinh", 0.95)]}))
        settings = bot_settings(tmp_path, sandbox_url).model_copy(
            update={"rasa_url": nlu_url, "rasa_token": SecretStr(RASA_TOKEN)}
        )
        async with running_bot(settings):
            citizen = Citizen(sandbox_url, chat_id=8201, first_name=FIRST_NAME)
            await citizen.send(KNOWN)
            await citizen.last()
            await citizen.send(QUESTION)
            await citizen.last()
            await lodge_denunciation(citizen)
            nlu.close()  # the NLU server goes away: its outage is logged
            await citizen.send(QUESTION)
            await citizen.last()
            await citizen.aclose()
    [case] = cases(settings)
    assert (case.citizen_name, case.citizen_id_number) == (NAME, ID_NUMBER)

    assert leaks(every_record) == []
    loggers = {record.name for record in every_record}
    assert "telegram.ext.Application" in loggers and "nlu.client" in loggers, loggers


async def lodge_denunciation(citizen: Citizen) -> None:
    """A denunciation with the citizen's identity, as in tests/handlers/test_complaint.py."""
    await citizen.click(await begin(citizen, "to_cao"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:no")
    await citizen.last()
    for answer in [NAME, PHONE, ID_NUMBER, HOME, ACCUSED]:
        await citizen.send(answer)
        await citizen.last()
    await citizen.send(VIOLATION)
    await citizen.click(await citizen.last(), "case:done")
    await citizen.send("tháng 10/2026")
    await citizen.click(await citizen.last(), "case:done")  # no attachments
    receipt = await confirm_summary(citizen, await citizen.last())
    assert "Đã tiếp nhận đơn" in receipt["text"]


async def test_the_capture_would_see_a_leak(tmp_path: Path, sandbox_url: str) -> None:
    """The control: with PTB's and httpx's loggers open at DEBUG, the same kind of capture
    finds the citizen's text and the token; that is why `configure_logging` holds them."""
    settings = bot_settings(tmp_path, sandbox_url)
    with captured(quiet=False) as records:
        async with running_bot(settings):
            citizen = Citizen(sandbox_url, chat_id=8202, first_name=FIRST_NAME)
            await citizen.send(QUESTION)
            await citizen.last()
            await citizen.aclose()
    found = {value for value, _line in leaks(records)}
    assert {FIRST_NAME, "tranh chấp ranh giới", SANDBOX_BOT_TOKEN} <= found
