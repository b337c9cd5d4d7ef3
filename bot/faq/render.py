"""Renders a FAQ answer as Telegram HTML, escaping every piece of stored text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Protocol

from bot import texts
from bot.faq.aspects import Aspect, aspect_of_label, is_online_line
from bot.texts import answers as answer_texts
from bot.units.service import OldNameMention

TELEGRAM_TEXT_LIMIT = 4096


class AnswerContent(Protocol):
    """What rendering reads of an answer: a `FaqAnswer` row, or its knowledge snapshot."""

    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def sections(self) -> Sequence[Mapping[str, str]]: ...
    @property
    def source_url(self) -> str | None: ...
    @property
    def checked_on(self) -> date | None: ...


class UnitDetails(Protocol):
    """What rendering reads of a unit (and its `texts.UNIT_LABELS` fields, by name)."""

    @property
    def name(self) -> str: ...
    @property
    def note(self) -> str | None: ...


def render_text_block(text: str) -> str:
    """Escape plain text; lines starting with '- ' become bullets."""
    lines = []
    for raw in text.strip().splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("- "):
            line = "• " + line.lstrip()[2:]
        lines.append(escape(line, quote=False))
    return "\n".join(lines)


def render_units(units: Sequence[UnitDetails]) -> str:
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


def _heading(answer: AnswerContent, old_names: Sequence[OldNameMention]) -> list[str]:
    """The title, and where the old units the citizen named belong now."""
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
    return parts


def _section(label: str, text: str) -> str:
    return f"<b>{escape(label, quote=False)}</b>\n{render_text_block(text)}"


def _footer(answer: AnswerContent) -> list[str]:
    """The link to the national portal and the date the content was checked."""
    footer = []
    if answer.source_url:
        url = escape(answer.source_url, quote=True)
        footer.append(f'🔗 <a href="{url}">Xem thủ tục trên Cổng Dịch vụ công</a>')
    if answer.checked_on:
        footer.append(f"<i>Nội dung cập nhật ngày {answer.checked_on:%d/%m/%Y}.</i>")
    return ["\n".join(footer)] if footer else []


def render_answer(
    answer: AnswerContent,
    units: Sequence[UnitDetails] = (),
    old_names: Sequence[OldNameMention] = (),
) -> str:
    """The whole answer: heading, where the old units the citizen named belong now,
    summary, labelled sections, units, link and check date."""
    parts = _heading(answer, old_names)
    if answer.summary.strip():
        parts.append(render_text_block(answer.summary))
    for section in answer.sections:
        parts.append(_section(section.get("label", ""), section.get("text", "")))
    if units:
        parts.append(render_units(units))
    return "\n\n".join(parts + _footer(answer))


# Aspects in the order the overview and the buttons list them.
ASPECT_ORDER = (
    Aspect.DOCUMENTS,
    Aspect.WHERE,
    Aspect.TIME,
    Aspect.FEE,
    Aspect.ONLINE,
    Aspect.LEGAL,
    Aspect.NOTES,
)
# Sections that make an answer a procedure guide (office answers are short, shown whole).
_PROCEDURE_ASPECTS = frozenset(
    {Aspect.DOCUMENTS, Aspect.WHERE, Aspect.TIME, Aspect.FEE, Aspect.LEGAL}
)


def aspect_sections(answer: AnswerContent, aspect: Aspect) -> list[tuple[str, str]]:
    """The (label, text) blocks of `answer` about `aspect`: its labelled sections; for online
    filing the lines of any section about it, else the "where" sections."""
    if aspect is Aspect.ONLINE:
        lines = [
            line.strip()
            for section in answer.sections
            for line in section.get("text", "").splitlines()
            if is_online_line(line)
        ]
        if lines:
            return [(answer_texts.ASPECT_NAMES[Aspect.ONLINE], "\n".join(lines))]
        return aspect_sections(answer, Aspect.WHERE)
    return [
        (s.get("label", ""), s.get("text", ""))
        for s in answer.sections
        if aspect_of_label(s.get("label", "")) is aspect
    ]


def _unshown(block: tuple[str, str], shown: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """`block` without the lines `shown` already has (the online lines of the "where"
    section); None when nothing is left."""
    seen = {line.strip() for _, text in shown for line in text.splitlines()}
    lines = [line for line in block[1].splitlines() if line.strip() and line.strip() not in seen]
    return (block[0], "\n".join(lines)) if lines else None


def aspects_of(answer: AnswerContent) -> list[Aspect]:
    """The aspects a procedure guide answers, in order; none for an office answer."""
    found = [a for a in ASPECT_ORDER if aspect_sections(answer, a)]
    if len(_PROCEDURE_ASPECTS.intersection(found)) < 2:
        return []
    return found


def _names(aspects: Sequence[Aspect]) -> str:
    return ", ".join(answer_texts.ASPECT_NAMES[a].lower() for a in aspects)


def render_overview(answer: AnswerContent, old_names: Sequence[OldNameMention] = ()) -> str:
    """The title, summary and what the citizen can ask next (the sections on request)."""
    parts = _heading(answer, old_names)
    if answer.summary.strip():
        parts.append(render_text_block(answer.summary))
    items = "\n".join(f"• {answer_texts.ASPECT_NAMES[a]}" for a in aspects_of(answer))
    parts.append(answer_texts.OVERVIEW_NEXT.format(items=items))
    return "\n\n".join(parts + _footer(answer))


def render_aspect(
    answer: AnswerContent,
    aspect: Aspect,
    units: Sequence[UnitDetails] = (),
    old_names: Sequence[OldNameMention] = (),
    also: Sequence[Aspect] = (),
) -> str:
    """A short reply leading with `aspect` of `answer`, then the other aspects asked in
    the same message (`also`) that it has, a line pointing to the rest; the overview with
    a word of regret when the answer has nothing on `aspect`."""
    blocks = aspect_sections(answer, aspect)
    if not blocks:
        missing = answer_texts.ASPECT_MISSING.format(aspect=answer_texts.ASPECT_NAMES[aspect])
        return escape(missing, quote=False) + "\n\n" + render_overview(answer, old_names)
    shown = [aspect]
    for other in dict.fromkeys(also):
        more = [b for b in (_unshown(x, blocks) for x in aspect_sections(answer, other)) if b]
        if other not in shown and more:
            shown.append(other)
            blocks = blocks + more
    parts = _heading(answer, old_names)
    parts.extend(_section(label, text) for label, text in blocks)
    if Aspect.WHERE in shown and units:
        parts.append(render_units(units))
    others = [a for a in aspects_of(answer) if a not in shown]
    pointer = (
        answer_texts.ASPECT_POINTER.format(items=_names(others))
        if others
        else answer_texts.FULL_POINTER
    )
    parts.append(f"<i>{escape(pointer, quote=False)}</i>")
    return "\n\n".join(parts + _footer(answer))
