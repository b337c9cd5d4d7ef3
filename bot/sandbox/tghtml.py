"""Telegram's HTML parse mode: turn tagged text into plain text and MessageEntity dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

# Tags Telegram accepts and the entity type each one produces ("a" and "span" are special).
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_TAGS = frozenset({*_ENTITY_TYPES, "a"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));?")
_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]+")
_SCHEME_RE = re.compile(r"^(?:https?|tg|ftp|mailto):", re.IGNORECASE)
_BARE_DOMAIN_RE = re.compile(r"^[\w.-]+\.[A-Za-z]{2,}(?:[/?#]|$)")


class MarkupError(ValueError):
    """The text does not parse as Telegram HTML; the message follows Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int


class _Parser:
    """One pass over the source, emitting plain text and closing entities as tags end."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSON] = []
        self.languages: dict[tuple[int, int], str] = {}

    def run(self) -> tuple[str, list[JSON]]:
        """Parse the whole source."""
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&" and self._entity():
                continue
            if char != "<":
                self._emit(char)
                self.pos += 1
            elif self.src.startswith("</", self.pos):
                self._end_tag()
            else:
                self._start_tag()
        if self.stack:
            name = self.stack[-1].name
            raise MarkupError(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.offset += utf16_len(text)

    def _byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode())

    def _fail(self, message: str, pos: int) -> MarkupError:
        return MarkupError(f"{message} at byte offset {self._byte_offset(pos)}")

    def _decode_entity(self) -> str | None:
        """Decode the entity at self.pos (advancing past it), or return None for a bare '&'."""
        match = _ENTITY_RE.match(self.src, self.pos)
        if match is None:
            return None
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            decoded = _NAMED_ENTITIES.get(name)
        else:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
            decoded = chr(code) if valid else None
        if decoded is not None:
            self.pos = match.end()
        return decoded

    def _entity(self) -> bool:
        decoded = self._decode_entity()
        if decoded is None:
            return False
        self._emit(decoded)
        return True

    def _skip_spaces(self) -> None:
        while self.pos < len(self.src) and self.src[self.pos].isspace():
            self.pos += 1

    def _start_tag(self) -> None:
        tag_pos = self.pos
        self.pos += 1
        begin = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] == ">":
                break
            self.pos += 1
        if self.pos >= len(self.src):
            raise self._fail("Unclosed start tag", tag_pos)
        name = self.src[begin : self.pos].lower()
        if name not in _TAGS:
            raise self._fail(f'Unsupported start tag "{name}"', tag_pos)
        attrs = self._attributes(name, tag_pos)
        self.pos += 1  # past ">"
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self._fail('Tag "span" must have class "tg-spoiler"', tag_pos)
        self.stack.append(_OpenTag(name, attrs, self.offset))

    def _attributes(self, name: str, tag_pos: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while True:
            self._skip_spaces()
            if self.pos >= len(self.src):
                raise self._fail("Unclosed start tag", tag_pos)
            if self.src[self.pos] == ">":
                return attrs
            begin = self.pos
            while self.pos < len(self.src) and not self.src[self.pos].isspace():
                if self.src[self.pos] in "=>/\"'":
                    break
                self.pos += 1
            attr = self.src[begin : self.pos].lower()
            if not attr:
                raise self._fail(f'Empty attribute name in the tag "{name}"', tag_pos)
            self._skip_spaces()
            if self.pos >= len(self.src) or self.src[self.pos] != "=":
                attrs[attr] = ""
                continue
            self.pos += 1
            self._skip_spaces()
            attrs[attr] = self._attribute_value(tag_pos)

    def _attribute_value(self, tag_pos: int) -> str:
        if self.pos >= len(self.src):
            raise self._fail("Unclosed start tag", tag_pos)
        quote = self.src[self.pos]
        if quote not in "\"'":
            match = _TOKEN_RE.match(self.src, self.pos)
            end = match.end() if match else self.pos
            if end >= len(self.src) or not (self.src[end].isspace() or self.src[end] == ">"):
                raise self._fail("Unexpected end of name token", end)
            self.pos = end
            return self.src[match.start() : end].lower() if match else ""
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.src) and self.src[self.pos] != quote:
            decoded = self._decode_entity() if self.src[self.pos] == "&" else None
            if decoded is None:
                decoded = self.src[self.pos]
                self.pos += 1
            value.append(decoded)
        if self.pos >= len(self.src):
            raise self._fail("Unclosed start tag", tag_pos)
        self.pos += 1
        return "".join(value)

    def _end_tag(self) -> None:
        tag_pos = self.pos
        if not self.stack:
            raise self._fail("Unexpected end tag", tag_pos)
        self.pos += 2
        begin = self.pos
        while self.pos < len(self.src) and not self.src[self.pos].isspace():
            if self.src[self.pos] == ">":
                break
            self.pos += 1
        name = self.src[begin : self.pos].lower()
        self._skip_spaces()
        if self.pos >= len(self.src) or self.src[self.pos] != ">":
            raise self._fail("Unclosed end tag", tag_pos)
        self.pos += 1
        opened = self.stack[-1]
        if name and name != opened.name:
            raise MarkupError(
                f"Unmatched end tag at byte offset {self._byte_offset(tag_pos)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        self.stack.pop()
        if self.offset > opened.offset:
            self._close(opened)

    def _close(self, opened: _OpenTag) -> None:
        entity: JSON = {"offset": opened.offset, "length": self.offset - opened.offset}
        if opened.name == "a":
            url = _normalise_url(opened.attrs.get("href", ""))
            if url is None:
                return  # Telegram silently drops links it cannot use
            entity.update(type="text_link", url=url)
        elif opened.name == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        else:
            entity["type"] = _ENTITY_TYPES[opened.name]
        if opened.name == "code":
            language = opened.attrs.get("class", "")
            if language.startswith("language-"):
                self.languages[(entity["offset"], entity["length"])] = language[len("language-") :]
        if opened.name == "pre" and self.entities:
            last = self.entities[-1]
            span = (entity["offset"], entity["length"])
            if last["type"] == "code" and (last["offset"], last["length"]) == span:
                # <pre><code class="language-x"> is one pre entity with a language
                self.entities.pop()
                if span in self.languages:
                    entity["language"] = self.languages[span]
        self.entities.append(entity)


def _normalise_url(href: str) -> str | None:
    href = href.strip()
    if _SCHEME_RE.match(href):
        return href
    if _BARE_DOMAIN_RE.match(href):
        return f"http://{href}"
    return None


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities), raising MarkupError like Telegram."""
    return _Parser(source).run()
