from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy.orm import Session

from bot.faq.aspects import Aspect
from bot.faq.models import FaqAnswer
from bot.faq.render import (
    TELEGRAM_TEXT_LIMIT,
    aspects_of,
    render_answer,
    render_aspect,
    render_overview,
)
from bot.faq.service import UNIT_INTENTS, read_answer_files
from bot.texts import answers as answer_texts
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


def data_rows() -> list[FaqAnswer]:
    return [
        FaqAnswer(
            intent=d.intent,
            title=d.title,
            summary=d.summary,
            sections=d.sections,
            source_url=d.source_url,
            checked_on=d.checked_on,
        )
        for d in read_answer_files()
    ]


def test_every_aspect_reply_is_short_and_leads_with_that_aspect() -> None:
    procedures = [row for row in data_rows() if aspects_of(row)]
    assert len(procedures) >= 25
    for row in procedures:
        for aspect in aspects_of(row):
            html = render_aspect(row, aspect)
            assert len(html) < 1000, (row.intent, aspect)
            heading = html.split("\n\n")[1]
            assert heading.startswith(f"<b>{answer_texts.ASPECT_NAMES[aspect]}</b>") or (
                aspect is Aspect.ONLINE and heading.startswith("<b>Nơi nộp</b>")
            ), (row.intent, aspect)
            collector = TagCollector()
            collector.feed(html)
            assert set(collector.tags) <= TELEGRAM_TAGS


def test_overview_lists_what_can_be_asked_but_no_section() -> None:
    row = next(r for r in data_rows() if r.intent == "can_cuoc")
    html = render_overview(row)
    assert html.startswith("<b>THẺ CĂN CƯỚC")
    assert "7 ngày làm việc" not in html and "Luật Căn cước 2023" not in html
    assert "• Thời gian giải quyết\n• Lệ phí\n• Nộp trực tuyến" in html
    assert len(html) < 1000 < len(render_answer(row))


def test_online_is_the_lines_about_filing_online_else_where_to_file() -> None:
    row = next(r for r in data_rows() if r.intent == "can_cuoc")
    online = render_aspect(row, Aspect.ONLINE)
    assert "VNeID hoặc Cổng Dịch vụ công quốc gia" in online
    assert "Trực tiếp: cơ quan Công an" not in online
    small = as_row()
    small.sections = [*small.sections, {"label": "Nơi nộp", "text": "- Trực tiếp: phường."}]
    assert "<b>Nơi nộp</b>\n• Trực tiếp: phường." in render_aspect(small, Aspect.ONLINE)


def test_the_other_aspects_asked_follow_the_first_once_each() -> None:
    row = next(r for r in data_rows() if r.intent == "can_cuoc")
    html = render_aspect(row, Aspect.WHERE, also=(Aspect.TIME, Aspect.ONLINE, Aspect.LEGAL))
    blocks = html.split("\n\n")
    assert blocks[1].startswith("<b>Nơi nộp</b>") and blocks[2].startswith("<b>Thời gian")
    # online: only the lines the "where" section has not given already
    assert blocks[3].startswith("<b>Nộp trực tuyến</b>") and "miễn lệ phí" in blocks[3]
    assert html.count("ứng dụng VNeID hoặc Cổng Dịch vụ công quốc gia") == 1
    assert blocks[4].startswith("<b>Căn cứ pháp lý</b>")
    pointer = next(b for b in blocks if b.startswith("<i>"))
    assert "giấy tờ" in pointer and "lệ phí" in pointer
    assert "thời gian" not in pointer and "căn cứ" not in pointer
    # all the rest given: the pointer is to the whole guide only
    every = render_aspect(row, Aspect.DOCUMENTS, also=tuple(aspects_of(row)))
    assert f"<i>{answer_texts.FULL_POINTER}</i>" in every.split("\n\n")
    assert "Các nội dung khác" not in every
    # one the answer lacks is left out, the first leads as before
    assert render_aspect(as_row(), Aspect.FEE, also=(Aspect.TIME,)) == render_aspect(
        as_row(), Aspect.FEE
    )


def test_an_aspect_the_answer_lacks_is_said_and_the_overview_follows() -> None:
    html = render_aspect(as_row(), Aspect.TIME)
    assert html.startswith("Hướng dẫn về thủ tục này chưa có mục “Thời gian giải quyết”")
    assert render_overview(as_row()) in html


def test_office_answers_have_no_aspects() -> None:
    office = {r.intent for r in data_rows() if not aspects_of(r)}
    assert office >= UNIT_INTENTS
    assert "nop_truc_tuyen" in office and "khai_sinh" not in office
