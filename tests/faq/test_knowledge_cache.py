"""The knowledge snapshot: what it holds, and when each process sees an edit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.answering.service import Action, Thresholds, decide
from bot.db import make_engine, session_factory
from bot.faq import intents as it
from bot.faq import knowledge_cache
from bot.faq.knowledge import Knowledge
from bot.faq.knowledge_cache import KnowledgeCache, cache_for, fresh_knowledge, knowledge_of
from bot.faq.models import FaqAnswer, FaqTopic
from bot.faq.portable import seed_knowledge
from bot.faq.revision import read_revision
from bot.faq.service import answer_html, import_answers, read_answer_files
from bot.settings import Settings
from bot.staff.roles import Actor, Role
from bot.units import admin as units_admin
from bot.units.models import Unit
from handlers.question import answer_parts, answer_topic
from nlu.client import ParseResult
from tests.factories import parse_result

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)


class Clock:
    """A clock the test moves (the recheck interval without sleeping)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sessions(db_url: str, monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    """This process's sessions on a seeded database; its cache rechecks only hourly, so
    what it sees at once is its own commits' doing."""
    slow = Settings(knowledge_recheck_seconds=3600)
    monkeypatch.setattr(knowledge_cache, "get_settings", lambda: slow)
    factory = session_factory(db_url)
    with factory() as session:
        seed_knowledge(session=session)
        session.commit()
    return factory


@pytest.fixture
def other_process(db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on an engine of their own, standing for another process."""
    engine = make_engine(db_url)
    yield sessionmaker(bind=engine)
    engine.dispose()


def read(sessions: sessionmaker[Session], cache: KnowledgeCache | None = None) -> Knowledge:
    """The snapshot a bot worker would answer from, in a transaction of its own."""
    with sessions() as session, session.begin():
        return cache.get(session) if cache is not None else knowledge_of(session)


def revision(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return read_revision(session)


def test_the_snapshot_holds_what_the_database_holds(sessions: sessionmaker[Session]) -> None:
    known = read(sessions)
    with sessions() as session:
        rows = session.scalars(select(FaqAnswer)).all()
        assert len(rows) >= 60 and len(known.answers) == len(rows)
        for row in rows:
            copy = known.answers[row.intent]
            assert (copy.kind, copy.title, copy.topic, copy.summary) == (
                row.kind,
                row.title,
                row.topic,
                row.summary,
            )
            assert [dict(s) for s in copy.sections] == row.sections
            assert (copy.source_url, copy.checked_on, copy.active) == (
                row.source_url,
                row.checked_on,
                row.active,
            )
        topics = session.scalars(select(FaqTopic).order_by(FaqTopic.position)).all()
        assert [
            (t.id, t.title, t.position, list(t.intents), list(t.keywords)) for t in known.topics
        ] == [(t.id, t.title, t.position, t.intents, t.keywords) for t in topics]
        units = session.scalars(select(Unit).order_by(Unit.position)).all()
        assert [(u.code, u.name, list(u.old_names), u.address, u.hours) for u in known.units] == [
            (u.code, u.name, u.old_names, u.address, u.hours) for u in units
        ]
        assert known.revision == read_revision(session) > 0


def test_a_console_edit_is_live_for_the_next_message(sessions: sessionmaker[Session]) -> None:
    before, first = revision(sessions), read(sessions)
    assert read(sessions) is first  # cached: no reload without a change
    with sessions() as session:
        form = replace(it.load_intent(session=session, intent="khai_sinh"), title="Khai sinh mới")
        it.save_intent(session=session, actor=ADMIN, form=form)
        # Not committed: the editing transaction sees its edit, the bot does not.
        assert knowledge_of(session).answers["khai_sinh"].title == "Khai sinh mới"
        assert read(sessions).answers["khai_sinh"].title == "Đăng ký khai sinh"
        session.commit()
    assert revision(sessions) > before
    assert read(sessions).answers["khai_sinh"].title == "Khai sinh mới"
    with sessions() as session:
        form = units_admin.load_unit(session=session, code="QH")
        units_admin.save_unit(
            session=session, actor=ADMIN, form=replace(form, phone="0203 111 222")
        )
        session.commit()
    with sessions() as session:
        html = answer_html(session=session, intent="gio_lam_viec") or ""
    assert "0203 111 222" in html


def test_a_bulk_update_and_an_import_bump_the_revision(sessions: sessionmaker[Session]) -> None:
    read(sessions)
    before = revision(sessions)
    with sessions() as session:
        session.execute(update(FaqAnswer).where(FaqAnswer.intent == "ket_hon").values(active=False))
        session.commit()
    assert revision(sessions) == before + 1
    known = read(sessions)
    assert known.active("ket_hon") is None and "ket_hon" not in known.titles(["ket_hon"])
    data = next(a for a in read_answer_files() if a.intent == "khai_sinh")
    with sessions() as session:
        import_answers(
            session=session, answers=[replace(data, title="Khai sinh nhập lại")], overwrite=True
        )
        session.commit()
    assert revision(sessions) == before + 2
    assert read(sessions).answers["khai_sinh"].title == "Khai sinh nhập lại"


def test_another_process_sees_an_edit_after_the_recheck_interval(
    sessions: sessionmaker[Session], other_process: sessionmaker[Session]
) -> None:
    clock = Clock()
    theirs = KnowledgeCache(recheck_seconds=0.5, clock=clock)
    assert read(other_process, theirs).answers["khai_sinh"].active
    with sessions() as session:
        session.execute(
            update(FaqAnswer).where(FaqAnswer.intent == "khai_sinh").values(active=False)
        )
        session.commit()
    assert read(sessions).active("khai_sinh") is None  # this process: at once
    clock.now = 0.4
    assert read(other_process, theirs).active("khai_sinh") is not None  # not yet checked
    clock.now = 0.6
    assert read(other_process, theirs).active("khai_sinh") is None


def test_a_fresh_snapshot_needs_no_database(sessions: sessionmaker[Session]) -> None:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    known = read(sessions)
    assert fresh_knowledge(sessions) is known
    cache_for(engine).invalidate()
    assert fresh_knowledge(sessions) is None
    assert read(sessions) is known  # the revision did not move: the same snapshot


@pytest.mark.parametrize(
    ("text", "parse", "previous"),
    [
        ("khai sinh cần giấy tờ gì", parse_result(("khai_sinh", 0.9)), None),
        ("ở Cửa Ông thì nộp ở đâu", parse_result(("out_of_scope", 0.9)), "khai_sinh"),
        ("ly hôn", parse_result(("ref_ly_hon", 0.9)), None),
        ("hộ tịch", parse_result(("khai_sinh", 0.4), ("ket_hon", 0.3)), None),
        ("???", parse_result(("khai_sinh", 0.3), ("ket_hon", 0.2)), None),
    ],
)
def test_answering_from_a_fresh_snapshot_runs_no_sql(
    sessions: sessionmaker[Session], text: str, parse: ParseResult, previous: str | None
) -> None:
    read(sessions)
    statements: list[str] = []
    engine = sessions.kw["bind"]

    def listener(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        with sessions() as session:
            decision = decide(
                session=session, text=text, parse=parse, thresholds=Thresholds(), previous=previous
            )
            buttons = (answer_topic(session, decision), answer_parts(session, decision))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert decision.reply and statements == []
    assert (buttons[0] is not None) is (decision.action is Action.FAQ)


def test_a_reader_never_sees_a_half_built_snapshot(
    sessions: sessionmaker[Session], other_process: sessionmaker[Session]
) -> None:
    counts = (len(read(sessions).answers), len(read(sessions).topics))
    cache = KnowledgeCache(recheck_seconds=0)  # every read checks, many reload
    seen: list[Knowledge] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                seen.append(read(other_process, cache))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for n in range(15):  # each commit renames every answer at once
            with sessions() as session:
                session.execute(update(FaqAnswer).values(title=f"Phiên bản {n}"))
                session.commit()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    assert len({k.revision for k in seen}) > 2
    for known in seen:
        assert (len(known.answers), len(known.topics), len(known.units)) == (*counts, 5)
        assert len({a.title for a in known.answers.values()}) == 1 or known is seen[0]
    last = read(other_process, cache)
    assert {a.title for a in last.answers.values()} == {"Phiên bản 14"}
