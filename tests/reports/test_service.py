"""The dashboard's figures on SQLite and PostgreSQL: counts, medians, overdue, ratings, scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.cases.clock import as_utc
from bot.cases.inbox import InboxQuery
from bot.cases.status import CaseKind
from bot.reports.service import Count, ReportFilter, build_report, report_filter, this_month
from bot.staff.permissions import Forbidden
from tests.reports.seed import ADMIN, LEADER_ALL, OFFICER_QH, at, seed

TODAY = date(2026, 12, 3)
NOVEMBER = ReportFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))


def counts(items: Sequence[Count]) -> dict[str, int]:
    return {c.key: c.value for c in items}


def test_figures_for_a_leader_of_all_units(db: Session) -> None:
    seed(db)
    report = build_report(session=db, actor=LEADER_ALL, report_filter=NOVEMBER, today=TODAY)
    assert report.total == 6
    assert counts(report.by_kind) == {"phan_anh": 4, "khieu_nai": 1, "to_cao": 1}
    assert counts(report.by_status) == {
        "received": 3,
        "guided": 1,
        "accepted": 1,
        "closed": 1,
    }
    assert counts(report.by_unit) == {"CP": 1, "QH": 5, "CO": 0, "MD": 0, "HH": 0}
    assert report.first_response.count == 3 and report.first_response.median_hours == 6
    assert report.closing.count == 1 and report.closing.median_days == 3
    assert report.ratings.count == 2 and report.ratings.average == 4
    assert counts(report.ratings.distribution) == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    # Overdue is today's picture: October's open case counts, the closed one does not.
    assert report.overdue == 6


def test_an_officer_sees_only_their_unit(db: Session) -> None:
    seed(db)
    report = build_report(session=db, actor=OFFICER_QH, report_filter=NOVEMBER, today=TODAY)
    assert report.total == 5
    assert counts(report.by_unit) == {"QH": 5}
    assert report.first_response.median_hours == 4  # 2 h and 6 h; CP's 10 h is not theirs
    assert report.overdue == 5


def test_a_unit_outside_the_scope_is_refused(db: Session) -> None:
    seed(db)
    other = ReportFilter(date_from=NOVEMBER.date_from, date_to=NOVEMBER.date_to, unit="CP")
    with pytest.raises(Forbidden):
        build_report(session=db, actor=OFFICER_QH, report_filter=other, today=TODAY)


def test_admins_see_reports_of_every_unit(db: Session) -> None:
    seed(db)
    cp = ReportFilter(date_from=NOVEMBER.date_from, date_to=NOVEMBER.date_to, unit="CP")
    report = build_report(session=db, actor=ADMIN, report_filter=cp, today=TODAY)
    assert report.total == 1 and counts(report.by_unit) == {"CP": 1}
    assert report.overdue == 1


def test_kind_filter_and_empty_figures(db: Session) -> None:
    seed(db)
    complaints = ReportFilter(
        date_from=NOVEMBER.date_from,
        date_to=NOVEMBER.date_to,
        kinds=frozenset({CaseKind.COMPLAINT}),
    )
    report = build_report(session=db, actor=LEADER_ALL, report_filter=complaints, today=TODAY)
    assert report.total == 1 and report.overdue == 1
    assert report.closing.count == 0 and report.closing.median_hours is None
    empty = ReportFilter(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    nothing = build_report(session=db, actor=LEADER_ALL, report_filter=empty, today=TODAY)
    assert nothing.total == 0 and nothing.ratings.average is None


def test_the_period_is_in_local_dates(db: Session) -> None:
    # 1 November 00:30 at the office is still 31 October in UTC.
    early = seed(db, base=at(1, hour=0) + timedelta(minutes=30)).petition
    one_day = ReportFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 1))
    report = build_report(session=db, actor=LEADER_ALL, report_filter=one_day, today=TODAY)
    assert as_utc(early.received_at).day == 31
    assert report.total == 1
    october = ReportFilter(date_from=date(2026, 10, 31), date_to=date(2026, 10, 31))
    assert build_report(session=db, actor=LEADER_ALL, report_filter=october, today=TODAY).total == 0


def test_no_period_means_this_month() -> None:
    assert this_month(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert this_month(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert report_filter(InboxQuery(), today=TODAY) == ReportFilter(
        date(2026, 12, 1), date(2026, 12, 31)
    )
    until = report_filter(InboxQuery(unit="QH", received_to=date(2026, 11, 20)), today=TODAY)
    assert until == ReportFilter(date(2026, 11, 1), date(2026, 11, 20), "QH")
    since = report_filter(InboxQuery(received_from=date(2026, 10, 5)), today=TODAY)
    assert (since.date_from, since.date_to) == (date(2026, 10, 5), TODAY)
