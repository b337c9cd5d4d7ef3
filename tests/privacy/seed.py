"""A citizen with everything personal the bot keeps, and a second one to leave alone.

The markers are what the erasure test searches for afterwards: a phone, an ID number
and a piece of content that occur nowhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.cases.draft import AttachmentData
from bot.cases.files import store
from bot.cases.followup import add_supplement, comment_rating, rate_case
from bot.cases.models import Case
from bot.cases.service import add_staff_reply, change_status
from bot.cases.status import CaseKind, CaseStatus
from bot.faq.feedback import record_feedback
from bot.messages.service import record_inbound
from bot.outbox.service import Purpose, enqueue
from bot.state.service import USER_DATA, conversation_namespace, save
from tests.factories_cases import add_case, case_draft

CHAT = 5001
OTHER_CHAT = 5002
PHONE = "0968123457"
ID_NUMBER = "079188004321"
CONTENT = "QZXW-7731"  # inside Vietnamese text; search_text keeps it folded to lower case
OTHER_PHONE = "0911222333"
OTHER_CONTENT = "KEEPME-4242"
SECRETS = (PHONE, ID_NUMBER, CONTENT)


@dataclass(frozen=True)
class Lodged:
    """What `lodge_everything` created."""

    petition: Case
    complaint: Case
    other: Case
    files: tuple[Path, ...]  # the citizen's (case, supplement, draft held in bot state)
    other_file: Path


def attachment_file(var_dir: Path, marker: str, name: str) -> AttachmentData:
    """A stored PDF whose bytes and name carry `marker`."""
    data = b"%PDF-1.4\n" + f"{marker} {name}".encode()
    return store(
        var_dir=var_dir, data=data, mime_type="application/pdf", original_name=f"{marker}-{name}",
        source="document",
    )  # fmt: skip


def lodge_everything(session: Session, var_dir: Path) -> Lodged:
    """Two cases of CHAT (an open petition, a closed and rated complaint) with files,
    location, captions, a supplement, a staff reply still in the outbox, a staff alert,
    questions, answer feedback and a draft in the bot state; one case of OTHER_CHAT."""
    folder = var_dir / "attachments"
    case_file = attachment_file(var_dir, CONTENT, "anh-hien-truong.pdf")
    draft = dataclasses.replace(
        case_draft(
            CaseKind.PETITION, phone=PHONE, name="Phạm Thị Hoa",
            content=f"Cột đèn {CONTENT} bị đổ trước nhà",
        ),
        address=f"số 12 ngõ {CONTENT}, tổ 3",
        latitude=21.0123,
        longitude=107.2987,
        captions=[f"ảnh cột đèn {CONTENT}"],
        attachments=[case_file],
    )  # fmt: skip
    petition = add_case(session, chat_id=CHAT, draft=draft)
    extra = attachment_file(var_dir, CONTENT, "bo-sung.pdf")
    add_supplement(
        session=session, code=petition.code, chat_id=CHAT,
        texts=[f"Bổ sung: gọi {PHONE}, đèn {CONTENT}"], attachments=[extra],
    )  # fmt: skip
    # A staff reply quoting the citizen, still pending in the outbox; a staff alert.
    add_staff_reply(
        session=session, case_id=petition.id, text=f"Đã gọi số {PHONE}", actor="staff:an"
    )
    enqueue(
        session=session, chat_id=-1001, text=f"Đơn mới: {CONTENT}", case_id=petition.id,
        purpose=Purpose.STAFF_ALERT,
    )  # fmt: skip
    complaint = add_case(
        session,
        chat_id=CHAT,
        draft=case_draft(
            CaseKind.COMPLAINT, phone=PHONE, id_number=ID_NUMBER, act=f"Quyết định {CONTENT}"
        ),
    )
    for status in (CaseStatus.ACCEPTED, CaseStatus.ANSWERED, CaseStatus.CLOSED):
        change_status(session=session, case_id=complaint.id, status=status, actor="staff:an")
    assert rate_case(session=session, code=complaint.code, chat_id=CHAT, rating=2)
    assert comment_rating(
        session=session, code=complaint.code, chat_id=CHAT, comment=f"Gọi lại {PHONE}"
    )
    question = record_inbound(
        session=session, chat_id=CHAT, text=f"số định danh {ID_NUMBER} có đúng không", action="faq"
    )
    record_feedback(
        session=session, chat_id=CHAT, intent="hoi_ho_so", helpful=False,
        inbound_message_id=question,
    )  # fmt: skip
    in_draft = attachment_file(var_dir, CONTENT, "dang-soan.pdf")
    save(
        session=session, namespace=USER_DATA, key=str(CHAT),
        value={"case_draft": {"fields": {"phone": PHONE}, "attachments": [
            dataclasses.asdict(in_draft)]}},
    )  # fmt: skip
    save(
        session=session, namespace=conversation_namespace("case_intake"),
        key=f"[{CHAT}, {CHAT}]", value=4,
    )  # fmt: skip
    other_attachment = attachment_file(var_dir, OTHER_CONTENT, "khac.pdf")
    other = add_case(
        session,
        chat_id=OTHER_CHAT,
        draft=dataclasses.replace(
            case_draft(phone=OTHER_PHONE, content=f"Ngập {OTHER_CONTENT}"),
            attachments=[other_attachment],
        ),
    )
    record_inbound(session=session, chat_id=OTHER_CHAT, text=OTHER_CONTENT, action="faq")
    session.flush()
    files = tuple(folder / a.sha256 for a in (case_file, extra, in_draft))
    return Lodged(petition, complaint, other, files, folder / other_attachment.sha256)
