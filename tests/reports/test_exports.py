"""Exports on SQLite and PostgreSQL: the register's columns, masking, CSV/XLSX safety, audit."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from bot.audit.service import recent
from bot.cases.inbox import ALL_STATUSES, InboxQuery
from bot.cases.status import CaseStatus
from bot.reports.case_list import case_table, export_cases
from bot.reports.exports import ExportFile, Format, Table, neutralise, to_csv, to_xlsx
from bot.reports.register import export_register, register_table
from bot.reports.service import ReportFilter
from bot.texts import reports as texts
from tests.reports.seed import DENOUNCER, INJECTION, LEADER_QH, OFFICER_QH, seed

TODAY = date(2026, 12, 3)
NOVEMBER = ReportFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
EVERYTHING = InboxQuery(statuses=ALL_STATUSES)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_register_rows_follow_the_official_columns(db: Session) -> None:
    cases = seed(db)
    table = register_table(session=db, actor=OFFICER_QH, report_filter=NOVEMBER, today=TODAY)
    assert tuple(table.columns) == texts.REGISTER_COLUMNS
    by_note = {str(row[12]).split(";")[0]: row for row in table.rows}
    assert [row[0] for row in table.rows] == [1, 2, 3, 4, 5]  # CP's case is not QH's
    petition = by_note[f"Mã đơn {cases.petition.code}"]
    assert petition[1] == date(2026, 11, 2) and petition[5] == "KN-PA"
    assert petition[6] == 2  # the duplicate points at it
    assert petition[11] == "Đã kết thúc"
    complaint = by_note[f"Mã đơn {cases.complaint.code}"]
    assert complaint[2] == "Trần Văn Bình, tổ 1, khu 2" and complaint[3] == "022188001234"
    assert complaint[5] == "KN" and complaint[8] == "x"
    assert "Quyết định 45/QĐ-UBND" in str(complaint[4])
    denunciation = by_note[f"Mã đơn {cases.denunciation.code}"]
    assert denunciation[2] == denunciation[3] == "(bảo mật)" and denunciation[5] == "TC"
    guided = by_note[f"Mã đơn {cases.anonymous.code}"]
    assert guided[2] == "Ẩn danh" and guided[9] == "Công ty Điện lực Cẩm Phả" and guided[10] == ""
    duplicate = by_note[f"Mã đơn {cases.duplicate.code}"]
    assert f"trùng nội dung với đơn {cases.petition.code}" in str(duplicate[12])


def test_a_status_once_reached_stays_in_the_register(db: Session) -> None:
    from bot.cases.events import append_event
    from bot.cases.status import EventKind

    cases = seed(db)
    append_event(
        session=db,
        case_id=cases.complaint.id,
        kind=EventKind.STATUS_CHANGED,
        actor="staff:lanhdao.qh",
        status_from="received",
        status_to=CaseStatus.ACCEPTED.value,
    )
    cases.complaint.status = CaseStatus.CLOSED.value
    db.flush()
    table = register_table(session=db, actor=LEADER_QH, report_filter=NOVEMBER, today=TODAY)
    row = next(r for r in table.rows if cases.complaint.code in str(r[12]))
    assert row[8] == "x"


def _assert_no_denouncer(rows: list[list[object]], body: bytes) -> None:
    cells = " | ".join(str(value) for row in rows for value in row)
    for secret in DENOUNCER:
        assert secret not in cells
        assert secret.encode() not in body


def test_both_registers_mask_the_denouncer_even_for_the_unit_leader(db: Session) -> None:
    seed(db)
    for fmt, read in ((Format.CSV, csv_rows), (Format.XLSX, xlsx_rows)):
        file = export_register(
            session=db, actor=LEADER_QH, report_filter=NOVEMBER, fmt=fmt, today=TODAY
        )
        rows = read(file.body)
        assert tuple(rows[0]) == texts.REGISTER_COLUMNS
        assert len(rows) == 6 and file.rows == 5
        _assert_no_denouncer(rows, file.body)
        assert "(bảo mật)" in " ".join(str(v) for r in rows for v in r)


def test_case_list_exports_mask_and_follow_the_inbox_filters(db: Session) -> None:
    cases = seed(db)
    table = case_table(session=db, actor=LEADER_QH, query=EVERYTHING, today=TODAY)
    assert tuple(table.columns) == texts.CASES_COLUMNS
    assert {row[0] for row in table.rows} == {
        c.code
        for c in (
            cases.petition,
            cases.complaint,
            cases.denunciation,
            cases.anonymous,
            cases.duplicate,
            cases.before,
        )
    }
    open_only = case_table(session=db, actor=LEADER_QH, query=InboxQuery(), today=TODAY)
    assert cases.petition.code not in {row[0] for row in open_only.rows}  # closed
    searched = InboxQuery(statuses=ALL_STATUSES, q="Binh")
    assert [
        r[0] for r in case_table(session=db, actor=LEADER_QH, query=searched, today=TODAY).rows
    ] == [cases.complaint.code]
    for fmt, read in ((Format.CSV, csv_rows), (Format.XLSX, xlsx_rows)):
        file = export_cases(session=db, actor=LEADER_QH, query=EVERYTHING, fmt=fmt, today=TODAY)
        rows = read(file.body)
        assert tuple(rows[0]) == texts.CASES_COLUMNS
        _assert_no_denouncer(rows, file.body)


def test_formulas_are_neutralised_in_csv_and_stored_as_text_in_xlsx(db: Session) -> None:
    seed(db)
    register = export_register(
        session=db, actor=OFFICER_QH, report_filter=NOVEMBER, fmt=Format.CSV, today=TODAY
    )
    cells = [v for row in csv_rows(register.body) for v in row]
    assert "'" + INJECTION in cells and INJECTION not in cells
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    workbook = export_cases(
        session=db, actor=OFFICER_QH, query=EVERYTHING, fmt=Format.XLSX, today=TODAY
    )
    sheet = load_workbook(io.BytesIO(workbook.body)).active
    assert sheet is not None
    typed = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in typed)
    assert any(cell.value == INJECTION and cell.data_type == "s" for cell in typed)


def test_writers_quote_and_lay_out_the_sheet() -> None:
    table = Table("Sổ", ("Tên", "Ghi chú"), [['Nguyễn, "Lan"', "dòng 1\ndòng 2"], [None, 3]])
    assert csv_rows(to_csv(table))[1:] == [['Nguyễn, "Lan"', "dòng 1\ndòng 2"], ["", "3"]]
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == 16
    assert [neutralise(v) for v in ("-1", "+84", "@x", "a=b")] == ["'-1", "'+84", "'@x", "a=b"]


def test_each_export_is_audited_with_its_filters_and_rows(db: Session) -> None:
    seed(db)
    file: ExportFile = export_register(
        session=db,
        actor=OFFICER_QH,
        report_filter=NOVEMBER,
        fmt=Format.XLSX,
        today=TODAY,
        ip="10.0.0.7",
    )
    assert file.filename == "Sổ tiếp công dân 01-11-2026–30-11-2026.xlsx"
    export_cases(session=db, actor=OFFICER_QH, query=EVERYTHING, fmt=Format.CSV, today=TODAY)
    register_entry = recent(session=db, action="export_register")[0]
    assert register_entry.actor == "staff:canbo.qh" and register_entry.ip == "10.0.0.7"
    assert register_entry.after == {
        "filters": {"unit": [], "kind": [], "from": ["2026-11-01"], "to": ["2026-11-30"]},
        "rows": 5,
        "format": "xlsx",
    }
    cases_entry = recent(session=db, action="export_cases")[0]
    assert cases_entry.after is not None and cases_entry.after["rows"] == 6
    assert cases_entry.after["filters"]["statuses"] == sorted(s.value for s in CaseStatus)
