"""Per-chat re-reading of persisted state, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters
from telegram.ext._utils.trackingdict import TrackingDict
from telegram.ext._utils.types import ConversationKey
from telegram.warnings import PTBUserWarning

from bot.db import session_factory
from bot.ordering import shares_state, turns
from bot.ordering.conversations import conversation_key, set_untracked
from bot.ordering.models import ProcessedUpdate
from bot.ordering.pglock import conninfo
from bot.ordering.shared import SharedChatState
from bot.ordering.turns import Turn
from bot.persistence import (
    REFRESHED_USER,
    DatabasePersistence,
    conversation_state_key,
    user_data_key,
)
from bot.settings import Settings
from bot.state import service
from tests.ordering.updates import callback_update, text_update, user_only_update


def conversation(name: str, **per: bool) -> ConversationHandler[Any]:
    async def noop(*_: object) -> None:
        return None

    entry = (
        CallbackQueryHandler(noop) if per.get("per_message") else MessageHandler(filters.ALL, noop)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # PTB's advice on per_* settings
        return ConversationHandler([entry], {}, [], name=name, persistent=True, **per)


def tracked(
    handler: ConversationHandler[Any], items: dict[ConversationKey, object]
) -> TrackingDict[ConversationKey, object]:
    """Give `handler` the tracking mapping PTB gives a persistent handler at start."""
    states: TrackingDict[ConversationKey, object] = TrackingDict()
    states.update_no_track(items)
    handler._conversations = states
    return states


async def test_refresh_user_data_reads_the_users_row_only_when_shared(db_url: str) -> None:
    sessions = session_factory(db_url)
    mine, other = DatabasePersistence(sessions), DatabasePersistence(sessions)
    await mine.update_user_data(7, {"case_draft": {"step": "address"}})
    await other.update_user_data(7, {"case_draft": {"step": "content"}})
    data: dict[Any, Any] = {"case_draft": {"step": "address"}}
    await mine.refresh_user_data(7, data)
    assert data == {"case_draft": {"step": "address"}}  # alone: this process is the writer
    mine.shared = True
    await mine.refresh_user_data(7, data)
    assert data == {"case_draft": {"step": "content"}}
    # Written back unchanged after a refresh: nothing to write; changed: written.
    await mine.update_user_data(7, data)
    await other.drop_user_data(7)  # e.g. erased by the other process
    await mine.refresh_user_data(7, data)
    assert data == {}
    await mine.update_user_data(7, {"touched_at": {}})
    assert await DatabasePersistence(sessions).get_user_data() == {7: {"touched_at": {}}}


async def test_fresh_values_skip_a_key_whose_write_the_database_refused(db_url: str) -> None:
    sessions = session_factory(db_url)
    mine, other = DatabasePersistence(sessions), DatabasePersistence(sessions)
    await other.update_conversation("case_intake", (7, 7), "content")
    intake, rating = conversation_state_key("case_intake", (7, 7)), user_data_key(7)
    assert await mine.fresh_values([intake, rating]) == {intake: "content", rating: None}
    mine._unsaved[intake] = '"address"'  # this process's newer value waits for the database
    assert await mine.fresh_values([intake, rating]) == {rating: None}


async def test_a_turn_starts_with_the_lock_the_ledger_and_the_state_and_ends_recorded(
    db_url: str,
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("turns run on PostgreSQL's lock connection")
    sessions = session_factory(db_url)
    persistence = DatabasePersistence(sessions)
    await persistence.update_conversation("case_intake", (7, 7), "content")
    await persistence.update_user_data(7, {"case_draft": {"fields": {"name": "Lan"}}})
    keys = [conversation_state_key("case_intake", (7, 7)), user_data_key(7), user_data_key(8)]
    with sessions() as session:
        expected = service.load_keys(session=session, keys=keys)
    assert len(expected) == 2
    url = conninfo(db_url)
    async with (
        await psycopg.AsyncConnection.connect(url, autocommit=True) as first,
        await psycopg.AsyncConnection.connect(url, autocommit=True) as second,
    ):
        assert await turns.start(first, 5, 41, keys) == Turn(handled=False, values=expected)
        assert await turns.start(second, 5, 41, keys) is None  # the chat is busy
        assert await turns.start(second, 6, None, []) == Turn(handled=False, values={})
        await turns.end(second, 6, None)
        await turns.end(first, 5, 41)  # recorded, then let go
        assert await turns.start(second, 5, 41, keys) == Turn(handled=True, values=expected)
        await turns.end(second, 5, None)
        assert await turns.start(first, 5, 42, []) == Turn(handled=False, values={})
        await turns.end(first, 5, None)
        locks = await first.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        assert await locks.fetchone() == (0,)
    with sessions() as session:
        assert session.scalars(select(ProcessedUpdate.update_id)).all() == [41]


async def test_a_guarded_update_sees_this_chats_state_from_the_database(db_url: str) -> None:
    sessions = session_factory(db_url)
    other = DatabasePersistence(sessions)
    intake, rating = conversation("case_intake"), conversation("case_rating")
    intake_states = tracked(intake, {(7, 7): "address", (8, 8): "kind"})
    rating_states = tracked(rating, {(7, 7): "commenting"})
    # The other process moved chat 7's intake on, ended its rating, changed its draft.
    await other.update_conversation("case_intake", (7, 7), "content")
    await other.update_conversation("case_intake", (8, 8), "unit")
    await other.update_user_data(7, {"case_draft": {"step": "content"}})
    app = FakeApp([intake, rating], {7: {"case_draft": {"step": "address"}}})
    mine = DatabasePersistence(sessions, shared=True)
    guard = SharedChatState(app, mine, locks=None)
    async with guard.hold(7, text_update(7)):
        assert dict(intake_states) == {(7, 7): "content", (8, 8): "kind"}  # chat 8 untouched
        assert dict(rating_states) == {}
        assert app.user_data[7] == {"case_draft": {"step": "content"}}
        # PTB's own per-update refresh has nothing to add (no second query).
        assert REFRESHED_USER.get() == 7
        app.user_data[7]["case_draft"]["step"] = "files"
    assert intake_states.pop_accessed_keys() == set() == rating_states.pop_accessed_keys()
    assert app.flushed == 1  # written before the chat is let go
    assert REFRESHED_USER.get() is None


class FakeApp:
    """What the guard uses of an Application: handlers, user data, flushing."""

    def __init__(self, handlers: list[ConversationHandler[Any]], users: dict[int, Any]) -> None:
        self.handlers = {0: handlers}
        self.user_data = users
        self.flushed = 0

    async def update_persistence(self) -> None:
        self.flushed += 1


def test_set_untracked_leaves_a_pending_state_alone() -> None:
    from telegram.ext._handlers.conversationhandler import PendingState

    states: TrackingDict[ConversationKey, object] = TrackingDict()
    pending = PendingState(old_state="a", task=None)  # type: ignore[arg-type]
    states.update_no_track({(1, 1): pending})
    set_untracked(states, (1, 1), "b")
    set_untracked(states, (2, 2), "c")
    set_untracked(states, (3, 3), None)
    assert dict(states) == {(1, 1): pending, (2, 2): "c"}
    assert states.pop_accessed_keys() == set()


@pytest.mark.parametrize(
    ("per_chat", "per_user", "per_message"),
    [p for p in itertools.product([True, False], repeat=3) if any(p)],
)
def test_conversation_keys_are_the_ones_ptb_builds(
    per_chat: bool, per_user: bool, per_message: bool
) -> None:
    handler = conversation("x", per_chat=per_chat, per_user=per_user, per_message=per_message)
    updates = [text_update(7), text_update(-100, user_id=9), callback_update(7, 55, "d")]
    for update in [*updates, user_only_update(5)]:
        try:
            expected: ConversationKey | None = handler._get_key(update)
        except RuntimeError:
            expected = None
        assert conversation_key(handler, update) == expected


def test_shared_state_is_on_with_postgresql_unless_set() -> None:
    sqlite = Settings(database_url="sqlite:///x.db")
    postgres = Settings(database_url="postgresql+psycopg://u@h/db")
    assert not shares_state(sqlite) and shares_state(postgres)
    assert shares_state(sqlite.model_copy(update={"shared_state": True}))
    assert not shares_state(postgres.model_copy(update={"shared_state": False}))
