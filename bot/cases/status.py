"""Case kinds, statuses and the transitions between them (Luật TCD, KN, TC; domain.md §3)."""

from __future__ import annotations

from enum import StrEnum


class CaseKind(StrEnum):
    """What the citizen lodges."""

    PETITION = "phan_anh"  # kiến nghị, phản ánh
    COMPLAINT = "khieu_nai"
    DENUNCIATION = "to_cao"


class CaseStatus(StrEnum):
    """Where a case stands."""

    RECEIVED = "received"
    CLASSIFIED = "classified"
    GUIDED = "guided"  # guided to the competent body
    TRANSFERRED = "transferred"
    NOT_ACCEPTED = "not_accepted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    SUSPENDED = "suspended"


S = CaseStatus
# Side branches (withdrawn, suspended) are reachable from every open status.
_FORWARD: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({S.CLASSIFIED, S.GUIDED, S.TRANSFERRED, S.NOT_ACCEPTED, S.ACCEPTED}),
    S.CLASSIFIED: frozenset({S.GUIDED, S.TRANSFERRED, S.NOT_ACCEPTED, S.ACCEPTED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.ANSWERED}),
    S.IN_PROGRESS: frozenset({S.EXTENDED, S.ANSWERED}),
    S.EXTENDED: frozenset({S.EXTENDED, S.ANSWERED}),
    S.SUSPENDED: frozenset({S.IN_PROGRESS}),
    S.GUIDED: frozenset({S.CLOSED}),
    S.TRANSFERRED: frozenset({S.CLOSED}),
    S.NOT_ACCEPTED: frozenset({S.CLOSED}),
    S.ANSWERED: frozenset({S.CLOSED}),
    S.WITHDRAWN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
FINAL = frozenset({S.CLOSED})
OPEN = frozenset(set(CaseStatus) - {S.CLOSED, S.WITHDRAWN})
_SIDE = frozenset({S.WITHDRAWN, S.SUSPENDED})


def allowed_next(status: CaseStatus) -> frozenset[CaseStatus]:
    """Statuses a case may move to from `status`."""
    forward = _FORWARD[status]
    if status in OPEN:
        return forward | (_SIDE - {status})
    return forward


def can_move(current: CaseStatus, target: CaseStatus) -> bool:
    """True when the status flow allows `current` → `target`."""
    return target in allowed_next(current)


def accepts_supplements(status: CaseStatus) -> bool:
    """True while the citizen may add information to the case."""
    return status in OPEN


class EventKind(StrEnum):
    """What an entry of a case's event log records."""

    CREATED = "created"
    MESSAGE_IN = "message_in"
    MESSAGE_OUT = "message_out"
    STATUS_CHANGED = "status_changed"
    STAFF_REPLY = "staff_reply"
    NOTIFICATION_QUEUED = "notification_queued"
    NOTIFICATION_SENT = "notification_sent"
    NOTIFICATION_FAILED = "notification_failed"
    SUPPLEMENT = "supplement"
    RATING = "rating"
    PERSONAL_DATA_ERASED = "personal_data_erased"
    # --- Follow-up by staff (bot.cases.workflow); never sent to the citizen ---
    INTERNAL_NOTE = "internal_note"
    IDENTITY_REVEALED = "identity_revealed"
    ASSIGNED = "assigned"
    DEADLINE_EXTENDED = "deadline_extended"
    DUPLICATE = "duplicate"
    SPLIT = "split"
