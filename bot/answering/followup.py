"""Follow-up questions: a text that names an aspect, a place or a circumstance but no
procedure ("còn lệ phí thì sao?", "ở Cửa Ông thì nộp ở đâu", "nếu quá hạn thì sao") is
about the procedure last discussed.

Matching is on the normalised text without diacritics, so that citizens who type without
them are understood alike (whatever form the NLU model itself is given).
"""

from __future__ import annotations

import re

from bot.answering.condition import asked_after_condition
from bot.answering.sections import section_speaking_of
from bot.answering.who_files import who_files_aspect
from bot.faq.aspects import Aspect, aspects_in
from bot.faq.knowledge import Knowledge
from nlu.normalize import folded_text, normalize, strip_diacritics

# How citizens put a special case to a question just answered (folded, whole words).
_CIRCUMSTANCE = re.compile(
    r"\b("
    r"neu|truong hop|thi sao|thi the nao|thi lam (sao|the nao|gi)|thi phai lam|"
    r"qua han|tre han|het han|"
    r"nguoi gia|nguoi cao tuoi|ong ba gia|tre em|tre nho|tre con|con nho|be nho|"
    r"nguoi khuyet tat|nguoi benh|om nang|khong di (duoc|lai duoc)|vi thanh nien|"
    r"\d+ tuoi|nguoi nuoc ngoai|viet kieu|o nuoc ngoai|o xa|"
    r"uy quyen|nho nguoi|lam (ho|thay)|nop (ho|thay)|di thay"
    r")\b"
)
# Papers whose names contain a field's keyword: a question about documents, not the field.
_DOCUMENT_PAPER = re.compile(
    r"\b(ban sao|ban photo|photo|ban|so|giay|xac nhan|co|can|phai)( co| can| phai)? "
    r"(cong chung|chung thuc|ho khau|cu tru|tam tru|thuong tru)\b"
)
# Words naming the kind of unit, dropped before comparing unit names.
_UNIT_KIND = {"phuong", "xa", "p", "x"}


def names_circumstance(text: str) -> bool:
    """True when `text` raises a special case ("nếu…", "trường hợp…", "người già…")."""
    return _CIRCUMSTANCE.search(folded_text(text)) is not None


def _contains(words: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {words} "


def _unit_key(name: str) -> str:
    return " ".join(w for w in folded_text(name).split() if w not in _UNIT_KIND)


def names_place(*, known: Knowledge, text: str) -> bool:
    """True when `text` names one of the units, by its current or a former name."""
    words = folded_text(text)
    keys = known.memo("followup.places", lambda: _place_keys(known))
    return any(_contains(words, key) for key in keys)


def _place_keys(known: Knowledge) -> tuple[str, ...]:
    """Every unit's current and former names, as compared."""
    return tuple(_unit_key(name) for unit in known.units for name in (unit.name, *unit.old_names))


def names_other_field(*, known: Knowledge, text: str, intent: str) -> bool:
    """True when `text` contains a keyword of a topic that does not list `intent`
    ("còn đất đai thì sao" after a birth registration). One-word keywords are left out:
    folded, they collide with common words ("đất" / "đặt"); so is a keyword naming a
    paper to bring ("bản sao công chứng", "có cần công chứng không", "sổ hộ khẩu"): that
    asks about documents; and so is a stated condition ("… chưa … thì"): a circumstance."""
    words = _DOCUMENT_PAPER.sub(" ", asked_after_condition(text) or folded_text(text))
    fields = known.memo("followup.fields", lambda: _field_keys(known))
    return any(
        _contains(words, key) for intents, keys in fields if intent not in intents for key in keys
    )


def _field_keys(known: Knowledge) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each topic's intents and its keywords of several words, folded."""
    return [
        (topic.intents, [k for k in map(folded_text, topic.keywords) if len(k.split()) > 1])
        for topic in known.topics
    ]


def contrasts_subject(*, known: Knowledge, text: str) -> bool:
    """True when `text` opens by setting a new subject against the one discussed: "còn X
    thì …" ("and what about X …"), where X is no aspect, place or circumstance of it. "còn
    thuế thì đóng ở đâu" asks about taxes; "còn lệ phí thì sao" and "còn ở Cửa Ông thì
    sao" follow up. Typed with diacritics, "con" (a child) opens no contrast."""
    written = normalize(text).split()
    words = strip_diacritics(" ".join(written)).split()
    start = 1 if words[:1] in (["vay"], ["the"]) else 0
    if words[start : start + 1] != ["con"] or "thi" not in words[start + 1 :]:
        return False
    if written[start] != "còn" and any(strip_diacritics(w) != w for w in written):
        return False
    subject = " ".join(words[start + 1 : words.index("thi", start + 1)])
    return bool(subject) and followup_aspect(known=known, text=subject) is None


def followup_aspect(*, known: Knowledge, text: str) -> Aspect | None:
    """What a follow-up asks about, or None when `text` is no follow-up.

    A named aspect comes first; a paper to certify ("có cần công chứng không") asks for
    the documents; a place asks where to file; a circumstance is answered from the notes,
    where an answer's special cases are, as is a stated condition ("chưa … thì …").
    """
    named = aspects_in(text)
    if named:
        return named[0]
    if _DOCUMENT_PAPER.search(folded_text(text)):  # "có cần công chứng hợp đồng không"
        return Aspect.DOCUMENTS
    if names_place(known=known, text=text):
        return Aspect.WHERE
    if names_circumstance(text) or asked_after_condition(text) is not None:
        return Aspect.NOTES
    return None


def question_aspect(
    *, known: Knowledge, intent: str, text: str, found: Aspect | None
) -> Aspect | None:
    """The part of `intent`'s answer that answers a further question about it, given what
    `followup_aspect` found in `text`: an aspect, a paper or a place named; for who has to
    file, the section that says so (`who_files`); for a circumstance, or when nothing is
    named, the section that speaks of what the text mentions (`sections`), else the notes
    (None when the answer has none)."""
    who = who_files_aspect(known=known, intent=intent, text=text) if found is Aspect.NOTES else None
    if who is not None:  # who has to file: the section that says so
        return who
    aspect = found
    if aspect is None or aspect is Aspect.NOTES:
        aspect = section_speaking_of(known=known, intent=intent, text=text) or aspect
    if aspect is None and Aspect.NOTES in known.aspects(intent):
        aspect = Aspect.NOTES
    return aspect
