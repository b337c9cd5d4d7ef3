from __future__ import annotations

import pytest

from bot.digits import is_digits, parse_digits


@pytest.mark.parametrize("text", ["0", "42", "007", "12345678901234567890"])
def test_ascii_numbers_are_read(text: str) -> None:
    assert is_digits(text) and parse_digits(text) == int(text)


@pytest.mark.parametrize(
    "text", ["", "²", "３", "٣", "1²", " 1", "1 ", "-1", "+1", "1_0", "1.0", None]
)
def test_anything_else_is_no_number(text: str | None) -> None:
    # "²".isdigit() is True and int("３") is 3: neither guard nor parser for outside text.
    assert not is_digits(text) and parse_digits(text) is None
