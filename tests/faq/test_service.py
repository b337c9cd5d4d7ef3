from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq import service as faq
from bot.faq.aspects import Aspect
from bot.faq.models import FaqAnswer
from tests.factories import answer_data


def test_import_answers_adds_new_and_keeps_edited_rows(session: Session) -> None:
    assert faq.import_answers(session=session, answers=[answer_data()]) == 1
    row = faq.get_answer(session=session, intent="khai_sinh")
    assert row is not None
    row.title = "Khai sinh (đã sửa)"
    session.flush()

    assert faq.import_answers(session=session, answers=[answer_data()]) == 0
    kept = faq.get_answer(session=session, intent="khai_sinh")
    assert kept is not None and kept.title == "Khai sinh (đã sửa)"

    assert faq.import_answers(session=session, answers=[answer_data()], overwrite=True) == 1
    replaced = faq.get_answer(session=session, intent="khai_sinh")
    assert replaced is not None and replaced.title == "Đăng ký khai sinh"
    assert replaced.sections[0]["label"] == "Giấy tờ cần chuẩn bị"


def test_titles_and_list_cover_only_known_intents(session: Session) -> None:
    faq.import_answers(
        session=session,
        answers=[answer_data(), answer_data("ket_hon", "Đăng ký kết hôn")],
    )
    assert faq.titles(session=session, intents=["ket_hon", "greet"]) == {
        "ket_hon": "Đăng ký kết hôn"
    }
    listed = session.scalars(select(FaqAnswer.intent).order_by(FaqAnswer.title))
    assert list(listed) == ["khai_sinh", "ket_hon"]
    assert faq.get_answer(session=session, intent="greet") is None


def test_data_files_are_complete_and_well_formed() -> None:
    answers = faq.read_answer_files()
    intents = {a.intent for a in answers}
    assert {"khai_sinh", "ket_hon", "chung_thuc_ban_sao"} <= intents
    for answer in answers:
        assert answer.title and answer.sections and answer.checked_on, answer.intent
        assert answer.source_url and answer.source_url.startswith("https://"), answer.intent


PROCEDURE_LABELS = [
    "Giấy tờ cần chuẩn bị",
    "Nơi nộp",
    "Thời gian giải quyết",
    "Lệ phí",
    "Căn cứ pháp lý",
]
OFFICE_INTENTS = {
    "gio_lam_viec",
    "dia_chi_mot_cua",
    "lich_tiep_cong_dan",
    "nop_truc_tuyen",
    "tra_cuu_ho_so",
}


def test_procedure_answers_have_the_standard_sections_in_order() -> None:
    procedures = [a for a in faq.read_answer_files() if a.intent not in OFFICE_INTENTS]
    assert len(procedures) >= 26
    for answer in procedures:
        labels = [s["label"] for s in answer.sections]
        assert labels[:5] == PROCEDURE_LABELS, answer.intent
        assert all(s["text"].strip() for s in answer.sections), answer.intent


def test_answer_html_overview_aspect_and_whole_guide(session: Session) -> None:
    faq.import_answers(session=session, answers=faq.read_answer_files())
    overview = faq.answer_html(session=session, intent="ket_hon")
    aspect = faq.answer_html(session=session, intent="ket_hon", aspect=Aspect.FEE)
    whole = faq.answer_html(session=session, intent="ket_hon", full=True)
    assert overview and aspect and whole
    assert "Căn cứ pháp lý" not in overview.split("Ông/bà muốn biết thêm về")[0]
    assert "<b>Lệ phí</b>" in aspect and "<b>Giấy tờ cần chuẩn bị</b>" not in aspect
    assert all(f"<b>{label}</b>" in whole for label in ("Giấy tờ cần chuẩn bị", "Lệ phí", "Lưu ý"))
    assert len(overview) < 1000 and len(aspect) < 1000 < len(whole)
    assert faq.answer_aspects(session=session, intent="ket_hon")[:2] == [
        Aspect.DOCUMENTS,
        Aspect.WHERE,
    ]


def test_office_answers_stay_whole_with_units(session: Session) -> None:
    from bot.units.service import import_units, read_units_file

    import_units(session=session, rows=read_units_file())
    faq.import_answers(session=session, answers=faq.read_answer_files())
    whole = faq.answer_html(session=session, intent="gio_lam_viec", full=True)
    assert faq.answer_html(session=session, intent="gio_lam_viec") == whole
    assert faq.answer_html(session=session, intent="gio_lam_viec", aspect=Aspect.TIME) == whole
    assert whole and "Phường Cửa Ông" in whole
    assert faq.answer_aspects(session=session, intent="gio_lam_viec") == []
    row = faq.get_answer(session=session, intent="ket_hon")
    assert row is not None
    row.active = False
    assert faq.answer_html(session=session, intent="ket_hon", aspect=Aspect.FEE) is None
    assert faq.answer_aspects(session=session, intent="ket_hon") == []
