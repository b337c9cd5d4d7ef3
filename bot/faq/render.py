"""Renders a FAQ answer as Telegram HTML, escaping every piece of stored text."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot import texts
from bot.faq.models import FaqAnswer
from bot.units.models import Unit
from bot.units.service import OldNameMention

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


def render_units(units: Sequence[Unit]) -> str:
    """Each unit's address, phone, hours and reception schedule (or that they are pending),
    and its note (which old wards it took in)."""
    blocks = [texts.UNITS_HEADING]
    for unit in units:
        lines = [f"<b>{escape(unit.name, quote=False)}</b>"]
        for field, label in texts.UNIT_LABELS.items():
            value = getattr(unit, field) or texts.UNIT_MISSING
            lines.append(f"• {label}: {escape(value, quote=False)}")
        if unit.note:
            lines.append(f"• {escape(unit.note, quote=False)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_answer(
    answer: FaqAnswer, units: Sequence[Unit] = (), old_names: Sequence[OldNameMention] = ()
) -> str:
    """The whole answer: heading, where the old units the citizen named belong now,
    summary, labelled sections, units, link and check date."""
    parts = [f"<b>{escape(answer.title.upper(), quote=False)}</b>"]
    if old_names:
        parts.append(
            "\n".join(
                (texts.UNIT_OLD_NAME_IN_PART if m.in_part else texts.UNIT_OLD_NAME).format(
                    old=escape(m.old_name, quote=False), unit=escape(m.unit.name, quote=False)
                )
                for m in old_names
            )
        )
    if answer.summary.strip():
        parts.append(render_text_block(answer.summary))
    for section in answer.sections:
        label = escape(section.get("label", ""), quote=False)
        parts.append(f"<b>{label}</b>\n{render_text_block(section.get('text', ''))}")
    if units:
        parts.append(render_units(units))
    footer = []
    if answer.source_url:
        url = escape(answer.source_url, quote=True)
        footer.append(f'🔗 <a href="{url}">Xem thủ tục trên Cổng Dịch vụ công</a>')
    if answer.checked_on:
        footer.append(f"<i>Nội dung cập nhật ngày {answer.checked_on:%d/%m/%Y}.</i>")
    if footer:
        parts.append("\n".join(footer))
    return "\n\n".join(parts)
