"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot import migrate
from bot.db import make_engine
from bot.models import Base


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_0006_backfills_code_counters_and_search_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (code, name, kind, position, old_names, old_names_in_part) VALUES ('QH', 'Phường Quang Hanh', 'phuong', 0, '[]', '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (code, draft_id, kind, unit_code, status, anonymous, as_information, "
                "confidential, citizen_name, address_detail, details, consent_handling, consent_notify, "
                "received_at, due_on, public_note) VALUES ('QH-2611-9999', 'd1', 'phan_anh', 'QH', "
                "'received', 0, 0, 0, 'Nguyễn Thị Lan', 'Tổ 7, đường Trần Phú', "
                "'{\"content\": \"Đèn đường hỏng\"}', 1, 1, '2026-11-20 01:00:00', '2026-12-04', 'cũ')"
            )
        )
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        counter = conn.execute(text("SELECT prefix, last FROM case_code_counters")).one()
        searched = conn.execute(text("SELECT search_text, search_identity FROM cases")).one()
    engine.dispose()
    assert tuple(counter) == ("QH-2611-", 9999)
    assert "den duong hong" in searched[0] and "tran phu" in searched[0]
    assert searched[1] == "nguyen thi lan"
