"""Outbox senders coordinate through the database: a sender claims rows with a lease
(`claimed_by`, `lease_until`) and records each attempt before it sends (`sending_since`),
so a message that may have reached Telegram is never sent again blindly. A partial index
finds each chat's earliest pending message (its head) quickly.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = "status = 'pending'"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_outbox_pending_chat_id",
        "outbox",
        ["chat_id", "id"],
        postgresql_where=sa.text(PENDING),
        sqlite_where=sa.text(PENDING),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_chat_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("sending_since")
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
