"""The parts of a procedure's answer one message asks for ("nộp ở đâu, cần giấy tờ gì,
mất bao lâu"), in the order the reply gives them: the aspects it names, the most specific
first (bot/faq/aspects.py), with who has to file read as the section that says so
(`who_files`). A reply gives at most MAX_ASPECTS of them, so that it stays short."""

from __future__ import annotations

from bot.answering.who_files import who_files_aspect
from bot.faq.aspects import Aspect, aspects_in
from bot.faq.knowledge import Knowledge

MAX_ASPECTS = 3


def asked_aspects(*, known: Knowledge, intent: str, text: str) -> list[Aspect]:
    """The aspects of `intent` that `text` asks for (none: a general question)."""
    asked: list[Aspect] = []
    for aspect in aspects_in(text):
        if aspect is Aspect.NOTES:  # who has to file: the section that says so
            aspect = who_files_aspect(known=known, intent=intent, text=text) or aspect
        if aspect not in asked:
            asked.append(aspect)
    return asked[:MAX_ASPECTS]
