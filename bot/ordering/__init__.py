"""Each chat's updates in order, chats concurrently, and (on PostgreSQL) across processes."""

from bot.ordering.processor import ChatOrderedProcessor, ordering_key
from bot.ordering.shared import share_chat_state, shares_state

__all__ = ["ChatOrderedProcessor", "ordering_key", "share_chat_state", "shares_state"]
