"""Referrals to other bodies: seeded from the catalogue, told in a short escaped reply,
kept out of the menu and of our procedures' suggestions, carried by export and import."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.archive import export_archive, import_archive
from bot.faq.examples import example_counts
from bot.faq.intents import IntentInvalid, list_intents, load_intent, save_intent
from bot.faq.models import PROCEDURE, REFERRAL, FaqAnswer
from bot.faq.portable import export_knowledge, import_knowledge, seed_knowledge
from bot.faq.referrals import REFERRALS_FILE, is_referral, referral_html
from bot.faq.service import read_answer_file, titles
from bot.faq.topics import list_topics, topic_procedures
from bot.sandbox.tghtml import parse_html
from bot.staff.roles import Actor, Role
from bot.texts import referrals as T
from nlu.training_data import read_examples, training_files

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
CATALOGUE = yaml.safe_load(REFERRALS_FILE.read_text(encoding="utf-8"))["referrals"]
INTENTS = {f"ref_{entry['key']}" for entry in CATALOGUE}


def _plain(html: str) -> str:
    """The text a citizen sees (parsing also proves the HTML is valid Telegram HTML)."""
    return parse_html(html)[0]


def test_seeding_creates_every_catalogue_entry_with_its_examples(session: Session) -> None:
    seed_knowledge(session=session)
    rows = session.scalars(select(FaqAnswer).where(FaqAnswer.kind == REFERRAL)).all()
    assert {row.intent for row in rows} == INTENTS and len(INTENTS) == 29
    assert all(row.topic is None and row.active for row in rows)
    counts = example_counts(session=session)
    train = read_examples(training_files())
    for intent in INTENTS:
        assert counts.get(intent, 0) >= 6, intent
        assert counts[intent] == len(train[intent])
    # Ours stay procedures; the referrals are in no topic, so never in the menu.
    assert session.get(FaqAnswer, "khai_sinh").kind == PROCEDURE  # type: ignore[union-attr]
    listed = {intent for topic in list_topics(session=session) for intent in topic.intents}
    assert not listed & INTENTS


def test_a_sure_entry_is_told_plainly_an_unsure_one_with_care(session: Session) -> None:
    seed_knowledge(session=session)
    divorce = referral_html(session=session, intent="ref_ly_hon")  # ✅ in the catalogue
    assert divorce is not None
    plain = _plain(divorce)
    assert "Việc này do Tòa án nhân dân khu vực giải quyết" in plain
    assert "không thuộc thẩm quyền của phường/xã" in plain
    assert "Tòa án nhân dân tỉnh" in plain  # the note
    assert "theo thông tin hiện có" not in plain.casefold()
    passport = referral_html(session=session, intent="ref_ho_chieu")  # ⚠️
    assert passport is not None
    plain = _plain(passport)
    assert plain.splitlines()[1].startswith("Theo thông tin hiện có, việc này do Phòng Quản lý")
    assert "kiểm tra việc nộp trực tuyến trên Cổng dịch vụ công Bộ Công an, VNeID" in plain
    assert "nên hỏi lại" in plain
    for entry in CATALOGUE:
        html = referral_html(session=session, intent=f"ref_{entry['key']}")
        assert html is not None and entry["body"] in _plain(html)
        assert len(_plain(html)) < 1000, entry["key"]


def test_referral_html_escapes_and_refuses_what_is_no_active_referral(session: Session) -> None:
    seed_knowledge(session=session)
    row = session.get(FaqAnswer, "ref_visa")
    assert row is not None
    row.title = "Visa <b>Mỹ</b>"
    row.sections = [
        {"label": T.BODY_LABEL, "text": "Đại sứ quán <script>x</script> & Lãnh sự"},
        {"label": T.CONTACT_LABEL, "text": "Gọi <i>số</i> trên trang web"},
        {"label": "Giờ <làm>", "text": "8 < 9"},
    ]
    html = referral_html(session=session, intent="ref_visa")
    assert html is not None
    assert "<b>Đại sứ quán &lt;script&gt;x&lt;/script&gt; &amp; Lãnh sự</b>" in html
    assert "Gọi &lt;i&gt;số&lt;/i&gt; trên trang web" in html
    assert "<b>Giờ &lt;làm&gt;:</b> 8 &lt; 9" in html
    plain = _plain(html)
    assert plain.startswith("Visa <b>Mỹ</b>\n")
    assert "Ông/bà liên hệ: Gọi <i>số</i> trên trang web" in plain
    assert is_referral(session=session, intent="ref_visa")
    assert not is_referral(session=session, intent="khai_sinh")
    assert not is_referral(session=session, intent="no_such")
    assert referral_html(session=session, intent="khai_sinh") is None
    row.active = False
    assert referral_html(session=session, intent="ref_visa") is None


def test_referrals_are_never_suggested_as_our_procedures(session: Session) -> None:
    seed_knowledge(session=session)
    assert titles(session=session, intents=["ref_ly_hon", "khai_sinh"]) == {
        "khai_sinh": "Đăng ký khai sinh"
    }
    # Even an admin's mistake of listing one in a topic does not put it in the menu.
    topic = list_topics(session=session)[0]
    topic.intents = [*topic.intents, "ref_ly_hon"]
    listed = topic_procedures(session=session, topic_id=topic.id)
    assert listed is not None and "ref_ly_hon" not in dict(listed[1])


def test_the_editor_keeps_a_referral_out_of_topics_and_lists_it_by_kind(
    session: Session,
) -> None:
    seed_knowledge(session=session)
    form = load_intent(session=session, intent="ref_thue")
    assert form.kind == REFERRAL and form.topic_id is None
    form.summary = ""  # the admin checked the facts
    save_intent(session=session, actor=ADMIN, form=form)
    row = session.get(FaqAnswer, "ref_thue")
    assert row is not None and row.kind == REFERRAL and row.updated_by == ADMIN.tag
    html = referral_html(session=session, intent="ref_thue")
    assert html is not None and _plain(html).splitlines()[1].startswith("Việc này do")
    form.topic_id = list_topics(session=session)[0].id
    with pytest.raises(IntentInvalid, match=T.REFERRAL_NO_TOPIC):
        save_intent(session=session, actor=ADMIN, form=form)
    referrals = list_intents(session=session, kind=REFERRAL)
    assert {r.intent for r in referrals} == INTENTS
    assert all(r.kind == REFERRAL for r in referrals)
    assert not {r.intent for r in list_intents(session=session, kind=PROCEDURE)} & INTENTS


def test_export_and_import_keep_the_kind(session: Session, fresh: Session, tmp_path: Path) -> None:
    seed_knowledge(session=session)
    out = tmp_path / "out"
    export_knowledge(session=session, directory=out)
    assert read_answer_file(out / "answers" / "ref_ly_hon.yml").kind == REFERRAL
    assert "kind" not in (out / "answers" / "khai_sinh.yml").read_text(encoding="utf-8")
    assert (out / "train" / "ref_ly_hon.yml").exists()
    import_knowledge(session=fresh, directory=out, overwrite=False)
    assert is_referral(session=fresh, intent="ref_ly_hon")
    assert not is_referral(session=fresh, intent="khai_sinh")
    assert referral_html(session=fresh, intent="ref_ho_chieu") == referral_html(
        session=session, intent="ref_ho_chieu"
    )


def test_the_console_archive_carries_the_kind(session: Session, fresh: Session) -> None:
    seed_knowledge(session=session)
    data = export_archive(session=session, actor=ADMIN)
    import_archive(session=fresh, actor=ADMIN, data=data, overwrite=False)
    kinds = {i: k for i, k in fresh.execute(select(FaqAnswer.intent, FaqAnswer.kind))}
    assert {i for i, k in kinds.items() if k == REFERRAL} == INTENTS
    assert kinds["khai_sinh"] == PROCEDURE
