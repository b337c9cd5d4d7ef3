"""Cutting a long Telegram HTML text into messages Telegram accepts.

A message may hold 4096 characters after entity parsing (tags removed, `&amp;` one
character, counted in UTF-16 units). Texts are cut at line ends, or for one very long
line at a space, never inside a tag or an entity; tags open at a cut are closed at
the end of the part and opened again at the start of the next.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096

# A tag, an entity, a line break, or one character of text.
_TOKEN = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;|\n|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """`text` as one or more well-formed HTML parts of at most `limit` visible characters."""
    tokens = _TOKEN.findall(text)
    parts: list[str] = []
    start = 0
    opened: list[str] = []
    while start < len(tokens):
        cut, still_open = _cut(tokens, start, opened, limit)
        closing = "".join(f"</{_name(tag)}>" for tag in reversed(still_open))
        part = "".join(opened) + "".join(tokens[start:cut]).rstrip() + closing
        if _visible(part).strip():
            parts.append(part)
        start = cut
        while start < len(tokens) and tokens[start] in ("\n", " "):
            start += 1
        opened = still_open
    return parts or [text]


def _cut(tokens: list[str], start: int, opened: list[str], limit: int) -> tuple[int, list[str]]:
    """Where the part beginning at `start` ends, and the tags still open there."""
    stack = list(opened)
    size = 0
    at_line: tuple[int, list[str]] | None = None
    at_space: tuple[int, list[str]] | None = None
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.startswith("<") and len(token) > 1:
            _track(stack, token)
            continue
        if token == "\n":
            at_line = (index, list(stack))
        elif token == " ":
            at_space = (index + 1, list(stack))
        width = _width(token)
        if size + width > limit:
            return at_line or at_space or (index, list(stack))
        size += width
    return len(tokens), stack


def _track(stack: list[str], tag: str) -> None:
    """Push an opening tag, pop the innermost open tag a closing one ends."""
    name = _name(tag)
    if tag.startswith("</"):
        for position in range(len(stack) - 1, -1, -1):
            if _name(stack[position]) == name:
                del stack[position]
                break
    elif not tag.endswith("/>"):
        stack.append(tag)


def _name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _width(token: str) -> int:
    """UTF-16 length of a token as Telegram counts it (an entity is one character)."""
    if token.startswith("&") and len(token) > 1:
        return 1
    return sum(2 if ord(char) > 0xFFFF else 1 for char in token)


def _visible(part: str) -> str:
    return "".join(t for t in _TOKEN.findall(part) if not (t.startswith("<") and len(t) > 1))
