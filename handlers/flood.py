"""The first handler group: per-chat flood control, before any other handler."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.abuse.flood import FloodGate, Verdict
from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_ui import say

FLOOD_GROUP = -2


def flood_guard(per_minute: int) -> TypeHandler[Update, Context, None]:
    """A handler that counts every update of a chat and stops those over the budget: the
    first gets a polite slow-down (in a private chat), the rest are dropped silently."""
    gate = FloodGate(per_minute)

    async def check(update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        verdict = gate.admit(chat.id)
        if verdict is Verdict.PASS:
            return
        if verdict is Verdict.WARN and chat.type == ChatType.PRIVATE:
            await say(update, context, texts.SLOW_DOWN)
        raise ApplicationHandlerStop

    return TypeHandler(Update, check)
