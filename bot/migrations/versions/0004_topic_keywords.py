"""Topic keywords: a message naming only a field gets that topic's procedures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get an empty list; the topics file fills it at the next start.
    with op.batch_alter_table("faq_topics") as batch:
        batch.add_column(sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("faq_topics") as batch:
        batch.drop_column("keywords")
