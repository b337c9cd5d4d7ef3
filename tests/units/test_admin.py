"""Units as admins edit them: validation, audit, and office answers using them at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.faq.service import answer_html, import_answers, read_answer_files
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role
from bot.units.admin import (
    UnitInvalid,
    UnitNotFound,
    load_unit,
    save_unit,
    valid_phone,
    validate_unit,
)

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
OFFICER = Actor(id=2, username="canbo.qh", role=Role.OFFICER, unit_code="QH")


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0203 3862 123", True),
        ("0203.3862.123", True),
        ("(0203) 3862-123", True),
        ("+84 203 3862 123", True),
        ("0912 345 678", True),
        ("1900 1234", True),
        ("0203 3862 123 (văn phòng); 0912 345 678", True),
        ("0203 3862 123, 0912345678", True),
        ("123", False),
        ("gọi 0203 3862 123", False),
        ("0203 3862 123,", False),
        ("02033862123456", False),
    ],
)
def test_vietnamese_phone_numbers(phone: str, ok: bool) -> None:
    assert valid_phone(phone) is ok


def test_save_is_audited_and_live_in_office_answers(db: Session) -> None:
    import_answers(session=db, answers=read_answer_files())
    form = load_unit(session=db, code="QH")
    assert form.phone == "" and "Quang Hanh" in form.old_names
    form.phone = " 0203 3862 123 "
    form.reception_schedule = "Thứ Năm hằng tuần, 8:00–11:00\r\nChủ tịch UBND phường tiếp"
    form.old_names = [*form.old_names, " Cẩm Thủy ", "Khe Sim"]
    save_unit(session=db, actor=ADMIN, form=form)
    saved = load_unit(session=db, code="QH")
    assert saved.phone == "0203 3862 123"
    assert saved.reception_schedule == "Thứ Năm hằng tuần, 8:00–11:00\nChủ tịch UBND phường tiếp"
    assert saved.old_names == ["Cẩm Thạch", "Cẩm Thủy", "Quang Hanh", "Khe Sim"]
    html = (
        answer_html(session=db, intent="lich_tiep_cong_dan", text="Khe Sim cũ tiếp dân khi nào")
        or ""
    )
    assert "0203 3862 123" in html and "Thứ Năm hằng tuần" in html and "Khe Sim" in html
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "save_unit")).one()
    assert (entry.target_type, entry.target_id, entry.actor) == ("unit", "QH", "staff:quantri")
    assert entry.before is not None and entry.after is not None
    assert entry.before["phone"] == "" and entry.after["phone"] == "0203 3862 123"


def test_emptied_fields_become_unknown_again(db: Session) -> None:
    form = load_unit(session=db, code="MD")
    assert form.address
    form.address = "   "
    save_unit(session=db, actor=ADMIN, form=form)
    html_form = load_unit(session=db, code="MD")
    assert html_form.address == ""


def test_validation(db: Session) -> None:
    form = load_unit(session=db, code="HH")
    form.name = " "
    form.address = "x" * 301
    form.phone = "gọi ngay"
    form.hours = "x" * 2001
    form.reception_schedule = "x" * 2001
    form.old_names = ["Hải Hòa", "y" * 101]
    form.old_names_in_part = ["Hải Lạng"]
    problems = validate_unit(form)
    assert [p.field for p in problems] == [
        "name",
        "address",
        "hours",
        "reception_schedule",
        "phone",
        "old_names",
        "old_names_in_part",
    ]
    with pytest.raises(UnitInvalid):
        save_unit(session=db, actor=ADMIN, form=form)
    assert load_unit(session=db, code="HH").old_names_in_part == ["Hải Hòa", "Hải Lạng"]


def test_only_admins_and_only_known_units(db: Session) -> None:
    form = load_unit(session=db, code="QH")
    with pytest.raises(Forbidden):
        save_unit(session=db, actor=OFFICER, form=form)
    with pytest.raises(UnitNotFound):
        load_unit(session=db, code="ZZ")
    form.code = "ZZ"
    with pytest.raises(UnitNotFound):
        save_unit(session=db, actor=ADMIN, form=form)
