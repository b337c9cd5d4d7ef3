"""Checks on what a citizen types: names, phone and ID numbers, dates and free text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Problem(StrEnum):
    """Why an answer was not accepted (each has a message in bot.texts.cases)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_WORDS = "no_words"  # emoji or punctuation only
    MARKUP = "markup"
    NAME = "name"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    DATE = "date"
    DATE_FUTURE = "date_future"


@dataclass(frozen=True)
class Checked:
    """A cleaned value, or the problem that stops it."""

    value: str | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """True when the value was accepted."""
        return self.problem is None


COMPLAINT_TIME_LIMIT_DAYS = 90
_MARKUP = re.compile(r"[<>*_`\[\]#|~\\]")
_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile numbers (03x, 05x, 07x, 08x, 09x) and landlines (02xx) in national form.
# re.ASCII: \d is 0-9 only (not "３" or "٣"); fullwidth input is NFKC-folded first.
_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$", re.ASCII)
_ID_NUMBER = re.compile(r"^\d{12}$", re.ASCII)
_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$", re.ASCII)
# Bidirectional embeddings, overrides and isolates: they reorder what staff read.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji or symbols)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def clean_text(text: str) -> str:
    """`text` without control characters (but line breaks and tabs) and bidi overrides."""
    return "".join(
        ch
        for ch in text
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )


def folded(text: str) -> str:
    """`text` in NFKC form: fullwidth digits and letters become ASCII ("０７９" → "079")."""
    return unicodedata.normalize("NFKC", text)


def check_text(text: str, *, max_len: int) -> Checked:
    """Free text: control characters dropped, trimmed, not empty, not only emoji, not
    longer than `max_len`."""
    cleaned = clean_text(text).strip()
    if not cleaned:
        return Checked(problem=Problem.EMPTY)
    if len(cleaned) > max_len:
        return Checked(problem=Problem.TOO_LONG)
    if not has_words(cleaned):
        return Checked(problem=Problem.NO_WORDS)
    return Checked(cleaned)


def check_name(text: str) -> Checked:
    """A person's full name: letters, spaces, apostrophes, dots and hyphens; no markup."""
    checked = check_text(text, max_len=100)
    if not checked.ok or checked.value is None:
        return checked
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", checked.value))
    if _MARKUP.search(name):
        return Checked(problem=Problem.MARKUP)
    letters = sum(ch.isalpha() for ch in name)
    if letters < 2 or any(not (ch.isalpha() or ch in " '.-") for ch in name):
        return Checked(problem=Problem.NAME)
    return Checked(name)


def check_phone(text: str) -> Checked:
    """A Vietnamese phone number (+84 / 84 / 0 prefix), returned as 0XXXXXXXXX."""
    digits = _PHONE_SEPARATORS.sub("", folded(text).strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not _PHONE.match(digits):
        return Checked(problem=Problem.PHONE)
    return Checked(digits)


def check_id_number(text: str) -> Checked:
    """A 12-digit personal ID (căn cước) number; the first three digits name a province."""
    digits = re.sub(r"[\s.\-]", "", folded(text).strip())
    if not _ID_NUMBER.match(digits) or not 1 <= int(digits[:3]) <= 96:
        return Checked(problem=Problem.ID_NUMBER)
    return Checked(digits)


def check_date(text: str, *, today: date) -> Checked:
    """A day in the past or today, written d/m/yyyy (or with . or -); returned as ISO."""
    match = _DATE.match(folded(text).strip())
    if match is None:
        return Checked(problem=Problem.DATE)
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        value = date(year, month, day)
    except ValueError:
        return Checked(problem=Problem.DATE)
    if value > today:
        return Checked(problem=Problem.DATE_FUTURE)
    return Checked(value.isoformat())


def complaint_out_of_time(learnt_on: date, *, today: date) -> bool:
    """True when more than 90 days passed since the citizen learnt of the decision."""
    return today - learnt_on > timedelta(days=COMPLAINT_TIME_LIMIT_DAYS)
