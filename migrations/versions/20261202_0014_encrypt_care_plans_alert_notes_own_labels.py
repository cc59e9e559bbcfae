"""care plans, comments, alert notes, own trigger tags and symptom labels encrypted at rest

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 04:00:00.000000+00:00

Every column becomes Text (the JSON documents keep their stored text, which EncryptedJSON reads
back; the VARCHAR limits go, since ciphertext is longer than the text: the forms and services
keep them). Existing rows are encrypted in place with the app's FIELD_ENCRYPTION_KEYS, so
upgrading a database that holds any of this text needs the app: run it with
`flask --app wsgi db-upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app, has_app_context

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, type before this revision, nullable): every column this revision encrypts.
COLUMNS = (
    ('care_plan_versions', 'content', sa.JSON(), False),
    ('care_plan_comments', 'body', sa.String(length=2000), False),
    ('alerts', 'note', sa.String(length=1000), True),
    ('diary_entries', 'custom_triggers', sa.JSON(), False),
    ('diary_tracked_symptoms', 'custom_label', sa.String(length=60), True),
)
FREE_TEXT = tuple((table, column) for table, column, _, _ in COLUMNS)
WHAT = 'the care plans, comments, alert notes and own diary labels'
BATCH = 1000

# Migrations never import application code: the conversion below is copied here, and it
# writes exactly the token format of app/security.py (MultiFernet over FIELD_ENCRYPTION_KEYS,
# the first key encrypts, utf-8 text <-> urlsafe base64 token text).


def _cipher(direction: str) -> Callable[[str], str]:
    if not has_app_context():
        raise RuntimeError(
            f"Migration {revision} must {direction} {WHAT} stored in this database with the "
            "app's FIELD_ENCRYPTION_KEYS, so it needs an app context: run it with "
            "`flask --app wsgi db-upgrade`."
        )
    fernet = MultiFernet([Fernet(key.encode()) for key in current_app.config['FIELD_ENCRYPTION_KEYS']])
    if direction == 'encrypt':
        return lambda value: fernet.encrypt(value.encode()).decode()
    return lambda token: fernet.decrypt(token.encode()).decode()


def _convert(direction: str) -> None:
    """Rewrite every non-NULL value of each column in place, in batches ordered by id (JSON
    stays its stored text, which EncryptedJSON reads back). Keys are only needed when a
    column holds a value: a fresh install migrates without an app context."""
    bind = op.get_bind()
    tables = [
        (sa.table(name, sa.column('id', sa.Uuid()), sa.column(column, sa.Text())), column)
        for name, column in FREE_TEXT
    ]
    if not any(bind.scalar(sa.select(t.c.id).where(t.c[c].is_not(None)).limit(1)) is not None for t, c in tables):
        return
    transform = _cipher(direction)
    for table, column in tables:
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


def upgrade() -> None:
    for table, column, plain, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=plain, type_=sa.Text(), existing_nullable=nullable, postgresql_using=f'{column}::text')
    _convert('encrypt')


def downgrade() -> None:
    _convert('decrypt')
    for table, column, plain, nullable in reversed(COLUMNS):
        cast = 'json' if isinstance(plain, sa.JSON) else f'varchar({plain.length})'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=plain, existing_nullable=nullable, postgresql_using=f'{column}::{cast}')
