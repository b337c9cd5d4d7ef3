"""What the bot knows, edited by admins: training examples in the database, intents that
can be switched off, who edited an answer, admins' review of unanswered questions, and
the registry of trained NLU models.

The examples themselves are seeded at start from nlu/data/train/ (bot.bootstrap), like
answers, topics and units: a start only adds what the database lacks.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REVIEWED = ("inbound_messages", "answer_feedback")


def upgrade() -> None:
    op.create_table(
        "faq_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_examples")),
        sa.UniqueConstraint("intent", "text", name=op.f("uq_faq_examples_intent")),
    )
    op.create_index(op.f("ix_faq_examples_intent"), "faq_examples", ["intent"])
    op.create_table(
        "nlu_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("fingerprint", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("trained_by", sa.String(length=64), nullable=False),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("progress", sa.String(length=200), nullable=True),
        sa.Column("log", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nlu_models")),
        sa.UniqueConstraint("version", name=op.f("uq_nlu_models_version")),
    )
    op.create_index(op.f("ix_nlu_models_status"), "nlu_models", ["status"])
    with op.batch_alter_table("faq_answers") as batch:
        batch.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("updated_by", sa.String(length=64), nullable=True))
    for table in _REVIEWED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("review_state", sa.String(length=16), nullable=True))
            batch.add_column(sa.Column("reviewed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in _REVIEWED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("reviewed_by")
            batch.drop_column("review_state")
    with op.batch_alter_table("faq_answers") as batch:
        batch.drop_column("updated_by")
        batch.drop_column("active")
    op.drop_index(op.f("ix_nlu_models_status"), table_name="nlu_models")
    op.drop_table("nlu_models")
    op.drop_index(op.f("ix_faq_examples_intent"), table_name="faq_examples")
    op.drop_table("faq_examples")
