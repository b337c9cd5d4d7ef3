"""Referrals to other bodies are answers of their own kind: `faq_answers.kind` is
"procedure" (one of ours) or "referral" (another body's, answered with who handles it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_answers") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="procedure", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_answers") as batch:
        batch.drop_column("kind")
