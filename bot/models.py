"""Imports every model so Alembic and tests see the whole schema."""

from bot.db import Base
from bot.faq.models import AnswerFeedback, FaqAnswer, FaqTopic
from bot.messages.models import InboundMessage
from bot.units.models import Unit

__all__ = ["AnswerFeedback", "Base", "FaqAnswer", "FaqTopic", "InboundMessage", "Unit"]
