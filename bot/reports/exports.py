"""Writing a table as CSV (UTF-8 with BOM, for Excel) or XLSX, and logging each export.

Cells a spreadsheet would read as a formula (starting with = + - @) are neutralised:
prefixed with an apostrophe in CSV, stored as plain text in XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.staff.roles import Actor
from bot.texts import reports as texts

Cell = str | int | float | date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_WIDTH = 16
MAX_WIDTH = 60


class Format(StrEnum):
    """The file formats offered."""

    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A sheet: its name, header row, rows and column widths (characters)."""

    sheet: str
    columns: Sequence[str]
    rows: list[list[Cell]]
    widths: Sequence[int] = ()


@dataclass(frozen=True)
class ExportFile:
    """A file ready to send: its name (without extension handling left to the caller)."""

    filename: str
    media_type: str
    body: bytes
    rows: int


def neutralise(text: str) -> str:
    """`text`, with an apostrophe in front if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(texts.DATE)
    return neutralise(value) if isinstance(value, str) else str(value)


def to_csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark (Excel then reads Vietnamese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in table.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(sheet: Any, row: int, column: int, value: Cell) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: bold frozen header, sized columns, text never formulas."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.sheet[:31]
    for column, title in enumerate(table.columns, start=1):
        _xlsx_cell(sheet, 1, column, title)
        sheet.cell(row=1, column=column).font = Font(bold=True)
        width = table.widths[column - 1] if column <= len(table.widths) else DEFAULT_WIDTH
        sheet.column_dimensions[get_column_letter(column)].width = min(width, MAX_WIDTH)
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _xlsx_cell(sheet, row_number, column, value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {Format.CSV: to_csv, Format.XLSX: to_xlsx}


def export_table(
    *,
    session: Session,
    actor: Actor,
    table: Table,
    fmt: Format,
    action: str,
    name: str,
    filters: dict[str, Any],
    ip: str | None = None,
) -> ExportFile:
    """Write `table` as `fmt` and record who exported what (filters, row count) in the audit log."""
    body = WRITERS[fmt](table)
    record(
        session=session,
        actor=actor.tag,
        action=action,
        target_type="cases",
        after={"filters": filters, "rows": len(table.rows), "format": fmt.value},
        ip=ip,
    )
    return ExportFile(f"{name}.{fmt.value}", MEDIA_TYPES[fmt], body, len(table.rows))
