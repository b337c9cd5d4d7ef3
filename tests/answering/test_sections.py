"""Which section of a procedure's answer speaks of what a question mentions
(`bot/answering/sections.py`)."""

from __future__ import annotations

from bot.answering.sections import SectionIndex
from bot.faq.aspects import Aspect
from bot.faq.knowledge import KnownAnswer
from tests.answering.known import knowledge, known_procedure


def procedure(intent: str, documents: str, notes: str) -> KnownAnswer:
    return known_procedure(
        intent,
        ("Giấy tờ cần chuẩn bị", documents),
        ("Nơi nộp", f"Công an phường nơi ông/bà ở ({intent})."),
        ("Lệ phí", f"Mức thu {intent} theo quy định."),
        ("Lưu ý", notes),
    )


KNOWN = knowledge(
    procedure(
        "tam_tru",
        "Tờ khai CT01; hợp đồng thuê nhà, thuê phòng trọ.",
        "Gia hạn trước khi hết thời hạn tạm trú.",
    ),
    procedure("khai_sinh", "Giấy chứng sinh; tờ khai.", "Quá hạn 60 ngày vẫn đăng ký được."),
    procedure("khai_tu", "Giấy báo tử của bệnh viện.", "Người thân đi đăng ký thay."),
    procedure("ket_hon", "Giấy xác nhận tình trạng hôn nhân.", "Hai bên cùng có mặt."),
    procedure("giam_ho", "Văn bản cử người giám hộ.", "Người giám hộ đủ điều kiện."),
)


def test_the_section_that_speaks_of_the_question_s_words_answers_it() -> None:
    index = SectionIndex(KNOWN)
    assert index.speaking_of("tam_tru", "chủ trọ không chịu làm hợp đồng thì sao") is (
        Aspect.DOCUMENTS
    )
    assert index.speaking_of("tam_tru", "sắp hết thời hạn rồi thì gia hạn thế nào") is (
        Aspect.NOTES
    )


def test_function_words_alone_name_no_section() -> None:
    index = SectionIndex(KNOWN)
    assert index.speaking_of("tam_tru", "thế thì làm sao được ạ") is None
    assert index.speaking_of("tam_tru", "mẹ không đi lại được thì sao") is None
    assert index.speaking_of("khong_co", "hợp đồng thuê nhà") is None
