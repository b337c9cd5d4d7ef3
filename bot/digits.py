"""Whole numbers in text from outside (callback data, forms, typed codes): ASCII digits only.

`str.isdigit()` is no guard for `int()`: "²".isdigit() is True yet int("²") raises, and
int() quietly takes "３" or "٣". Every number read from untrusted text goes through here.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def is_digits(text: str | None) -> bool:
    """True when `text` is one or more of the ASCII digits 0-9 and nothing else."""
    return text is not None and _DIGITS.fullmatch(text) is not None


def parse_digits(text: str | None) -> int | None:
    """The number `text` writes in ASCII digits, or None for anything else."""
    return int(text) if text is not None and is_digits(text) else None
