"""Units: which former units only partly went into a unit (an answer says "một phần").

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get an empty list; the units file fills it at the next start.
    with op.batch_alter_table("units") as batch:
        batch.add_column(
            sa.Column("old_names_in_part", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("old_names_in_part")
