"""The database-backed PTB persistence on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.db import session_factory
from bot.persistence import DatabasePersistence


async def test_conversations_and_user_data_survive_a_new_instance(db_url: str) -> None:
    sessions = session_factory(db_url)
    first = DatabasePersistence(sessions)
    await first.update_conversation("case_intake", (7, 7), "address")
    await first.update_conversation("case_intake", (8, 8), "kind")
    await first.update_user_data(7, {"case_draft": {"id": "abc", "fields": {"name": "Lan"}}})
    await first.update_user_data(9, {})  # nothing worth a row
    await first.update_conversation("case_intake", (8, 8), None)  # ended

    second = DatabasePersistence(sessions)
    assert await second.get_conversations("case_intake") == {(7, 7): "address"}
    assert await second.get_user_data() == {
        7: {"case_draft": {"id": "abc", "fields": {"name": "Lan"}}}
    }
    assert await second.get_conversations("other") == {}
    await second.drop_user_data(7)
    assert await DatabasePersistence(sessions).get_user_data() == {}


async def test_user_data_written_in_the_callers_transaction(db_url: str) -> None:
    """A handler writes user data with its own work, in one commit; the persistence then
    skips the same value, and a value it still owes the database is not overtaken."""
    sessions = session_factory(db_url)
    persistence = DatabasePersistence(sessions)
    writer = persistence.user_data_writer(7)
    assert writer is not None
    with sessions() as session, session.begin():
        writer.write(session, {"answer_context": {"intent": "khai_sinh"}})
    writer.committed()
    assert await DatabasePersistence(sessions).get_user_data() == {
        7: {"answer_context": {"intent": "khai_sinh"}}
    }
    # Rewritten in place (a second transaction updates the same row).
    again = persistence.user_data_writer(7)
    assert again is not None
    with sessions() as session, session.begin():
        again.write(session, {"answer_context": {"intent": "ket_hon"}})
    again.committed()
    stored = await DatabasePersistence(sessions).get_user_data()
    assert stored == {7: {"answer_context": {"intent": "ket_hon"}}}

    # Nothing to keep for a user without a row: no empty row is made.
    empty = persistence.user_data_writer(9)
    assert empty is not None
    with sessions() as session, session.begin():
        empty.write(session, {})
    assert 9 not in await DatabasePersistence(sessions).get_user_data()

    # A refused write of user 7 waits for the database: it is written by the persistence
    # itself (in order), not by a handler's transaction.
    persistence._unsaved[("user_data", "7")] = '{"answer_context": null}'
    assert persistence.user_data_writer(7) is None
