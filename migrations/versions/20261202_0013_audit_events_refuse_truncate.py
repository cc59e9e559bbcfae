"""audit: the database refuses TRUNCATE on audit_events too

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:40:00.000000+00:00

0001 refused UPDATE and DELETE row by row; TRUNCATE fires no row triggers, so the
application's database user could still empty the table. PostgreSQL gets a statement-level
BEFORE TRUNCATE trigger calling the same function. SQLite has no TRUNCATE (its
"DELETE FROM" without WHERE still fires the row trigger of 0001), so nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
