"""Whether a text names another procedure than the one discussed: from the examples."""

from __future__ import annotations

from bot.answering.subject import Vocabulary, ngrams
from nlu.normalize import folded_text

EXAMPLES = {
    "khai_sinh": [
        "đăng ký khai sinh cho con",
        "làm giấy khai sinh mất bao lâu",
        "khai sinh cho bé có mất tiền không",
        "bố mẹ chưa đăng ký kết hôn thì khai sinh cho con thế nào",
        "mất giấy chứng sinh thì khai sinh thế nào",
        "khai sinh quá hạn có bị phạt không",
        "sinh con ở nhà thì khai sinh thế nào",
        "khai sinh cho con ở đâu",
        "giấy chứng sinh bị sai tên",
        "cần giấy chứng sinh bản chính không",
        "khai sinh online trên vneid",
    ],
    "khai_tu": [
        "bố tôi mất làm khai tử",
        "người nhà mất thì khai tử ở đâu",
        "bà mất rồi làm giấy báo tử",
        "khai tử mất bao lâu",
    ],
    "ket_hon": [
        "đăng ký kết hôn cần gì",
        "kết hôn với người nước ngoài",
        "lệ phí đăng ký kết hôn",
        "kết hôn mất bao lâu",
    ],
    "ref_giay_chung_sinh": ["xin giấy chứng sinh ở bệnh viện", "mất giấy chứng sinh cấp lại"],
}


def test_ngrams_are_folded_words_and_pairs() -> None:
    assert folded_text("Kết hôn RỒI!") == "ket hon roi"
    assert ngrams(folded_text("Kết hôn rồi")) == {"ket", "hon", "roi", "ket hon", "hon roi"}


def test_a_procedure_own_words_name_it_after_another() -> None:
    vocabulary = Vocabulary(EXAMPLES)
    assert vocabulary.names_other("còn đăng ký kết hôn thì sao", "ket_hon", "khai_sinh")
    assert vocabulary.names_other("vậy khai tử thì nộp ở đâu", "khai_tu", "ket_hon")


def test_words_every_procedure_uses_name_none() -> None:
    """ "mất" is khai_tu's most (a death), but a wait or a cost in the others' examples."""
    vocabulary = Vocabulary(EXAMPLES)
    assert "mat" not in vocabulary.own["khai_tu"]
    assert not vocabulary.names_other("mất bao lâu thì có giấy", "khai_tu", "ket_hon")
    assert not vocabulary.names_other("có mất tiền không", "khai_tu", "khai_sinh")


def test_words_the_discussed_procedure_often_uses_stay_a_follow_up() -> None:
    vocabulary = Vocabulary(EXAMPLES)
    # "giấy chứng sinh" is another body's paper, and a birth registration's document.
    assert not vocabulary.names_other(
        "nếu mất giấy chứng sinh thì sao", "ref_giay_chung_sinh", "khai_sinh"
    )
    # Once, among many: "kết hôn" still names the marriage after a birth registration.
    assert vocabulary.names_other("thế kết hôn thì cần gì", "ket_hon", "khai_sinh")


def test_an_empty_text_names_nothing_an_intent_without_examples_is_believed() -> None:
    vocabulary = Vocabulary(EXAMPLES)
    assert not vocabulary.names_other("", "ket_hon", "khai_sinh")
    assert vocabulary.names_other("kết hôn", "ket_hon", "khong_co")
    # An intent without examples: only the classifier knows; it is taken at its word.
    assert vocabulary.names_other("mất bao lâu", "khong_co", "khai_sinh")


def test_a_paper_to_bring_names_no_procedure() -> None:
    """ "khai sinh" names the birth registration, unless the citizen asks whether to bring
    the birth certificate."""
    vocabulary = Vocabulary(EXAMPLES)
    assert vocabulary.names_other("còn khai sinh cho con thì sao", "khai_sinh", "ket_hon")
    assert not vocabulary.names_other(
        "có phải mang giấy khai sinh của con không", "khai_sinh", "ket_hon"
    )
