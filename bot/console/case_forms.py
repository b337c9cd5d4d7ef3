"""Reading the console's form fields: trimmed text within limits, numbers, choices.

Each reader raises `FormProblem` with the Vietnamese message shown next to the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.requests import Request

from bot.digits import parse_digits
from bot.texts import case_page as texts

Form = Mapping[str, str]

# Longest texts accepted (a reply must fit a Telegram message with its frame).
LIMITS = {
    "reply": 3500,
    "note": 4000,
    "reason": 1000,
    "routed_to": 300,
    "content": 4000,
    "original_code": 20,
    "title": 100,
    "text": 3500,
}
# How each field is named in a message ("Vui lòng nhập …").
NAMES = {
    "reply": "nội dung trả lời",
    "note": "ghi chú",
    "reason": "lý do",
    "routed_to": "cơ quan hướng dẫn, chuyển đến",
    "content": "nội dung đơn mới",
    "original_code": "mã đơn gốc",
    "days": "số ngày gia hạn",
    "assignee": "cán bộ",
    "status": "trạng thái",
    "kind": "loại đơn",
    "title": "tên mẫu",
    "text": "nội dung mẫu",
    "canned_id": "mẫu trả lời",
}


class FormProblem(ValueError):
    """A field is missing or wrong; `message` says which and why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def read_form(request: Request) -> dict[str, str]:
    """The posted text fields (files and the CSRF token left out)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrftoken"}


def text(form: Form, name: str, *, required: bool = True) -> str | None:
    """A trimmed text field within its limit; None when empty and optional."""
    value = form.get(name, "").strip()
    if not value:
        if required:
            raise FormProblem(texts.REQUIRED.format(field=NAMES[name]))
        return None
    limit = LIMITS[name]
    if len(value) > limit:
        raise FormProblem(texts.TOO_LONG.format(field=NAMES[name], limit=limit, length=len(value)))
    return value


def required_text(form: Form, name: str) -> str:
    """A text field that must be filled in."""
    value = text(form, name)
    assert value is not None
    return value


def number(form: Form, name: str) -> int:
    """A positive whole number."""
    raw = form.get(name, "").strip()
    value = parse_digits(raw)
    if value is None or not 0 < value < 10_000_000:
        raise FormProblem(texts.BAD_NUMBER.format(field=NAMES[name]))
    return value


def choice(form: Form, name: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
    """One of `allowed`; None when nothing was chosen and the field is optional."""
    value = form.get(name, "").strip()
    if not value and not required:
        return None
    if value not in set(allowed):
        raise FormProblem(texts.BAD_CHOICE.format(field=NAMES[name]))
    return value


def required_choice(form: Form, name: str, allowed: Iterable[str]) -> str:
    """One of `allowed`, which must be chosen."""
    value = choice(form, name, allowed)
    assert value is not None
    return value


def checkbox(form: Form, name: str) -> bool:
    """True when the box was ticked."""
    return name in form


def version(form: Form) -> int:
    """The case version the form was loaded with (optimistic locking)."""
    raw = form.get("version", "").strip()
    value = parse_digits(raw)
    if value is None:
        raise FormProblem(texts.BAD_FORM)
    return value
