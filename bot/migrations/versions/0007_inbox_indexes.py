"""Inbox indexes: identity search by trigrams; open cases soonest due first, of all units
and of one unit (partial indexes on the inbox's default status list).

Measured with `tiepdan bench console --cases 100000` (docs/benchmarks.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The open statuses at this revision (bot.cases.models.OPEN_CASES_SQL), frozen here.
OPEN_CASES = (
    "status IN ('accepted', 'answered', 'classified', 'extended', 'guided', 'in_progress', "
    "'not_accepted', 'received', 'suspended', 'transferred')"
)


def upgrade() -> None:
    op.create_index(
        "ix_cases_search_identity",
        "cases",
        ["search_identity"],
        postgresql_using="gin",
        postgresql_ops={"search_identity": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_cases_open_due_on",
        "cases",
        ["due_on", "id"],
        postgresql_where=sa.text(OPEN_CASES),
        sqlite_where=sa.text(OPEN_CASES),
    )
    op.create_index(
        "ix_cases_open_unit_code_due_on",
        "cases",
        ["unit_code", "due_on", "id"],
        postgresql_where=sa.text(OPEN_CASES),
        sqlite_where=sa.text(OPEN_CASES),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_open_unit_code_due_on", table_name="cases")
    op.drop_index("ix_cases_open_due_on", table_name="cases")
    op.drop_index("ix_cases_search_identity", table_name="cases")
