"""diary: notes, caregiver notes and amendment history encrypted at rest

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21 23:00:00.000000+00:00

The length CHECKs go (ciphertext is longer than the text; the forms keep the 2,000-character
limit) and `diary_revisions.changes` becomes one encrypted JSON document (Text). Existing rows
are encrypted in place with the app's FIELD_ENCRYPTION_KEYS, so upgrading a database that has
diary text needs the app: run it with `flask --app wsgi db-upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from flask import has_app_context

import app.security


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
# (table, column): every free-text column this revision encrypts.
FREE_TEXT = (('diary_entries', 'notes'), ('diary_observations', 'note'), ('diary_revisions', 'changes'))


def upgrade() -> None:
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_diary_entries_notes_length'), type_='check')
    with op.batch_alter_table('diary_observations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_diary_observations_note_length'), type_='check')
    with op.batch_alter_table('diary_revisions', schema=None) as batch_op:
        batch_op.alter_column('changes', existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=False, postgresql_using='changes::text')
    _convert('encrypt')


def downgrade() -> None:
    _convert('decrypt')
    with op.batch_alter_table('diary_revisions', schema=None) as batch_op:
        batch_op.alter_column('changes', existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=False, postgresql_using='changes::json')
    with op.batch_alter_table('diary_observations', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_diary_observations_note_length'), 'note IS NULL OR length(note) <= 2000')
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_diary_entries_notes_length'), 'notes IS NULL OR length(notes) <= 2000')


def _convert(direction: str) -> None:
    """Encrypt (or decrypt) every stored value; the keys are only needed when there is one."""
    bind = op.get_bind()
    tables = [
        sa.table(name, sa.column('id', sa.Uuid()), sa.column(column, sa.Text()))
        for name, column in FREE_TEXT
    ]
    if not any(bind.scalar(sa.select(t.c.id).where(t.c[c].is_not(None)).limit(1)) for t, (_, c) in zip(tables, FREE_TEXT, strict=True)):
        return  # a fresh install, the tests, the benchmark: no keys needed
    transform = _cipher(direction)
    for table, (_, column) in zip(tables, FREE_TEXT, strict=True):
        _rewrite(bind, table, column, transform)


def _cipher(direction: str) -> Callable[[str], str]:
    if not has_app_context():
        raise RuntimeError(
            f'Migration 0010 must {direction} the diary text stored in this database with the '
            "app's FIELD_ENCRYPTION_KEYS, so it needs an app context: run it with "
            '`flask --app wsgi db-upgrade`.'
        )
    return app.security.encrypt if direction == 'encrypt' else app.security.decrypt


def _rewrite(bind: sa.Connection, table: sa.TableClause, column: str, transform: Callable[[str], str]) -> None:
    """In batches ordered by id; each value is rewritten as stored (JSON text stays text)."""
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam('_id'))
        .values({column: sa.bindparam('_value', type_=sa.Text())})
    )
    query = sa.select(table.c.id, table.c[column]).where(table.c[column].is_not(None)).order_by(table.c.id).limit(BATCH)
    last = None
    while rows := bind.execute(query if last is None else query.where(table.c.id > last)).all():
        bind.execute(statement, [{'_id': row[0], '_value': transform(row[1])} for row in rows])
        last = rows[-1][0]
