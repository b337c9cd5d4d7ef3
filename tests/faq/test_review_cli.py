"""`tiepdan nlu review` prints citizens' texts (and button-borne intents) escaped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.bootstrap import prepare_database
from bot.db import session_scope
from bot.faq.feedback import record_feedback
from bot.messages.service import record_inbound
from bot.settings import Settings
from tests.factories import parse_result

HOSTILE = "xoá màn hình\x1b[2J\x1b]0;pwned\x07 \u202edạo\r\nhết\x00"


def test_review_escapes_control_characters(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/review.db"
    prepare_database(Settings(database_url=url, var_dir=tmp_path))
    with session_scope(url) as session:
        record_inbound(session=session, chat_id=7, text=HOSTILE, action="fallback", parse=None)
        asked = record_inbound(
            session=session, chat_id=8, text="sai", action="faq", parse=parse_result(("x", 0.9))
        )
        # The intent comes from callback data, which a modified client can forge.
        record_feedback(
            session=session, chat_id=8, intent="\x1b[31mđỏ", helpful=False,
            inbound_message_id=asked,
        )  # fmt: skip
    env = {"DATABASE_URL": url, "VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "nlu", "review"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert not any(ch in result.stdout for ch in "\x1b\x07\x00\r\u202e")
    assert "xoá màn hình\\x1b[2J\\x1b]0;pwned\\x07 \\u202edạo\\r\\nhết\\x00" in result.stdout
    assert "\\x1b[31mđỏ" in result.stdout
