"""PostgreSQL only: `tiepdan_turn_start` and `tiepdan_turn_end`, a chat's turn in shared
mode (bot/ordering/turns.py) in one round trip each instead of four in all.

- `tiepdan_turn_start(lock, update, namespaces, names)` tries the chat's advisory lock; if
  another session holds it, one row `busy`. Otherwise a row `handled` if the ledger has
  the update, and a row `state` per stored (namespace, name). The function is VOLATILE,
  so its query takes a snapshot after the lock is held and sees what the previous holder
  committed before letting go.
- `tiepdan_turn_end(lock, update)` records the update as handled (unless NULL), commits
  that, then lets the lock go, so the next holder sees the record. Called with CALL
  outside a transaction block (the lock's connection is in autocommit).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-17 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TURN_START = """
CREATE OR REPLACE FUNCTION tiepdan_turn_start(
    lock_key bigint, turn_update bigint, namespaces text[], names text[]
) RETURNS TABLE (mark text, state_namespace text, state_key text, state_value json)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT pg_try_advisory_lock(lock_key) THEN
        RETURN QUERY SELECT 'busy'::text, NULL::text, NULL::text, NULL::json;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'state'::text, s.namespace::text, s.key::text, s.value
        FROM bot_state AS s
        WHERE (s.namespace, s.key) IN (SELECT * FROM unnest(namespaces, names))
        UNION ALL
        SELECT 'handled'::text, NULL::text, NULL::text, NULL::json
        FROM processed_updates AS p
        WHERE p.update_id = turn_update;
END
$$
"""

TURN_END = """
CREATE OR REPLACE PROCEDURE tiepdan_turn_end(lock_key bigint, handled_update bigint)
LANGUAGE plpgsql AS $$
BEGIN
    IF handled_update IS NOT NULL THEN
        INSERT INTO processed_updates (update_id, processed_at)
        VALUES (handled_update, now())
        ON CONFLICT (update_id) DO NOTHING;
        COMMIT;
    END IF;
    PERFORM pg_advisory_unlock(lock_key);
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(TURN_START)
    op.execute(TURN_END)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP PROCEDURE IF EXISTS tiepdan_turn_end(bigint, bigint)")
    op.execute("DROP FUNCTION IF EXISTS tiepdan_turn_start(bigint, bigint, text[], text[])")
