"""Lodging and following cases end to end: the real `tiepdan run`, Rasa, sandbox and database."""

from __future__ import annotations

import base64
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bot.cases.service import add_staff_reply, change_status
from bot.cases.status import CaseStatus
from bot.texts import cases as texts
from tests.e2e.intake import answer, last, press, stored_cases, summary_confirm, through_where
from tests.e2e.stack import Citizen, Stack, buttons
from tests.factories_cases import add_case

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(64)
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(scope="module")
def cases_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One `tiepdan run` with the real Rasa server for this module."""
    with Stack(workdir=tmp_path_factory.mktemp("cases")).running() as running:
        yield running


def test_nlu_complaint_offers_the_flow_anonymous_petition_with_photo_and_location(
    cases_stack: Stack,
) -> None:
    citizen = Citizen(cases_stack, chat_id=3001)
    offer = answer(citizen, "đèn đường khu 3 hỏng cả tháng không ai sửa")
    assert buttons(offer).get(texts.BUTTON_START) == "case:start", offer
    ask_kind = press(citizen, offer, "case:start")
    ask_location = through_where(citizen, ask_kind, "phan_anh")
    citizen.post("location", latitude=21.0105, longitude=107.2951)
    saved, identity = citizen.replies(2)
    assert saved["text"] == texts.LOCATION_SAVED
    ask_content = press(citizen, identity, "case:anon:yes")
    assert texts.ASK_FIELD["content"] in ask_content["text"]
    answer(citizen, "Đèn đường đầu ngõ tổ 7 hỏng từ đầu tháng")
    files = press(citizen, answer(citizen, "tối đi lại rất nguy hiểm"), "case:done")
    citizen.post("photo", content_base64=base64.b64encode(PNG).decode(), file_name="den.png")
    summary = press(citizen, last(citizen), "case:done")
    assert texts.ANONYMOUS in summary["text"] and "1 tệp" in summary["text"]
    del files, ask_location
    receipt = summary_confirm(citizen, summary)
    [case] = [c for c in stored_cases(cases_stack) if c.chat_id == 3001]
    assert case.code.startswith("QH-") and case.code in receipt["text"]
    assert case.anonymous and case.citizen_name is None and case.latitude == 21.0105
    assert case.attachments[0].mime_type == "image/png" and case.attachments[0].size == len(PNG)
    stored = cases_stack.workdir / "var" / "attachments" / case.attachments[0].sha256
    assert stored.read_bytes() == PNG


def test_complaint_with_every_field_edit_and_duplicate_confirm(cases_stack: Stack) -> None:
    citizen = Citizen(cases_stack, chat_id=3002)
    ask_kind = answer(citizen, "/phananh")
    ask_location = through_where(citizen, ask_kind, "khieu_nai")
    assert texts.ASK_FIELD["name"] in press(citizen, ask_location, "case:skip")["text"]
    answer(citizen, "<i>Bình</i>")  # markup in a name: refused, same step
    answer(citizen, "Trần Thị Bình")
    citizen.post("contact", phone_number="+84912345678")
    assert texts.ASK_FIELD["id_number"] in last(citizen)["text"]
    answer(citizen, "022188001234")
    answer(citizen, "số 5, tổ 3, khu 4, phường Quang Hanh")
    answer(citizen, "Quyết định 45/QĐ-UBND ngày 1/7/2026 về bồi thường khi thu hồi đất")
    issuer = press(citizen, answer(citizen, "mức bồi thường thấp hơn giá thị trường"), "case:done")
    assert texts.ASK_FIELD["issuer"] in issuer["text"]
    answer(citizen, "UBND phường Quang Hanh")
    citizen.send("15/07/2026")
    late, ask_request = citizen.replies(2)
    assert "90 ngày" in late["text"]
    answer(citizen, "Xem xét lại mức bồi thường")
    citizen.post("document", content_base64=base64.b64encode(PDF).decode(), file_name="qd.pdf")
    summary = press(citizen, last(citizen), "case:done")
    edit = press(citizen, summary, "case:edit")
    ask_issuer = press(citizen, edit, "case:edit:issuer")
    assert texts.ASK_FIELD["issuer"] in ask_issuer["text"]
    summary = answer(citizen, "Chủ tịch UBND phường Quang Hanh")
    assert "Chủ tịch UBND phường Quang Hanh" in summary["text"]
    del ask_request
    data = buttons(summary)[texts.BUTTON_CONFIRM]
    citizen.click(summary["message_id"], data)
    citizen.click(summary["message_id"], data)  # a double tap
    first, second = citizen.replies(2)
    mine = [c for c in stored_cases(cases_stack) if c.chat_id == 3002]
    assert len(mine) == 1
    case = mine[0]
    assert case.code in first["text"] and case.code in second["text"]
    assert case.kind == "khieu_nai" and case.citizen_id_number == "022188001234"
    assert case.details["issuer"] == "Chủ tịch UBND phường Quang Hanh"
    assert case.attachments[0].original_name == "qd.pdf"


def test_denunciation_with_identity_and_the_cancel_paths(cases_stack: Stack) -> None:
    citizen = Citizen(cases_stack, chat_id=3003)
    ask_location = through_where(citizen, answer(citizen, "/phananh"), "to_cao")
    identity = press(citizen, ask_location, "case:skip")
    assert "Luật Tố cáo" in identity["text"]
    press(citizen, identity, "case:anon:no")
    for text in ["Lê Văn Cường", "0987654321", "034099001122", "thôn Hà Thành, xã Hải Hòa"]:
        answer(citizen, text)
    answer(citizen, "ông X, cán bộ địa chính phường")
    press(citizen, answer(citizen, "nhận tiền để làm nhanh hồ sơ đất"), "case:done")
    summary = press(citizen, answer(citizen, "tháng 10/2026"), "case:done")
    summary_confirm(citizen, summary)
    [case] = [c for c in stored_cases(cases_stack) if c.chat_id == 3003]
    assert case.confidential and case.kind == "to_cao" and case.citizen_name == "Lê Văn Cường"

    ask_kind = answer(citizen, "/phananh")
    through_where(citizen, ask_kind, "phan_anh")
    assert answer(citizen, "/huy")["text"] == texts.CANCELLED
    summary_cancel = press(citizen, answer(citizen, "/phananh"), "case:kind:phan_anh")
    refused = press(citizen, summary_cancel, "case:consent:handling:no")
    assert refused["text"] == texts.CONSENT_REFUSED
    assert len([c for c in stored_cases(cases_stack) if c.chat_id == 3003]) == 1


def test_tracuu_own_and_foreign_code_and_a_notification(cases_stack: Stack) -> None:
    owner = Citizen(cases_stack, chat_id=3005)
    stranger = Citizen(cases_stack, chat_id=3006)
    assert answer(owner, "/tracuu")["text"] == texts.NO_CASES
    engine = create_engine(cases_stack.database_url)
    with Session(engine) as session, session.begin():
        case = add_case(session, chat_id=3005)
        case_id, code = case.id, case.code
    engine.dispose()
    detail = answer(owner, f"/tracuu {code}")
    assert f"Đơn {code}" in detail["text"]
    assert texts.STATUS_LABELS["received"] in detail["text"]
    foreign = answer(stranger, f"/tracuu {code}")
    assert foreign["text"] == texts.CASE_NOT_FOUND.format(code=code)

    engine = create_engine(cases_stack.database_url)
    with Session(engine) as session, session.begin():
        change_status(
            session=session,
            case_id=case_id,
            status=CaseStatus.ACCEPTED,
            actor="staff:e2e",
            public_note="Đã giao tổ dân phố kiểm tra.",
        )
        add_staff_reply(session=session, case_id=case_id, text="Sẽ thay đèn.", actor="staff:e2e")
    engine.dispose()
    notice, reply = owner.replies(2, timeout=15)
    assert texts.STATUS_LABELS["accepted"] in notice["text"] and code in notice["text"]
    assert "Sẽ thay đèn." in reply["text"]


@pytest.fixture
def plain_stack(hung_rasa: int, tmp_path: Path) -> Iterator[Stack]:
    """The bot and sandbox without NLU, for flows that need no understanding."""
    stack = Stack(workdir=tmp_path / "restart", args=["--no-rasa"], rasa_port=hung_rasa)
    with stack.running(ready_timeout=60) as running:
        yield running


def kill(stack: Stack) -> None:
    """SIGKILL the bot process, as a crash or an OOM kill would."""
    assert stack.process is not None
    stack.process.send_signal(signal.SIGKILL)
    stack.process.wait(10)
    log_file = getattr(stack, "_log_file", None)
    if log_file is not None:
        log_file.close()


def test_killed_mid_flow_the_bot_resumes_after_restart(plain_stack: Stack) -> None:
    citizen = Citizen(plain_stack, chat_id=3101)
    ask_kind = answer(citizen, "/phananh")
    consent = press(citizen, ask_kind, "case:kind:phan_anh")
    unit = press(
        citizen, press(citizen, consent, "case:consent:handling:yes"), "case:consent:notify:yes"
    )
    address = press(citizen, unit, "case:unit:MD")
    assert "Địa chỉ cụ thể" in address["text"]
    kill(plain_stack)  # no clean shutdown, no final flush
    plain_stack.start(ready_timeout=60)
    citizen = Citizen(plain_stack, chat_id=3101)  # a fresh sandbox: message ids start over
    location = answer(citizen, "khu 5, đường 3/2")
    assert texts.ASK_LOCATION in location["text"]
    identity = press(citizen, location, "case:skip")
    press(citizen, identity, "case:anon:yes")
    files = press(citizen, answer(citizen, "Bụi than bay vào nhà"), "case:done")
    summary = press(citizen, files, "case:done")
    assert "Phường Mông Dương" in summary["text"] and "khu 5, đường 3/2" in summary["text"]
    summary_confirm(citizen, summary)
    [case] = stored_cases(plain_stack)
    assert case.code.startswith("MD-") and case.address_detail == "khu 5, đường 3/2"
