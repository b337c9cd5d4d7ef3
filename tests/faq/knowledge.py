"""The topics and two FAQ answers, for tests of what admins review and try."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.faq.service import import_answers
from bot.faq.topics import import_topics, read_topics_file
from tests.factories import answer_data


def add_knowledge(session: Session) -> None:
    """The repository's topics, and answers for khai_sinh and ket_hon."""
    import_topics(session=session, rows=read_topics_file())
    import_answers(
        session=session,
        answers=[answer_data(), answer_data("ket_hon", "Đăng ký kết hôn")],
        overwrite=True,
    )
    session.flush()
