"""Builders for case drafts and cases."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from bot.cases.draft import AttachmentData, CaseDraft
from bot.cases.models import Case
from bot.cases.service import create_case
from bot.cases.status import CaseKind

# Plausible answers of every kind's fields (valid for the intake's checks).
ANSWERS: dict[CaseKind, dict[str, str]] = {
    CaseKind.PETITION: {"name": "Nguyễn Thị Lan", "phone": "0912345678", "content": "Đèn hỏng"},
    CaseKind.COMPLAINT: {
        "name": "Trần Văn Bình",
        "phone": "0987654321",
        "id_number": "022188001234",
        "home_address": "tổ 1, khu 2",
        "act": "Quyết định 45/QĐ-UBND",
        "issuer": "UBND phường",
        "learnt_on": "2026-11-01",
        "request": "Huỷ quyết định",
    },
    CaseKind.DENUNCIATION: {
        "name": "Lê Văn Cường",
        "phone": "0977000111",
        "id_number": "034099001122",
        "home_address": "thôn Hà Thành",
        "accused": "ông X",
        "violation": "nhận tiền",
        "when": "tháng 10",
    },
}


def case_draft(
    kind: CaseKind = CaseKind.PETITION,
    *,
    unit: str = "QH",
    anonymous: bool = False,
    notify: bool = True,
    **fields: str,
) -> CaseDraft:
    """A complete draft of `kind` with plausible answers (overridable by keyword)."""
    defaults = ANSWERS[kind]
    return CaseDraft(
        draft_id=uuid.uuid4().hex,
        kind=kind,
        unit_code=unit,
        address="tổ 7, khu 2",
        anonymous=anonymous,
        consent_notify=notify,
        fields={**defaults, **fields},
        attachments=[AttachmentData("ab" * 32, 10, "image/jpeg", "ảnh 1", "photo")],
    )


def add_case(
    session: Session,
    *,
    chat_id: int | None = 7001,
    draft: CaseDraft | None = None,
    now: datetime | None = None,
) -> Case:
    """A case created through the service, flushed."""
    case, _ = create_case(session=session, draft=draft or case_draft(), chat_id=chat_id, now=now)
    session.flush()
    return case
