"""Checks on typed answers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cases.validation import (
    Problem,
    check_date,
    check_id_number,
    check_name,
    check_phone,
    check_text,
    clean_text,
    complaint_out_of_time,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(0203) 3862 123", "02033862123"),
    ],
)
def test_phone_formats_are_normalised(typed: str, expected: str) -> None:
    assert check_phone(typed).value == expected


@pytest.mark.parametrize("typed", ["12345", "0112345678", "09123456789", "abc", "+1 555 0100"])
def test_wrong_phones_are_refused(typed: str) -> None:
    assert check_phone(typed).problem is Problem.PHONE


def test_id_numbers_have_twelve_digits_and_a_province() -> None:
    assert check_id_number("022 188 001 234").value == "022188001234"
    assert check_id_number("02218800123").problem is Problem.ID_NUMBER
    assert check_id_number("999188001234").problem is Problem.ID_NUMBER


def test_names() -> None:
    assert check_name("  nguyễn   thị lan ").value == "nguyễn thị lan"
    assert check_name("<b>Lan</b>").problem is Problem.MARKUP
    assert check_name("*Lan*").problem is Problem.MARKUP
    assert check_name("Lan 2").problem is Problem.NAME
    assert check_name("🙂🙂").problem is Problem.NO_WORDS


def test_free_text() -> None:
    assert check_text("   ", max_len=10).problem is Problem.EMPTY
    assert check_text("a" * 11, max_len=10).problem is Problem.TOO_LONG
    assert check_text("👍👍!!", max_len=10).problem is Problem.NO_WORDS
    assert check_text(" ok ", max_len=10).value == "ok"


def test_dates_and_the_ninety_day_limit() -> None:
    today = date(2026, 11, 29)
    assert check_date("1/9/2026", today=today).value == "2026-09-01"
    assert check_date("01-09-26", today=today).value == "2026-09-01"
    assert check_date("31/2/2026", today=today).problem is Problem.DATE
    assert check_date("1/12/2026", today=today).problem is Problem.DATE_FUTURE
    assert complaint_out_of_time(date(2026, 8, 30), today=today)
    assert not complaint_out_of_time(date(2026, 8, 31), today=today)


def test_fullwidth_digits_are_folded_and_other_scripts_refused() -> None:
    # Issue 11: "０７９…" passed as an ID number and was stored in fullwidth digits.
    assert check_id_number("０７９ １２３ ４５６ ７８９").value == "079123456789"
    assert check_phone("０９１２ ３４５ ６７８").value == "0912345678"
    assert check_date("１５/１０/２０２６", today=date(2026, 11, 1)).value == "2026-10-15"
    assert check_id_number("٠٧٩١٢٣٤٥٦٧٨٩").problem is Problem.ID_NUMBER  # Arabic-Indic
    assert check_phone("٠٩١٢٣٤٥٦٧٨").problem is Problem.PHONE


def test_free_text_loses_control_characters_and_bidi_overrides() -> None:
    assert (
        check_text("đèn\x00 hỏng\x1b[31m\u202e\r\ntổ 7\t", max_len=100).value
        == "đèn hỏng[31m\ntổ 7"
    )
    assert clean_text("a\u200db\u200bc") == "a\u200db\u200bc"  # joiners stay (emoji need them)
    assert check_text("\x00\x07 \u202e", max_len=10).problem is Problem.EMPTY
