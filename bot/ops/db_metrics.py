"""The database's figures for Prometheus (outbox depth and age, cases by status), read
by a collector at scrape time, and the registry one `/metrics` endpoint serves.

The collector is not registered in prometheus-client's default registry: each console app
gets its own registry (`exposition_registry`) that forwards the default one (the bot's
counters when the console runs in the bot's process) and adds the collector for the app's
database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.clock import as_utc, utcnow
from bot.cases.models import Case
from bot.cases.status import CaseStatus
from bot.outbox.models import OutboxMessage
from bot.outbox.service import OutboxStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatabaseFigures:
    """What the database says at one moment."""

    outbox_pending: int
    outbox_oldest_pending_seconds: float
    outbox_failed: int
    outbox_uncertain: int
    cases: dict[str, int]


def read_figures(session: Session) -> DatabaseFigures:
    """Two aggregate queries: the outbox by status (with its oldest pending message) and
    the cases by status."""
    outbox = {
        status: (count, oldest)
        for status, count, oldest in session.execute(
            select(OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
            .where(
                OutboxMessage.status.in_(
                    [OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.UNCERTAIN]
                )
            )
            .group_by(OutboxMessage.status)
        )
    }
    pending, oldest = outbox.get(OutboxStatus.PENDING.value, (0, None))
    age = (utcnow() - as_utc(oldest)).total_seconds() if oldest is not None else 0.0
    cases = {str(status): 0 for status in CaseStatus}
    for status, count in session.execute(select(Case.status, func.count()).group_by(Case.status)):
        cases[status] = count
    return DatabaseFigures(
        outbox_pending=pending,
        outbox_oldest_pending_seconds=max(age, 0.0),
        outbox_failed=outbox.get(OutboxStatus.FAILED.value, (0, None))[0],
        outbox_uncertain=outbox.get(OutboxStatus.UNCERTAIN.value, (0, None))[0],
        cases=cases,
    )


class DatabaseCollector(Collector):
    """Outbox depth and age, failed messages and cases by status, read at scrape time and
    kept for `ttl` seconds so that frequent scrapes cannot load the database."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, DatabaseFigures | None] | None = None
        self._failing = False

    def figures(self) -> DatabaseFigures | None:
        """The figures, from the cache when fresh; None while the database fails."""
        with self._lock:
            now = self._clock()
            if self._cached is not None and now - self._cached[0] < self._ttl:
                return self._cached[1]
            found = self._read()
            self._cached = (now, found)
            return found

    def _read(self) -> DatabaseFigures | None:
        try:
            with self._sessions() as session:
                found = read_figures(session)
        except SQLAlchemyError as exc:
            if not self._failing:
                log.warning("Metrics: database unavailable (%s)", type(exc).__name__)
            self._failing = True
            return None
        self._failing = False
        return found

    def describe(self) -> Iterable[Metric]:
        """Nothing to describe ahead (no query at registration)."""
        return []

    def collect(self) -> Iterator[Metric]:
        """The families, or only `tiepdan_database_up 0` while the database fails."""
        found = self.figures()
        yield GaugeMetricFamily(
            "tiepdan_database_up",
            "1 when the database answered the metrics queries, else 0.",
            value=0 if found is None else 1,
        )
        if found is None:
            return
        yield GaugeMetricFamily(
            "tiepdan_outbox_pending",
            "Messages in the outbox waiting to be sent.",
            value=found.outbox_pending,
        )
        yield GaugeMetricFamily(
            "tiepdan_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting in the outbox (0 when none waits).",
            value=found.outbox_oldest_pending_seconds,
        )
        yield GaugeMetricFamily(
            "tiepdan_outbox_failed",
            "Outbox messages that failed for good (staff can send them again).",
            value=found.outbox_failed,
        )
        yield GaugeMetricFamily(
            "tiepdan_outbox_uncertain",
            "Outbox messages whose send may have reached Telegram, waiting for staff.",
            value=found.outbox_uncertain,
        )
        cases = GaugeMetricFamily("tiepdan_cases", "Cases by status.", labels=["status"])
        for status, count in sorted(found.cases.items()):
            cases.add_metric([status], count)
        yield cases


class _Forward(Collector):
    """Everything in another registry (the process-wide default one)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        return self._registry.collect()


def exposition_registry(sessions: sessionmaker[Session]) -> CollectorRegistry:
    """A registry for one `/metrics` endpoint: the process's metrics and the database's."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Forward(REGISTRY))
    registry.register(DatabaseCollector(sessions))
    return registry
