"""The intent editor's form: posted fields ↔ IntentForm, keeping every typed value.

Sections are posted as numbered rows (`section-<n>-label`, `section-<n>-text`,
`section-<n>-remove`); the page shows the filled rows plus a few empty ones, so rows are
added and removed without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.console.admin_forms import lines
from bot.faq.intents import IntentForm, Problem
from bot.faq.models import PROCEDURE
from bot.texts import admin_pages as texts

BLANK_SECTIONS = 3
_SECTION_KEY = re.compile(r"^section-(\d{1,3})-(label|text|remove)$")
# Fields the editor shows problems next to; others are listed above the form.
FIELDS = (
    "intent",
    "kind",
    "title",
    "topic_id",
    "summary",
    "sections",
    "source_url",
    "checked_on",
    "examples",
    "answer",
)


@dataclass
class EditorValues:
    """What the editor's inputs show (strings as typed, so nothing is lost on a refusal)."""

    intent: str = ""
    title: str = ""
    topic_id: str = ""
    summary: str = ""
    sections: list[dict[str, str]] = field(default_factory=list)
    source_url: str = ""
    checked_on: str = ""
    active: bool = True
    examples: str = ""
    kind: str = PROCEDURE

    @property
    def rows(self) -> list[dict[str, str]]:
        """The section rows to show: the filled ones and a few empty ones to add."""
        return [*self.sections, *({"label": "", "text": ""} for _ in range(BLANK_SECTIONS))]

    @property
    def example_count(self) -> int:
        """How many examples the textarea holds."""
        return len(lines(self.examples))


def values_of(form: IntentForm) -> EditorValues:
    """The editor's inputs for a stored (or new) intent."""
    return EditorValues(
        intent=form.intent,
        title=form.title,
        topic_id=form.topic_id or "",
        summary=form.summary,
        sections=[{"label": s.get("label", ""), "text": s.get("text", "")} for s in form.sections],
        source_url=form.source_url or "",
        checked_on=form.checked_on.isoformat() if form.checked_on else "",
        active=form.active,
        examples="\n".join(form.examples),
        kind=form.kind,
    )


def _posted_sections(posted: Mapping[str, str]) -> list[dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key, value in posted.items():
        match = _SECTION_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    kept = []
    for _number, row in sorted(rows.items()):
        label, text = row.get("label", "").strip(), row.get("text", "").strip()
        if "remove" in row or not (label or text):
            continue
        kept.append({"label": label, "text": text})
    return kept


def posted_values(posted: Mapping[str, str], *, intent: str | None) -> EditorValues:
    """The editor's inputs as posted (`intent` fixed for an existing one)."""
    return EditorValues(
        intent=(intent if intent is not None else posted.get("intent", "")).strip(),
        title=posted.get("title", "").strip(),
        topic_id=posted.get("topic_id", "").strip(),
        summary=posted.get("summary", "").strip(),
        sections=_posted_sections(posted),
        source_url=posted.get("source_url", "").strip(),
        checked_on=posted.get("checked_on", "").strip(),
        active="active" in posted,
        examples=posted.get("examples", ""),
        kind=posted.get("kind", PROCEDURE).strip(),
    )


def _date(raw: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def intent_form(values: EditorValues) -> tuple[IntentForm, list[Problem]]:
    """The IntentForm the services take, and the problems of reading it (a bad date)."""
    checked_on = _date(values.checked_on) if values.checked_on else None
    problems = []
    if values.checked_on and checked_on is None:
        problems.append(Problem("checked_on", texts.BAD_DATE))
    form = IntentForm(
        intent=values.intent,
        title=values.title,
        topic_id=values.topic_id or None,
        summary=values.summary,
        sections=[s for s in values.sections if s["text"]],  # a bare label is no section
        source_url=values.source_url or None,
        checked_on=checked_on,
        active=values.active,
        examples=lines(values.examples),
        kind=values.kind,
    )
    return form, problems
