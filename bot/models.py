"""Imports every model so Alembic and tests see the whole schema."""

from bot.cases.models import Attachment, Case, CaseEvent
from bot.db import Base
from bot.faq.models import AnswerFeedback, FaqAnswer, FaqTopic
from bot.messages.models import InboundMessage
from bot.outbox.models import OutboxMessage
from bot.privacy.models import PrivacyRequest
from bot.state.models import StoredState
from bot.units.models import Unit

__all__ = [
    "AnswerFeedback",
    "Attachment",
    "Base",
    "Case",
    "CaseEvent",
    "FaqAnswer",
    "FaqTopic",
    "InboundMessage",
    "OutboxMessage",
    "PrivacyRequest",
    "StoredState",
    "Unit",
]
