"""What a case's kind implies: confidentiality, handling as information, required identity."""

from __future__ import annotations

from bot.cases.locking import WorkflowError
from bot.cases.models import Case
from bot.cases.status import CaseKind


def check_identity(case: Case, kind: CaseKind) -> None:
    """Refuse to make a khiếu nại of a case without the complainant's full identity."""
    identity = (case.citizen_name, case.citizen_phone, case.citizen_id_number, case.citizen_address)
    if kind is CaseKind.COMPLAINT and (case.anonymous or not all(identity)):
        raise WorkflowError("identity_required")


def apply_kind(case: Case, kind: CaseKind) -> None:
    """Give `case` the kind `kind` and what follows from it.

    A named tố cáo is confidential (Luật Tố cáo art. 9, 47); an anonymous one is handled
    as information. Confidentiality, once set, is never removed: the identity was given
    under its protection.
    """
    check_identity(case, kind)
    case.kind = kind.value
    case.as_information = case.anonymous and kind is CaseKind.DENUNCIATION
    if kind is CaseKind.DENUNCIATION and not case.anonymous:
        case.confidential = True
