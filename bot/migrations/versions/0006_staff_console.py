"""Staff console: accounts, sessions, audit log, canned replies; cases followed up by
staff (assignee, optimistic lock, deadlines, routing, search text); numeric code counters;
the outbox's purpose.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 11:40:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=8), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_staff_users_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
    )
    op.create_index(op.f("ix_staff_users_unit_code"), "staff_users", ["unit_code"])
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_sessions_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sessions")),
    )
    op.create_index(op.f("ix_staff_sessions_user_id"), "staff_sessions", ["user_id"])
    op.create_index(op.f("ix_staff_sessions_expires_at"), "staff_sessions", ["expires_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"])
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"])
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
    )
    op.create_table(
        "case_code_counters",
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_case_code_counters")),
    )
    with op.batch_alter_table("cases") as batch:
        # Notes and replies are events: the single public_note field leaked into later notices.
        batch.drop_column("public_note")
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("assigned_to_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("due_kind", sa.String(length=16), server_default="inform", nullable=False)
        )
        batch.add_column(sa.Column("extensions", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("routed_to", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("status_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("search_identity", sa.Text(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_cases_assigned_to_id_staff_users"),
            "staff_users",
            ["assigned_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            batch.f("fk_cases_duplicate_of_id_cases"),
            "cases",
            ["duplicate_of_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            batch.f("fk_cases_split_from_id_cases"),
            "cases",
            ["split_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_cases_assigned_to_id"), ["assigned_to_id"])
        batch.create_index("ix_cases_status_due_on", ["status", "due_on"])
        batch.create_index("ix_cases_unit_code_status_due_on", ["unit_code", "status", "due_on"])
        batch.create_index("ix_cases_received_at", ["received_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_cases_search_text",
        "cases",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("purpose", sa.String(length=16), server_default="citizen", nullable=False)
        )
    _backfill()


def _backfill() -> None:
    """Code counters from the codes given so far; search text of existing cases."""
    bind = op.get_bind()
    counters: dict[str, int] = {}
    rows = bind.execute(
        sa.text(
            "SELECT id, code, details, address_detail, citizen_name, citizen_phone, "
            "citizen_id_number, citizen_address FROM cases"
        )
    ).all()
    from bot.cases.search import identity_text, search_text  # the app's own folding

    for row in rows:
        prefix, _, number = row.code.rpartition("-")
        if number.isdigit():
            counters[prefix + "-"] = max(counters.get(prefix + "-", 0), int(number))
        # Raw SQL hands JSON back as text on SQLite, parsed on PostgreSQL.
        raw = json.loads(row.details) if isinstance(row.details, str) else row.details
        details = raw if isinstance(raw, dict) else {}
        bind.execute(
            sa.text("UPDATE cases SET search_text = :s, search_identity = :i WHERE id = :id"),
            {
                "s": search_text(row.code, details, row.address_detail),
                "i": identity_text(
                    row.citizen_name, row.citizen_phone, row.citizen_id_number, row.citizen_address
                ),
                "id": row.id,
            },
        )
    for prefix, last in counters.items():
        bind.execute(
            sa.text("INSERT INTO case_code_counters (prefix, last) VALUES (:p, :l)"),
            {"p": prefix, "l": last},
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("purpose")
    op.drop_index("ix_cases_search_text", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        for index in (
            "ix_cases_received_at",
            "ix_cases_unit_code_status_due_on",
            "ix_cases_status_due_on",
            "ix_cases_assigned_to_id",
        ):
            batch.drop_index(index)
        for fk in (
            "fk_cases_split_from_id_cases",
            "fk_cases_duplicate_of_id_cases",
            "fk_cases_assigned_to_id_staff_users",
        ):
            batch.drop_constraint(fk, type_="foreignkey")
        for column in (
            "search_identity",
            "search_text",
            "closed_at",
            "first_response_at",
            "split_from_id",
            "duplicate_of_id",
            "status_reason",
            "routed_to",
            "extensions",
            "due_kind",
            "assigned_to_id",
            "version",
        ):
            batch.drop_column(column)
        batch.add_column(sa.Column("public_note", sa.Text(), nullable=True))
    op.drop_table("case_code_counters")
    op.drop_table("canned_replies")
    op.drop_table("audit_log")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
