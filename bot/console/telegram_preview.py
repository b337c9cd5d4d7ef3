"""A bot message's HTML made safe to show in a console page, as Telegram would show it.

The renderer escapes every stored text, so its output holds only the tags it writes. The
preview is still put in the page only after two checks: it parses as Telegram HTML (what
Telegram itself would accept, and its length within one message) and every tag in it is
one of a short list a browser cannot run anything from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from bot.faq.render import TELEGRAM_TEXT_LIMIT
from bot.sandbox.tghtml import MarkupError, parse_html, utf16_len
from bot.texts import admin_pages as texts

# Tags a preview may carry: Telegram's formatting, and links to web pages only.
_SAFE_TAG = re.compile(
    r"</?(?:b|i|u|s|code|pre|blockquote)>|</a>|<a href=\"https?://[^\"<>\s]+\">",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Preview:
    """What the page shows: the message (None when it cannot be shown) and its length."""

    html: Markup | None
    length: int
    limit: int = TELEGRAM_TEXT_LIMIT
    problem: str | None = None

    @property
    def too_long(self) -> bool:
        """Longer than one Telegram message."""
        return self.length > self.limit


def _only_safe_tags(html: str) -> bool:
    position = 0
    while (start := html.find("<", position)) != -1:
        match = _SAFE_TAG.match(html, start)
        if match is None:
            return False
        position = match.end()
    return True


def telegram_preview(html: str) -> Preview:
    """Check `html` as Telegram would and return it ready for the page, or why not."""
    try:
        plain, _entities = parse_html(html)
    except MarkupError as error:
        return Preview(None, 0, problem=texts.PREVIEW_BROKEN.format(reason=error))
    length = utf16_len(plain)
    if not _only_safe_tags(html):
        return Preview(None, length, problem=texts.PREVIEW_BROKEN.format(reason="HTML"))
    problem = None
    if length > TELEGRAM_TEXT_LIMIT:
        problem = texts.PREVIEW_TOO_LONG.format(length=length, limit=TELEGRAM_TEXT_LIMIT)
    return Preview(Markup(html), length, problem=problem)
