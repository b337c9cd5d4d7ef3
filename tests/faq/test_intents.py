"""Intents as admins edit them: list, validation, preview, save, delete, and what the bot
answers after an edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.cases.clock import utcnow
from bot.faq import intents as it
from bot.faq.examples import add_examples, list_examples
from bot.faq.models import AnswerFeedback
from bot.faq.portable import seed_knowledge
from bot.faq.service import answer_html, titles
from bot.faq.topics import topic_of, topic_procedures
from bot.messages.models import InboundMessage
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role
from bot.units.service import list_units

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
LEADER = Actor(id=2, username="lanhdao.all", role=Role.LEADER, unit_code=None)
EXAMPLES = [
    "xin cấp giấy phép karaoke",
    "mở quán karaoke cần giấy tờ gì",
    "đăng ký kinh doanh karaoke ở đâu",
    "giay phep karaoke mat bao lau",
    "karaoke có cần xin phép phòng cháy không",
]


@pytest.fixture
def known(session: Session) -> Session:
    """A database seeded from the repository, as at start."""
    seed_knowledge(session=session)
    return session


def new_form(**changes: object) -> it.IntentForm:
    form = replace(
        it.new_intent_form(),
        intent="karaoke",
        title="Giấy phép kinh doanh karaoke",
        topic_id="thu_tuc_khac",
        summary="Hộ kinh doanh xin phép trước khi mở.",
        examples=list(EXAMPLES),
    )
    form.sections[0]["text"] = "- Đơn đề nghị;\n- Giấy chứng nhận hộ kinh doanh."
    return replace(form, **changes)


def test_create_an_intent_and_it_is_answered_at_once(known: Session) -> None:
    it.save_intent(session=known, actor=ADMIN, form=new_form(), creating=True)
    loaded = it.load_intent(session=known, intent="karaoke")
    assert loaded.examples == EXAMPLES
    assert loaded.sections == [
        {
            "label": "Giấy tờ cần chuẩn bị",
            "text": "- Đơn đề nghị;\n- Giấy chứng nhận hộ kinh doanh.",
        }
    ]
    topic = topic_of(session=known, intent="karaoke")
    assert topic is not None and topic.intents[-1] == "karaoke"
    html = answer_html(session=known, intent="karaoke")
    assert html is not None and html.startswith("<b>GIẤY PHÉP KINH DOANH KARAOKE</b>")
    assert html == it.preview_html(session=known, form=new_form())
    entry = known.scalars(select(AuditEntry).where(AuditEntry.action == "create_intent")).one()
    assert entry.before is None and entry.after is not None
    assert entry.actor == "staff:quantri" and entry.after["examples"] == EXAMPLES


def test_edits_are_live_and_audited_with_before_and_after(known: Session) -> None:
    form = it.load_intent(session=known, intent="khai_sinh")
    form.title = "Khai sinh cho trẻ"
    form.topic_id = "thong_tin_chung"
    form.examples = [*form.examples[1:], "giấy khai sinh cho bé mới đẻ làm ở đâu vậy ad"]
    it.save_intent(session=known, actor=ADMIN, form=form)
    assert (answer_html(session=known, intent="khai_sinh") or "").startswith("<b>KHAI SINH CHO TRẺ")
    topic = topic_of(session=known, intent="khai_sinh")
    assert topic is not None and topic.id == "thong_tin_chung"
    assert [e.text for e in list_examples(session=known, intent="khai_sinh")] == form.examples
    entry = known.scalars(select(AuditEntry).where(AuditEntry.action == "save_intent")).one()
    assert entry.before is not None and entry.after is not None
    assert (
        entry.before["title"] == "Đăng ký khai sinh" and entry.after["title"] == "Khai sinh cho trẻ"
    )
    assert entry.before["checked_on"] == "2026-11-29"
    row = next(r for r in it.list_intents(session=known) if r.intent == "khai_sinh")
    assert row.updated_by == "staff:quantri" and row.topic_id == "thong_tin_chung"


def test_an_inactive_intent_is_not_answered_listed_or_suggested(known: Session) -> None:
    form = it.load_intent(session=known, intent="khai_tu")
    form.active = False
    form.examples = form.examples[:2]  # fewer than the minimum is fine when inactive
    it.save_intent(session=known, actor=ADMIN, form=form)
    assert answer_html(session=known, intent="khai_tu") is None
    assert titles(session=known, intents=["khai_tu", "khai_sinh"]) == {
        "khai_sinh": "Đăng ký khai sinh"
    }
    listed = topic_procedures(session=known, topic_id="ho_tich")
    assert listed is not None and "khai_tu" not in [i for i, _ in listed[1]]


def test_validation_messages(known: Session) -> None:
    bad = new_form(
        intent="Karaoke mới",
        title="",
        topic_id="nope",
        examples=["a", "b\x07c", "x" * 301, "Làm giấy khai sinh cho con cần gì?"],
        sections=[{"label": "", "text": "nội dung"}],
        source_url="ftp://x",
    )
    problems = it.validate_intent(session=known, form=bad, creating=True)
    fields = [p.field for p in problems]
    assert fields == [
        "intent",
        "title",
        "topic_id",
        "examples",
        "examples",
        "examples",
        "examples",
        "sections",
        "source_url",
    ]
    messages = " | ".join(p.message for p in problems)
    assert "ít nhất 5 câu mẫu" in messages
    assert "ký tự điều khiển" in messages and "dài quá 300" in messages
    assert "«Đăng ký khai sinh»" in messages  # the clashing intent, by its title
    taken = it.validate_intent(session=known, form=new_form(intent="greet"), creating=True)
    assert [p.field for p in taken] == ["intent"]
    assert it.validate_intent(session=known, form=new_form(), creating=True) == []
    with pytest.raises(it.IntentInvalid) as error:
        it.save_intent(session=known, actor=ADMIN, form=bad, creating=True)
    assert error.value.problems == problems


def test_the_answer_must_fit_one_telegram_message(known: Session) -> None:
    form = new_form(sections=[{"label": "Lưu ý", "text": "<b>" + "x" * 4100}])
    problems = it.validate_intent(session=known, form=form, creating=True)
    assert [p.field for p in problems] == ["answer"]
    assert "4096" in problems[0].message
    assert "&lt;b&gt;" in it.preview_html(session=known, form=form)  # escaped, not markup


def test_office_answers_are_measured_with_the_units(known: Session) -> None:
    form = it.load_intent(session=known, intent="gio_lam_viec")
    html = it.preview_html(session=known, form=form)
    assert all(unit.name in html for unit in list_units(session=known))
    unit = list_units(session=known)[0]
    unit.hours = "x" * 4000
    problems = it.validate_intent(session=known, form=form, creating=False)
    assert [p.field for p in problems] == ["answer"]


def test_list_filters_and_counts(known: Session) -> None:
    now = utcnow()
    known.add_all(
        [
            InboundMessage(chat_id=1, text="khai sinh", intent="khai_sinh", action="faq"),
            InboundMessage(chat_id=1, text="khai sinh", intent="khai_sinh", action="faq"),
            InboundMessage(
                chat_id=1,
                text="cũ",
                intent="khai_sinh",
                action="faq",
                created_at=now - timedelta(days=40),
            ),
            AnswerFeedback(chat_id=1, intent="khai_sinh", helpful=False),
            AnswerFeedback(chat_id=1, intent="khai_sinh", helpful=True),
            AnswerFeedback(chat_id=2, intent="khai_sinh", helpful=True),
            AnswerFeedback(chat_id=2, intent="khai_sinh", helpful=True),
        ]
    )
    known.flush()
    rows = it.list_intents(session=known, now=now)
    assert len(rows) == 60 and rows[0].intent == "khai_sinh" and rows[0].topic_id == "ho_tich"
    first = rows[0]
    assert (first.questions_30d, first.not_right_share, first.active) == (2, 0.25, True)
    assert first.examples == len(list_examples(session=known, intent="khai_sinh"))
    assert rows[1].not_right_share is None
    assert [r.intent for r in it.list_intents(session=known, q="khai sinh")] == ["khai_sinh"]
    assert [r.intent for r in it.list_intents(session=known, q="KHAI_TU")] == ["khai_tu"]
    assert {r.intent for r in it.list_intents(session=known, topic="chung_thuc")} == {
        "chung_thuc_ban_sao",
        "chung_thuc_chu_ky",
        "chung_thuc_hop_dong",
    }


def test_delete_asks_first_and_is_not_undone_by_the_next_start(known: Session) -> None:
    with pytest.raises(it.NeedsConfirmation) as asked:
        it.delete_intent(session=known, actor=ADMIN, intent="khai_tu", confirmed=False)
    assert any("câu mẫu" in r for r in asked.value.references)
    assert any("Hộ tịch" in r for r in asked.value.references)
    it.delete_intent(session=known, actor=ADMIN, intent="khai_tu", confirmed=True)
    assert answer_html(session=known, intent="khai_tu") is None
    assert topic_of(session=known, intent="khai_tu") is None
    assert it.deleted_intents(session=known) == {"khai_tu"}
    seed_knowledge(session=known)  # what every start does
    assert list_examples(session=known, intent="khai_tu") == []
    assert topic_of(session=known, intent="khai_tu") is None
    with pytest.raises(it.IntentNotFound):
        it.load_intent(session=known, intent="khai_tu")
    # Created again, it is no longer "deleted".
    it.save_intent(
        session=known,
        actor=ADMIN,
        form=new_form(
            intent="khai_tu",
            examples=["khai tu cho bo", "bao tu", "chung tu", "giay bao tu", "lam khai tu"],
        ),
        creating=True,
    )
    assert it.deleted_intents(session=known) == set()


def test_an_intent_nothing_refers_to_is_deleted_at_once(known: Session) -> None:
    it.save_intent(
        session=known, actor=ADMIN, form=new_form(active=False, examples=[]), creating=True
    )
    it.load_intent(session=known, intent="karaoke")
    topic = topic_of(session=known, intent="karaoke")
    assert topic is not None
    topic.intents = [i for i in topic.intents if i != "karaoke"]
    assert it.intent_references(session=known, intent="karaoke") == []
    it.delete_intent(session=known, actor=ADMIN, intent="karaoke", confirmed=False)
    assert answer_html(session=known, intent="karaoke") is None


def test_only_admins_change_intents(known: Session) -> None:
    form = it.load_intent(session=known, intent="khai_sinh")
    with pytest.raises(Forbidden):
        it.save_intent(session=known, actor=LEADER, form=form)
    with pytest.raises(Forbidden):
        it.delete_intent(session=known, actor=LEADER, intent="khai_sinh", confirmed=True)
    add_examples(session=known, actor_tag="t", intent="x", texts=["y"])
