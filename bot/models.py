"""Imports every model so Alembic and tests see the whole schema."""

from bot.db import Base
from bot.faq.models import FaqAnswer
from bot.messages.models import InboundMessage

__all__ = ["Base", "FaqAnswer", "InboundMessage"]
