from __future__ import annotations

import pytest

from bot.faq.topic_match import core_phrase, fold_keywords, read_field

TOPICS = [
    ("chinh_sach", fold_keywords(["trợ cấp", "chế độ chính sách"])),
    ("dat_dai", fold_keywords(["đất đai", "nhà đất"])),
]


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("trợ cấp", "tro cap"),
        ("Cho em hỏi về hộ tịch ạ", "ho tich"),
        ("thủ tục đất đai như thế nào", "dat dai"),  # the longer "như thế nào" goes whole
        ("giấy tờ nhà đất", "nha dat"),
        ("đăng ký khai sinh", "khai sinh"),
        ("giấy tờ", ""),
    ],
)
def test_core_phrase_drops_polite_and_question_words(text: str, core: str) -> None:
    assert core_phrase(text) == core


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("trợ cấp", "chinh_sach"),
        ("tro cap", "chinh_sach"),
        ("hỏi về trợ cấp với ạ", "chinh_sach"),
        ("CHẾ ĐỘ CHÍNH SÁCH", "chinh_sach"),
        ("giấy tờ nhà đất", "dat_dai"),
        ("thu tuc dat dai the nao", "dat_dai"),
        # A procedure, or more than the field's name, is left to the NLU.
        ("trợ cấp xã hội", None),
        ("xin trợ cấp cho mẹ già", None),
        ("sang tên nhà đất", None),
        ("", None),
        ("hỏi", None),
    ],
)
def test_only_a_whole_field_name_matches(text: str, topic: str | None) -> None:
    assert read_field(text, TOPICS).topic == topic


def test_keywords_are_folded_and_unique() -> None:
    assert fold_keywords(["Trợ cấp", "tro cap", "  ", "Hộ khẩu"]) == ["ho khau", "tro cap"]


def test_only_generic_words() -> None:
    assert read_field("Giấy tờ", TOPICS).no_field
    assert read_field("cho hỏi thủ tục thế nào ạ", TOPICS).no_field
    assert not read_field("giấy tờ nhà đất", TOPICS).no_field
    assert not read_field("👍", TOPICS).no_field
    assert not read_field("", TOPICS).no_field
