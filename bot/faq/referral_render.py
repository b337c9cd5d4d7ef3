"""Renders a referral (an answer of kind "referral": bot/faq/referrals.py) as Telegram HTML."""

from __future__ import annotations

from html import escape

from bot.faq.render import AnswerContent
from bot.texts import referrals as T


def render_referral(answer: AnswerContent) -> str:
    """A referral as Telegram HTML: its title, who handles it, how to reach them, online
    filing and a note; told with care when its summary (the caveat) is set."""
    sections = {
        s.get("label", "").strip().casefold(): s.get("text", "").strip() for s in answer.sections
    }
    unsure = bool((answer.summary or "").strip())
    body = sections.pop(T.BODY_LABEL.casefold(), "")
    contact = sections.pop(T.CONTACT_LABEL.casefold(), "")
    online = sections.pop(T.ONLINE_LABEL.casefold(), "")
    note = sections.pop(T.NOTE_LABEL.casefold(), "")
    if body:
        opening = T.OPENING_UNSURE if unsure else T.OPENING
        lines = [opening.format(body=_e(body))]
    else:
        lines = [T.OPENING_NO_BODY]
    if contact:
        lines.append(T.CONTACT.format(contact=_e(contact)))
    if online:
        lines.append((T.ONLINE_UNSURE if unsure else T.ONLINE).format(online=_e(online)))
    if note:
        lines.append(T.NOTE.format(note=_e(note)))
    lines += [
        T.OTHER.format(label=_e(s["label"]), text=_e(s["text"]))
        for s in answer.sections
        if s.get("label", "").strip().casefold() in sections and s.get("text", "").strip()
    ]
    if unsure:
        lines.append(f"<i>{_e(answer.summary)}</i>")
    return f"<b>{_e(answer.title)}</b>\n" + "\n".join(lines)


def _e(text: str) -> str:
    return escape(text.strip(), quote=False)
