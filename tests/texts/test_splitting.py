"""Cutting long Telegram HTML into parts Telegram accepts."""

from __future__ import annotations

import re
from html import unescape

from bot.texts.splitting import MESSAGE_LIMIT, split_html

TAG = re.compile(r"<[^<>]*>")


def visible(part: str) -> str:
    return unescape(TAG.sub("", part))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def balanced(part: str) -> bool:
    stack: list[str] = []
    for tag in TAG.findall(part):
        name = re.match(r"</?([\w-]+)", tag).group(1)  # type: ignore[union-attr]
        if tag.startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_a_short_text_is_one_part() -> None:
    assert split_html("<b>Chào</b> ông/bà") == ["<b>Chào</b> ông/bà"]


def test_long_text_is_cut_at_line_ends_with_tags_closed_and_reopened() -> None:
    line = "<b>Đơn QH-2611-0001</b> nội dung &amp; ghi chú " + "x" * 60
    text = "<i>" + "\n".join([line] * 200) + "</i>"
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert utf16(visible(part)) <= MESSAGE_LIMIT
        assert balanced(part) and part.startswith("<i>") and part.endswith("</i>")
        assert "&amp;" in part and "& " not in part
    rejoined = "\n".join(visible(p) for p in parts)
    assert rejoined == visible(text)


def test_entities_count_as_one_character_and_emoji_as_two() -> None:
    assert len(split_html("&lt;" * MESSAGE_LIMIT)) == 1
    assert len(split_html("🙂" * (MESSAGE_LIMIT // 2 + 1))) == 2


def test_one_over_long_line_is_cut_at_a_space_never_inside_a_tag_or_entity() -> None:
    word = '<a href="https://dichvucong.gov.vn">cổng</a> &quot;dịch vụ&quot;'
    text = " ".join([word] * 600)
    parts = split_html(text, limit=500)
    assert len(parts) > 1
    for part in parts:
        assert utf16(visible(part)) <= 500 and balanced(part)
        assert not re.search(r"&[a-z]*$|<[^>]*$", part)
    assert " ".join(visible(p) for p in parts) == visible(text)


def test_a_line_without_spaces_is_cut_between_characters() -> None:
    parts = split_html("<code>" + "9" * 9000 + "</code>")
    assert [len(visible(p)) for p in parts] == [4096, 4096, 808]
    assert all(p.startswith("<code>") and p.endswith("</code>") for p in parts)
