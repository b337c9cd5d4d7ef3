"""Renders a FAQ answer as Telegram HTML, escaping every piece of stored text."""

from __future__ import annotations

from html import escape

from bot.faq.models import FaqAnswer

TELEGRAM_TEXT_LIMIT = 4096


def render_text_block(text: str) -> str:
    """Escape plain text; lines starting with '- ' become bullets."""
    lines = []
    for raw in text.strip().splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("- "):
            line = "• " + line.lstrip()[2:]
        lines.append(escape(line, quote=False))
    return "\n".join(lines)


def render_answer(answer: FaqAnswer) -> str:
    """The whole answer: heading, summary, labelled sections, link and check date."""
    parts = [f"<b>{escape(answer.title.upper(), quote=False)}</b>"]
    if answer.summary.strip():
        parts.append(render_text_block(answer.summary))
    for section in answer.sections:
        label = escape(section.get("label", ""), quote=False)
        parts.append(f"<b>{label}</b>\n{render_text_block(section.get('text', ''))}")
    footer = []
    if answer.source_url:
        url = escape(answer.source_url, quote=True)
        footer.append(f'🔗 <a href="{url}">Xem thủ tục trên Cổng Dịch vụ công</a>')
    if answer.checked_on:
        footer.append(f"<i>Nội dung cập nhật ngày {answer.checked_on:%d/%m/%Y}.</i>")
    if footer:
        parts.append("\n".join(footer))
    return "\n\n".join(parts)
