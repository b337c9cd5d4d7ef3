"""The official register of receptions (Sổ tiếp công dân, mẫu 03/TCD; domain.md §3).

One row per case received in the period, oldest first. A case that went through a
status keeps it in the register (guided, transferred, accepted), read from its event
log, so closing a case does not blank its "within competence" or "guided to" cells.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from bot.cases.models import Case, CaseEvent
from bot.cases.status import CaseStatus
from bot.reports.cells import content, identity, local_date
from bot.reports.exports import Cell, ExportFile, Format, Table, export_table
from bot.reports.service import ReportFilter, filter_conditions
from bot.staff.roles import Actor
from bot.texts import console as labels
from bot.texts import reports as texts

ACTION = "export_register"
WIDTHS = (6, 14, 32, 18, 60, 14, 12, 20, 12, 24, 24, 22, 30)


def reached(status: CaseStatus) -> ColumnElement[bool]:
    """SQL condition: the case is, or once was, in `status`."""
    logged = exists(
        select(CaseEvent.id).where(CaseEvent.case_id == Case.id, CaseEvent.status_to == status)
    )
    return or_(Case.status == status.value, logged)


def _note(case: Case, original: str | None) -> str:
    parts = [texts.NOTE_CODE.format(code=case.code)]
    if original:
        parts.append(texts.NOTE_DUPLICATE.format(code=original))
    if case.as_information:
        parts.append(texts.NOTE_AS_INFORMATION)
    return "; ".join(parts)


def _follow_up(case: Case) -> str:
    label = labels.STATUS_LABELS[case.status]
    return f"{label}: {case.status_reason}" if case.status_reason else label


def register_table(
    *, session: Session, actor: Actor, report_filter: ReportFilter, today: date
) -> Table:
    """The register's rows for the cases `actor` may see that match `report_filter`."""
    duplicate, original = aliased(Case), aliased(Case)
    stmt = (
        select(
            Case,
            select(func.count())
            .where(duplicate.duplicate_of_id == Case.id)
            .correlate(Case)
            .scalar_subquery(),
            select(original.code)
            .where(original.id == Case.duplicate_of_id)
            .correlate(Case)
            .scalar_subquery(),
            reached(CaseStatus.ACCEPTED),
            reached(CaseStatus.GUIDED),
            reached(CaseStatus.TRANSFERRED),
        )
        .where(*filter_conditions(actor=actor, report_filter=report_filter, today=today))
        .order_by(Case.received_at, Case.id)
    )
    rows: list[list[Cell]] = []
    for number, (case, duplicates, original_code, accepted, guided, transferred) in enumerate(
        session.execute(stmt), start=1
    ):
        person = identity(case)
        rows.append(
            [
                number,
                local_date(case.received_at),
                person.name_and_address(),
                person.id_number,
                content(case),
                texts.KIND_CODES[case.kind],
                1 + int(duplicates or 0),
                "",  # a body that handled it before: not asked of the citizen
                texts.WITHIN_COMPETENCE if accepted else "",
                (case.routed_to or "") if guided else "",
                (case.routed_to or "") if transferred else "",
                _follow_up(case),
                _note(case, original_code),
            ]
        )
    return Table(texts.REGISTER_SHEET, texts.REGISTER_COLUMNS, rows, WIDTHS)


def export_register(
    *,
    session: Session,
    actor: Actor,
    report_filter: ReportFilter,
    fmt: Format,
    today: date,
    ip: str | None = None,
) -> ExportFile:
    """The register as a file; the export is recorded in the audit log."""
    name = texts.REGISTER_FILE.format(
        start=report_filter.date_from.strftime("%d-%m-%Y"),
        end=report_filter.date_to.strftime("%d-%m-%Y"),
    )
    return export_table(
        session=session,
        actor=actor,
        table=register_table(
            session=session, actor=actor, report_filter=report_filter, today=today
        ),
        fmt=fmt,
        action=ACTION,
        name=name,
        filters=dict(report_filter.params()),
        ip=ip,
    )
