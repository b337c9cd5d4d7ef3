"""The folded text a case is searched by: with or without diacritics alike, lower case."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nlu.normalize import strip_diacritics


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: how search terms and text compare."""
    return " ".join(strip_diacritics(text.lower()).split())


def _strings(values: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for value in values:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(_strings(value))
    return found


def search_text(code: str, details: Mapping[str, Any], address: str | None) -> str:
    """Code, the content fields (and captions) and the incident address, folded."""
    parts = [code, *_strings(details.values()), address or ""]
    return fold(" ".join(parts))


def identity_text(
    name: str | None, phone: str | None, id_number: str | None, home_address: str | None
) -> str | None:
    """The citizen's identity folded for search (None for an anonymous case)."""
    parts = [p for p in (name, phone, id_number, home_address) if p]
    return fold(" ".join(parts)) if parts else None
