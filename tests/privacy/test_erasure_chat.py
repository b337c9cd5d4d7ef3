"""Erasure through /quyenriengtu with the real bot: the confirmation says what happens
to open cases, a supplement being written (held in memory) goes too, and a staff reply
waiting in the outbox is never delivered."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import timedelta

from sqlalchemy import select, update

from bot.cases.clock import utcnow
from bot.cases.models import Case
from bot.cases.service import add_staff_reply
from bot.cases.status import CaseStatus
from bot.context import TiepdanApp
from bot.db import session_scope
from bot.outbox.models import OutboxMessage
from bot.settings import Settings
from bot.state.models import StoredState
from bot.texts import cases as texts
from tests.factories_cases import add_case, case_draft
from tests.handlers.harness import Citizen
from tests.privacy.seed import CONTENT, PHONE, attachment_file


async def test_erasure_in_the_chat(citizen: Citizen, settings: Settings, bot: TiepdanApp) -> None:
    with session_scope(settings.database_url) as session:
        stored = attachment_file(settings.var_dir, CONTENT, "anh.pdf")
        draft = dataclasses.replace(case_draft(phone=PHONE), attachments=[stored])
        code = add_case(session, chat_id=citizen.chat_id, draft=draft).code
    await citizen.send(f"/tracuu {code}")
    await citizen.click(await citizen.last(), texts.BUTTON_SUPPLEMENT)
    await citizen.last()
    await citizen.send(f"Bổ sung {CONTENT}")  # not finished: held in user_data
    await citizen.last()
    assert CONTENT in json.dumps(bot.user_data[citizen.chat_id], ensure_ascii=False)
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        add_staff_reply(session=session, case_id=case.id, text=f"Gọi {PHONE}", actor="staff:an")
        later = utcnow() + timedelta(seconds=1)  # due after the erasure
        session.execute(update(OutboxMessage).values(next_attempt_at=later))

    await citizen.send("/quyenriengtu")
    menu = await citizen.last()
    assert "dữ liệu cá nhân của đơn đã kết thúc được xoá sau 5 năm" in menu["text"]
    await citizen.click(menu, texts.BUTTON_PRIVACY_DELETE)
    confirm = await citizen.last()
    assert "Đơn đang giải quyết sẽ được rút" in confirm["text"]
    await citizen.click(confirm, texts.BUTTON_PRIVACY_CONFIRM)
    done = (await citizen.last())["text"]
    assert "1 đơn đang giải quyết đã được rút" in done

    await asyncio.sleep(1.5)  # the outbox job runs every 0.2 s
    with session_scope(settings.database_url) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        assert case.status == CaseStatus.WITHDRAWN and case.citizen_phone is None
        states = json.dumps(list(session.scalars(select(StoredState.value))))
        [reply] = session.scalars(select(OutboxMessage)).all()
        assert (reply.status, reply.last_error, reply.text) == ("failed", "erased", "")
    assert CONTENT not in states and PHONE not in states
    assert CONTENT not in json.dumps(bot.user_data.get(citizen.chat_id, {}), ensure_ascii=False)
    assert not (settings.var_dir / "attachments" / stored.sha256).exists()
    sent = (await citizen.client.get("/messages", params={"chat_id": citizen.chat_id})).json()
    assert not any(PHONE in message.get("text", "") for message in sent)
