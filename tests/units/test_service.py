from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.units.service import (
    import_units,
    list_units,
    match_unit,
    old_names_mentioned,
    read_units_file,
)


@pytest.fixture
def units(session: Session) -> Session:
    import_units(session=session, rows=read_units_file())
    return session


def test_five_units_in_file_order(units: Session) -> None:
    assert [u.code for u in list_units(session=units)] == ["CP", "CO", "QH", "MD", "HH"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Phường Cẩm Phả", "CP"),
        ("cam trung", "CP"),
        ("P. Cẩm Thuỷ", "QH"),
        ("phuong cam thuy", "QH"),
        ("Cửa Ông", "CO"),
        ("xã Dương Huy", "MD"),
        ("Hải Hoà", "HH"),
        ("qh", "QH"),
    ],
)
def test_match_unit_understands_current_and_old_names(
    units: Session, typed: str, code: str
) -> None:
    unit = match_unit(session=units, text=typed)
    assert unit is not None and unit.code == code


def test_match_unit_rejects_unknown_names(units: Session) -> None:
    assert match_unit(session=units, text="Hạ Long") is None
    assert match_unit(session=units, text="   ") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ubnd phường Cẩm Trung cũ làm việc mấy giờ", [("Cẩm Trung", "CP", False)]),
        (
            "cam thuy voi cam thach gio thuoc dau",
            [("Cẩm Thạch", "QH", False), ("Cẩm Thủy", "QH", False)],
        ),
        ("xã Dương Huy cũ nộp hồ sơ ở đâu", [("Dương Huy", "MD", False)]),
        ("nhà em ở xã Hải Lạng cũ", [("Hải Lạng", "HH", True)]),
        ("bộ phận một cửa phường Cửa Ông ở đâu", []),  # a current name, not an old one
        ("Cẩm Trungg", []),
        ("", []),
    ],
)
def test_old_names_mentioned_in_a_free_text(
    units: Session, text: str, expected: list[tuple[str, str, bool]]
) -> None:
    found = old_names_mentioned(session=units, text=text)
    assert [(m.old_name, m.unit.code, m.in_part) for m in found] == expected


def test_import_units_keeps_edits_unless_overwriting(units: Session) -> None:
    rows = read_units_file()
    rows[0] = {**rows[0], "phone": "0203 000 000"}
    assert import_units(session=units, rows=rows) == 0
    assert list_units(session=units)[0].phone is None
    import_units(session=units, rows=rows, overwrite=True)
    first = list_units(session=units)[0]
    assert first.phone == "0203 000 000" and len(list_units(session=units)) == 5
