"""Who has to file or come, asked of a procedure ("nhờ mẹ làm hộ được không", "đi một mình
được không", "hai bên phải có mặt không"): answered by the section of its answer that
speaks of it (the papers of someone filing on another's behalf, the people who must be
present), else by its documents, which say who files and what they bring.

Computed from the answers of the knowledge snapshot, once per snapshot.
"""

from __future__ import annotations

import re

from bot.faq.aspects import Aspect, asks_who_files
from bot.faq.knowledge import Knowledge
from bot.faq.render import aspect_sections
from nlu.normalize import folded_text

# What a section says of who files, folded.
_SPEAKS = re.compile(
    r"\b(?:uy quyen|(?:lam|nop|ky|di|len|thu tuc) thay(?! doi| the)"
    r"|(?:nho|cho) nguoi (?:khac|than|nha)|nguoi (?:khac|than|nha) (?:lam|nop|di|ky)"
    r"|nguoi di (?:dang ky|nop|lam)|co mat(?! (?:phi|tien))|den truc tiep|tu minh|chinh chu)\b"
)
# Sections that never say who files: online filing repeats other sections' lines, and the
# legal basis names who decides ("người được ủy quyền thực hiện chứng thực").
_NEVER = (Aspect.ONLINE, Aspect.LEGAL)


def who_files_aspect(*, known: Knowledge, intent: str, text: str) -> Aspect | None:
    """The aspect of `intent` answering `text` when it asks who has to file or come; None
    when it does not ask that, or the answer has no such section and no documents."""
    if not asks_who_files(text):
        return None
    return known.memo("who_files.sections", lambda: _sections(known)).get(intent)


def _sections(known: Knowledge) -> dict[str, Aspect]:
    """For each procedure, its first section that speaks of who files, else its documents."""
    found: dict[str, Aspect] = {}
    for intent in known.answers:
        answer = known.active(intent)
        aspects = known.aspects(intent)
        if answer is None or not aspects:
            continue
        speaking = (
            aspect
            for aspect in aspects
            if aspect not in _NEVER
            and _SPEAKS.search(folded_text(" ".join(t for _, t in aspect_sections(answer, aspect))))
        )
        default = Aspect.DOCUMENTS if Aspect.DOCUMENTS in aspects else None
        choice = next(speaking, default)
        if choice is not None:
            found[intent] = choice
    return found
