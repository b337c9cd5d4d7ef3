"""Imports every model so Alembic and tests see the whole schema."""

from bot.audit.models import AuditEntry
from bot.cases.models import Attachment, CannedReply, Case, CaseCodeCounter, CaseEvent
from bot.db import Base
from bot.faq.models import AnswerFeedback, FaqAnswer, FaqExample, FaqTopic, KnowledgeRevision
from bot.messages.models import InboundMessage
from bot.ordering.models import ProcessedUpdate
from bot.outbox.models import OutboxMessage
from bot.privacy.models import PrivacyRequest
from bot.staff.models import StaffSession, StaffUser
from bot.state.models import StoredState
from bot.training.models import TrainedModel
from bot.units.models import Unit

__all__ = [
    "AnswerFeedback",
    "Attachment",
    "AuditEntry",
    "Base",
    "CannedReply",
    "Case",
    "CaseCodeCounter",
    "CaseEvent",
    "FaqAnswer",
    "FaqExample",
    "FaqTopic",
    "InboundMessage",
    "KnowledgeRevision",
    "OutboxMessage",
    "PrivacyRequest",
    "ProcessedUpdate",
    "StaffSession",
    "StaffUser",
    "StoredState",
    "TrainedModel",
    "Unit",
]
