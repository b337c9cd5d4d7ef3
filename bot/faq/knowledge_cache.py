"""The knowledge snapshot each process answers from, reloaded when the knowledge changes.

Each engine (database) has one cache. It reads the revision counter (bot/faq/revision.py)
at most once per KNOWLEDGE_RECHECK_SECONDS and reloads the snapshot when the counter
moved: another process's edit is live within that interval. A commit in this process that
changed knowledge makes the next read check at once. A transaction that changed knowledge
and has not committed reads its own, private snapshot (its changes are not yet anyone
else's).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.faq.knowledge import Knowledge
from bot.faq.knowledge_load import load_knowledge
from bot.faq.revision import PRIVATE, changed_in, engine_of, on_commit, read_revision
from bot.settings import get_settings


class KnowledgeCache:
    """One database's snapshot: built whole, then published (a reader never sees a
    snapshot half built), and checked against the revision now and then."""

    def __init__(self, recheck_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._recheck = recheck_seconds
        self._clock = clock
        self._current: Knowledge | None = None
        self._next_check = 0.0  # the clock value after which the revision is read again
        self._generation = 0  # moved by `invalidate`
        self._state = threading.Lock()
        self._refreshing = threading.Lock()

    def fresh(self) -> Knowledge | None:
        """The snapshot, if no check of the revision is due (then no database is needed)."""
        current = self._current
        return current if current is not None and self._clock() < self._next_check else None

    def get(self, session: Session) -> Knowledge:
        """The snapshot, the revision read through `session` first if a check is due."""
        return self.fresh() or self._refresh(session)

    def invalidate(self) -> None:
        """Check the revision on the next read (this process committed a change)."""
        with self._state:
            self._generation += 1
            self._next_check = 0.0

    def _refresh(self, session: Session) -> Knowledge:
        current = self._current
        # While another thread checks, the others answer from the snapshot they have.
        if current is not None and not self._refreshing.acquire(blocking=False):
            return current
        if current is None:
            self._refreshing.acquire()
        try:
            fresh = self.fresh()
            if fresh is not None:
                return fresh
            generation = self._generation
            revision = read_revision(session)
            current = self._current
            if current is None or current.revision != revision:
                current = load_knowledge(session, revision)
                self._current = current
            with self._state:
                if generation == self._generation:  # no commit since the revision was read
                    self._next_check = self._clock() + self._recheck
            return current
        finally:
            self._refreshing.release()


_caches: WeakKeyDictionary[Engine, KnowledgeCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Engine) -> KnowledgeCache:
    """The cache of `engine`'s database in this process."""
    cache = _caches.get(engine)
    if cache is None:
        with _caches_lock:
            cache = _caches.get(engine)
            if cache is None:
                recheck = get_settings().knowledge_recheck_seconds
                cache = _caches[engine] = KnowledgeCache(recheck)
    return cache


def knowledge_of(session: Session) -> Knowledge:
    """The knowledge as `session` should see it: the shared snapshot, or the transaction's
    own when it changed knowledge and has not committed."""
    if changed_in(session):
        private: Knowledge | None = session.info.get(PRIVATE)
        if private is None:
            private = session.info[PRIVATE] = load_knowledge(session, read_revision(session))
        return private
    return cache_for(engine_of(session)).get(session)


def fresh_knowledge(sessions: sessionmaker[Session]) -> Knowledge | None:
    """The snapshot of the sessions' database if it needs no check now, else None."""
    bind = sessions.kw.get("bind")
    return cache_for(bind).fresh() if isinstance(bind, Engine) else None


def _invalidate(engine: Engine) -> None:
    cache = _caches.get(engine)
    if cache is not None:
        cache.invalidate()


on_commit(_invalidate)
