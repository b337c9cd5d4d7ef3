"""A stated condition before "thì" and what is asked after it."""

from __future__ import annotations

import pytest

from bot.answering.condition import asked_after_condition


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("bố mẹ chưa đăng ký kết hôn thì có làm được không", "co lam duoc khong"),
        ("bo me chua dang ky ket hon thi co lam duoc ko", "co lam duoc khong"),
        ("đang hưởng lương hưu rồi thì có được nữa không", "co duoc nua khong"),
        ("nếu mất giấy chứng sinh thì sao", "sao"),
        ("thẻ bị hết hạn thì làm lại ở đâu", "lam lai o dau"),
        ("không có hợp đồng thuê nhà thì sao", "sao"),
        # a status stated of a person or household
        ("nhà tôi hộ nghèo thì có phải đóng tiền không", "co phai dong tien khong"),
        ("em la nguoi khuyet tat thi co duoc mien phi ko", "co duoc mien phi khong"),
    ],
)
def test_a_stated_condition_leaves_what_is_asked(text: str, asked: str) -> None:
    assert asked_after_condition(text) == asked


@pytest.mark.parametrize(
    "text",
    [
        "muốn đăng ký kết hôn thì cần gì",  # a wish: "đăng" is no "đang"
        "muon dang ky ket hon thi can gi",  # typed without marks, "dang ky" registers
        "dạ em hỏi thủ tục căn cước thì làm ở đâu",  # "dạ", the polite "yes"
        "mặt bằng kinh doanh thì sao",  # "mặt" is no "mất"
        "chưa đăng ký thì",  # nothing asked
        "muốn đăng ký hộ nghèo thì làm thế nào",  # a status applied for, not stated
        "đăng ký khai sinh cần gì",  # no "thì"
        # the question takes up the condition's words: it asks about what it names
        "ông đang hưởng lương hưu thì báo cắt lương hưu ở đâu",
    ],
)
def test_no_stated_condition(text: str) -> None:
    assert asked_after_condition(text) is None
