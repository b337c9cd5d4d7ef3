"""The inbox: /cases with filters in the query string, and its rows for the 5 s refresh.

A bad filter value never fails the page: it is dropped with a polite notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.cases.inbox import (
    ALL_STATUSES,
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    DueFilter,
    InboxChoices,
    InboxPage,
    InboxQuery,
    InboxSort,
    inbox_choices,
    inbox_page,
)
from bot.cases.status import OPEN, CaseKind, CaseStatus
from bot.console.auth import login_required
from bot.console.deps import actor_of, run_db
from bot.console.templating import render
from bot.digits import parse_digits
from bot.texts import inbox as texts

MAX_Q = 200
MAX_PAGE = 100_000
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
E = TypeVar("E", CaseKind, CaseStatus, DueFilter, InboxSort)


@dataclass
class _Parser:
    """Reads the query string into an InboxQuery, noting each value it had to drop."""

    params: QueryParams
    notices: list[str]

    def bad(self, field: str, value: str) -> None:
        self.notices.append(texts.BAD_VALUE.format(value=value[:40], field=field))

    def values(self, name: str) -> list[str]:
        return [v.strip() for v in self.params.getlist(name) if v.strip()]

    def one(self, name: str) -> str:
        found = self.values(name)
        return found[-1] if found else ""

    def member(self, value: str, field: str, enum: type[E]) -> E | None:
        try:
            return enum(value)
        except ValueError:
            self.bad(field, value)
            return None

    def enums(self, name: str, field: str, enum: type[E]) -> frozenset[E]:
        found = (self.member(value, field, enum) for value in self.values(name))
        return frozenset(member for member in found if member is not None)

    def enum(self, name: str, field: str, enum: type[E]) -> E | None:
        value = self.one(name)
        return self.member(value, field, enum) if value else None

    def choice(self, name: str, field: str, allowed: Iterable[str]) -> str | None:
        value = self.one(name)
        if value and value not in set(allowed):
            self.bad(field, value)
            return None
        return value or None

    def day(self, name: str, field: str) -> date | None:
        value = self.one(name)
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value, pattern).date() if value else None
            except ValueError:
                continue
        self.bad(field, value)
        return None


def _statuses(parser: _Parser) -> frozenset[CaseStatus]:
    wanted = parser.values("status")
    if "all" in wanted:
        return ALL_STATUSES
    if wanted == ["open"]:
        return OPEN
    return parser.enums("status", texts.LABEL_STATUS, CaseStatus) or OPEN


def _page(parser: _Parser) -> int:
    value = parser.one("page")
    if not value:
        return 1
    page = parse_digits(value)
    if page is not None and 1 <= page <= MAX_PAGE:
        return page
    parser.bad("trang", value)
    return 1


def parse_query(params: QueryParams, choices: InboxChoices) -> tuple[InboxQuery, list[str]]:
    """The inbox query the parameters ask for, and the notices about dropped values."""
    parser = _Parser(params, [])
    assignee = parser.choice(
        "assignee",
        texts.LABEL_ASSIGNEE,
        [ASSIGNEE_ME, ASSIGNEE_NONE, *(c.value for c in choices.staff)],
    )
    received_from = parser.day("from", texts.LABEL_FROM)
    received_to = parser.day("to", texts.LABEL_TO)
    if received_from and received_to and received_to < received_from:
        parser.notices.append(texts.BAD_RANGE)
        received_from = received_to = None
    query = InboxQuery(
        kinds=parser.enums("kind", texts.LABEL_KIND, CaseKind),
        statuses=_statuses(parser),
        unit=parser.choice("unit", texts.LABEL_UNIT, (c.value for c in choices.units)),
        assignee=staff_id if (staff_id := parse_digits(assignee)) is not None else assignee,
        due=parser.enum("due", texts.LABEL_DUE, DueFilter),
        received_from=received_from,
        received_to=received_to,
        q=parser.one("q")[:MAX_Q],
        sort=parser.enum("sort", texts.LABEL_SORT, InboxSort) or InboxSort.DUE,
        page=_page(parser),
    )
    return query, parser.notices


def query_params(query: InboxQuery) -> dict[str, list[str]]:
    """The query string that asks for `query` again (defaults left out)."""
    if query.statuses == OPEN:
        statuses = []
    elif query.statuses >= ALL_STATUSES:
        statuses = ["all"]
    else:
        statuses = sorted(s.value for s in query.statuses)
    params = {
        "q": [query.q],
        "kind": sorted(k.value for k in query.kinds),
        "status": statuses,
        "unit": [query.unit or ""],
        "assignee": [str(query.assignee or "")],
        "due": [query.due.value if query.due else ""],
        "from": [query.received_from.isoformat() if query.received_from else ""],
        "to": [query.received_to.isoformat() if query.received_to else ""],
        "sort": [query.sort.value if query.sort is not InboxSort.DUE else ""],
        "page": [str(query.page) if query.page > 1 else ""],
    }
    return {name: [v for v in values if v] for name, values in params.items()}


def linker(query: InboxQuery) -> Callable[..., str]:
    """`link(page=2, status="accepted", …)`: the inbox URL with those parameters changed."""

    def link(**changes: str | int | None) -> str:
        params = query_params(query)
        for name, value in changes.items():
            dropped = value is None or (name == "page" and value == 1)  # page 1 is the default
            params[name] = [] if dropped else [str(value)]
        encoded = urlencode([(n, v) for n, values in params.items() for v in values])
        return f"/cases?{encoded}" if encoded else "/cases"

    return link


@login_required
async def inbox(request: Request) -> Response:
    """/cases: the list; with `partial=1`, only the results block (for the auto refresh)."""
    actor = actor_of(request)

    def work(session: Session) -> tuple[InboxChoices, InboxQuery, list[str], InboxPage]:
        choices = inbox_choices(session=session, actor=actor)
        query, notices = parse_query(request.query_params, choices)
        return choices, query, notices, inbox_page(session=session, actor=actor, query=query)

    choices, query, notices, page = await run_db(request, work)
    partial = request.query_params.get("partial") == "1"
    context = {
        "TI": texts,
        "choices": choices,
        "query": query,
        "notices": notices,
        "page": page,
        "link": linker(query),
        "open_statuses": OPEN,
        "all_statuses": ALL_STATUSES,
        "statuses": list(CaseStatus),
        "kinds": list(CaseKind),
    }
    return render(request, "cases/_inbox_rows.html" if partial else "cases/inbox.html", context)


routes = [Route("/cases", inbox, methods=["GET"])]
