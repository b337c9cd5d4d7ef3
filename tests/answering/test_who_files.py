"""Who has to file, asked of a procedure: the section that says so, else its documents
(`bot/answering/who_files.py`)."""

from __future__ import annotations

import pytest

from bot.answering.who_files import who_files_aspect
from bot.faq.aspects import Aspect
from bot.faq.knowledge import KnownAnswer
from tests.answering.known import knowledge, known_procedure


def procedure(
    intent: str, *, documents: str, notes: str, legal: str = "Luật Hộ tịch."
) -> KnownAnswer:
    return known_procedure(
        intent,
        ("Giấy tờ cần chuẩn bị", documents),
        ("Nơi nộp", "Trung tâm Phục vụ hành chính công của phường."),
        ("Căn cứ pháp lý", legal),
        ("Lưu ý", notes),
    )


KNOWN = knowledge(
    procedure(
        "ly_lich_tu_phap",
        documents="Tờ khai; nhờ người khác làm thay: văn bản ủy quyền.",
        notes="Phiếu số 2 cấp cho chính người đó.",
    ),
    procedure(
        "ket_hon",
        documents="Tờ khai đăng ký kết hôn; thủ tục thay đổi tên làm riêng.",  # a change
        notes="Hai bên cùng có mặt khi nhận giấy.",
    ),
    procedure(
        "khai_sinh",
        documents="Giấy chứng sinh; tờ khai.",
        notes="Quá hạn 60 ngày vẫn đăng ký được; miễn thuế giữa người thân.",  # no filer
        legal="Người được ủy quyền thực hiện việc đăng ký.",  # the legal basis: never
    ),
)


@pytest.mark.parametrize(
    ("intent", "text", "aspect"),
    [
        ("ly_lich_tu_phap", "nhờ mẹ ở nhà làm hộ được không", Aspect.DOCUMENTS),
        ("ket_hon", "em đi một mình được không", Aspect.NOTES),
        ("ket_hon", "hai ben phai co mat khong", Aspect.NOTES),
        # No section says who files: the documents name who brings what.
        ("khai_sinh", "bố đi làm xa, mẹ đi đăng ký một mình được không", Aspect.DOCUMENTS),
    ],
)
def test_the_section_that_says_who_files_answers(intent: str, text: str, aspect: Aspect) -> None:
    assert who_files_aspect(known=KNOWN, intent=intent, text=text) is aspect


def test_other_questions_and_unknown_procedures_get_none() -> None:
    assert who_files_aspect(known=KNOWN, intent="ket_hon", text="nếu quá hạn thì sao") is None
    assert who_files_aspect(known=KNOWN, intent="giam_ho", text="nhờ người làm thay") is None
