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
