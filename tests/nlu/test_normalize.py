from __future__ import annotations

import pytest

from nlu.normalize import (
    folded_text,
    has_diacritics,
    model_text,
    normalize,
    place_tone,
    strip_diacritics,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoà Bình", "hòa bình")],
)
def test_normalize_unifies_tone_placement(old: str, new: str) -> None:
    assert normalize(old) == normalize(new)


def test_normalize_composes_decomposed_unicode() -> None:
    decomposed = "khai sinh cho con go\u0301i"  # 'gói' typed with a combining acute
    assert normalize(decomposed) == normalize("khai sinh cho con gói")
    assert "\u0301" not in normalize(decomposed)


def test_normalize_lowercases_and_collapses_punctuation_and_spaces() -> None:
    assert normalize("  Thủ tục   KHAI SINH???  ") == "thủ tục khai sinh"


def test_normalize_expands_chat_abbreviations() -> None:
    assert normalize("ko biet lam gks ntn, sdt bn?") == (
        "không biet lam giấy khai sinh như thế nào số điện thoại bao nhiêu"
    )


def test_normalize_keeps_tracking_codes_whole() -> None:
    assert normalize("Mã QH-2611-0042 đâu rồi?") == "mã qh-2611-0042 đâu rồi"


@pytest.mark.parametrize("word", ["người", "ngoài", "quý", "giữ", "tuổi", "khuya", "đường"])
def test_place_tone_keeps_already_canonical_words(word: str) -> None:
    assert place_tone(word) == word


def test_strip_diacritics_and_detection() -> None:
    assert strip_diacritics("Đăng ký kết hôn") == "Dang ky ket hon"
    assert has_diacritics("đăng ký")
    assert not has_diacritics("dang ky ket hon")


def test_model_text_keeps_diacritics_and_folded_text_drops_them() -> None:
    assert model_text("Đăng ký KẾT HÔN cần gì?") == "đăng ký kết hôn cần gì"
    assert model_text("Giảm CÂN") != model_text("giám hộ")
    assert folded_text("Đăng ký KẾT HÔN cần gì?") == folded_text("dang ky ket hon can gi")
    assert folded_text("Đăng ký kết hôn") == "dang ky ket hon"
    assert folded_text("giảm cân") == model_text("giam can")
