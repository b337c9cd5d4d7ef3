"""A python-telegram-bot persistence in the database, so conversations survive restarts.

Only user_data and conversation states are stored (as JSON); bot_data holds live
services and is never persisted. Writes of unchanged values are skipped.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.state import service as state
from bot.state.service import USER_DATA
from bot.state.service import conversation_namespace as _conversation

T = TypeVar("T")
CHAT_DATA = "chat_data"


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], Any]):
    """PTB persistence backed by the `bot_state` table."""

    def __init__(self, sessions: sessionmaker[Session], update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._sessions = sessions
        self._written: dict[tuple[str, str], str] = {}

    async def _db(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self._sessions() as session, session.begin():
                return work(session)

        return await asyncio.to_thread(run)

    async def _save(self, namespace: str, key: str, value: Any) -> None:
        encoded = json.dumps(value, sort_keys=True, ensure_ascii=False)
        if self._written.get((namespace, key)) == encoded:
            return
        await self._db(lambda s: state.save(session=s, namespace=namespace, key=key, value=value))
        self._written[(namespace, key)] = encoded

    async def _remove(self, namespace: str, key: str) -> None:
        await self._db(lambda s: state.remove(session=s, namespace=namespace, key=key))
        self._written.pop((namespace, key), None)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Every user's data."""
        rows = await self._db(lambda s: state.load_namespace(session=s, namespace=USER_DATA))
        for key, value in rows.items():
            self._written[(USER_DATA, key)] = json.dumps(value, sort_keys=True, ensure_ascii=False)
        return {int(key): dict(value) for key, value in rows.items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Chat data is not stored."""
        return {}

    async def get_bot_data(self) -> Any:
        """bot_data holds live services: never stored (PTB keeps its own)."""
        raise NotImplementedError

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """The states of conversation handler `name`, by key."""
        rows = await self._db(
            lambda s: state.load_namespace(session=s, namespace=_conversation(name))
        )
        return {tuple(json.loads(key)): value for key, value in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or forget, when it ended) one conversation's state."""
        encoded_key = json.dumps(list(key))
        if new_state is None:
            await self._remove(_conversation(name), encoded_key)
        else:
            await self._save(_conversation(name), encoded_key, new_state)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Store one user's data (skipped when unchanged)."""
        if not data and (USER_DATA, str(user_id)) not in self._written:
            return
        await self._save(USER_DATA, str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def update_bot_data(self, data: Any) -> None:
        """bot_data is not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Arbitrary callback data is not used."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        await self._remove(USER_DATA, str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def refresh_bot_data(self, bot_data: Any) -> None:
        """bot_data is not stored."""

    async def flush(self) -> None:
        """Every write already went to the database."""
