"""Office hours or an address asked of another place (`bot/answering/elsewhere.py`)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot import texts
from bot.answering.elsewhere import asks_about_elsewhere
from bot.answering.service import Action, Thresholds, decide
from tests.factories import parse_result


@pytest.mark.parametrize(
    "text",
    [
        "ngân hàng thứ 7 có làm việc không",
        "bưu điện mấy giờ mở cửa",
        "lich tiep khach cua phong kham nha khoa chu nhat co lam ko",
        "nhà trường mấy giờ tan",
        "siêu thị ở đâu",
    ],
)
def test_another_place_s_hours_or_address_are_not_the_ward_s(text: str) -> None:
    assert asks_about_elsewhere("gio_lam_viec", text)
    assert asks_about_elsewhere("dia_chi_mot_cua", text)


@pytest.mark.parametrize(
    "text",
    [
        "phường thứ bảy có làm việc không",
        "tôi làm ở ngân hàng, phường thứ 7 có làm việc không",  # the ward asked about
        "giờ làm việc của bộ phận một cửa",
        "ubnd phuong mo cua luc may gio",
        "cho hỏi giờ làm việc",  # "cho" is no "chợ"
    ],
)
def test_the_ward_s_office_is_ours(text: str) -> None:
    assert not asks_about_elsewhere("gio_lam_viec", text)


def test_only_the_office_answers_are_checked() -> None:
    assert not asks_about_elsewhere("khai_sinh", "bệnh viện cấp giấy chứng sinh rồi")
    assert not asks_about_elsewhere(None, "ngân hàng thứ 7 có làm việc không")


def test_decide_declines_another_place_s_hours_however_sure(session: Session) -> None:
    parse = parse_result(("gio_lam_viec", 0.99), ("out_of_scope", 0.005))
    decision = decide(
        session=session,
        text="ngân hàng thứ 7 có làm việc không",
        parse=parse,
        thresholds=Thresholds(confident=0.6, ratio=2.0),
    )
    assert (decision.action, decision.reply) == (Action.FALLBACK, texts.OUT_OF_SCOPE)
