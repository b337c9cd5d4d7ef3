from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy.orm import Session

from bot.faq.models import FaqAnswer
from bot.faq.render import TELEGRAM_TEXT_LIMIT, render_answer
from bot.faq.service import UNIT_INTENTS, read_answer_files
from bot.units.models import Unit
from bot.units.service import read_units_file
from tests.factories import answer_data

TELEGRAM_TAGS = {"b", "i", "a", "u", "s", "code", "pre", "blockquote"}


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def as_row(intent: str = "khai_sinh") -> FaqAnswer:
    data = answer_data(intent)
    return FaqAnswer(
        intent=data.intent,
        title=data.title,
        summary=data.summary,
        sections=data.sections,
        source_url=data.source_url,
        checked_on=data.checked_on,
    )


def test_render_has_heading_sections_link_and_date() -> None:
    html = render_answer(as_row())
    assert html.startswith("<b>ĐĂNG KÝ KHAI SINH</b>")
    assert "<b>Giấy tờ cần chuẩn bị</b>\n• Tờ khai;\n• Giấy chứng sinh." in html
    assert 'href="https://dichvucong.gov.vn/' in html
    assert "cập nhật ngày 29/11/2026" in html


def test_render_escapes_stored_text() -> None:
    html = render_answer(as_row())
    assert "&lt;60 ngày&gt; &amp; đủ hồ sơ" in html
    assert "<60" not in html


def test_every_data_answer_renders_within_telegram_limits() -> None:
    units = [Unit(**row) for row in read_units_file()]
    for data in read_answer_files():
        row = FaqAnswer(
            intent=data.intent,
            title=data.title,
            summary=data.summary,
            sections=data.sections,
            source_url=data.source_url,
            checked_on=data.checked_on,
        )
        html = render_answer(row, units if data.intent in UNIT_INTENTS else [])
        assert len(html) <= TELEGRAM_TEXT_LIMIT, data.intent
        collector = TagCollector()
        collector.feed(html)
        assert set(collector.tags) <= TELEGRAM_TAGS, data.intent


def test_office_answers_list_every_unit_and_pending_details(session: Session) -> None:
    from bot.faq.service import answer_html, import_answers, read_answer_files
    from bot.units.service import import_units, read_units_file

    import_units(session=session, rows=read_units_file())
    import_answers(session=session, answers=read_answer_files())
    html = answer_html(session=session, intent="dia_chi_mot_cua")
    assert html is not None
    for name in (
        "Phường Cẩm Phả",
        "Phường Cửa Ông",
        "Phường Quang Hanh",
        "Phường Mông Dương",
        "Xã Hải Hòa",
    ):
        assert name in html
    assert "đang cập nhật" in html
    assert "Gồm các phường cũ Cẩm Bình, Cẩm Đông" in html and "đang xác nhận lại" in html
    assert "Phường Cẩm Phả" not in (answer_html(session=session, intent="khai_sinh") or "")
