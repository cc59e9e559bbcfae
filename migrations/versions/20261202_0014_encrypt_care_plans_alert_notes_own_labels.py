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

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app import migration_crypto


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


def upgrade() -> None:
    for table, column, plain, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=plain, type_=sa.Text(), existing_nullable=nullable, postgresql_using=f'{column}::text')
    migration_crypto.convert(op.get_bind(), FREE_TEXT, direction='encrypt', revision=revision, what=WHAT)


def downgrade() -> None:
    migration_crypto.convert(op.get_bind(), FREE_TEXT, direction='decrypt', revision=revision, what=WHAT)
    for table, column, plain, nullable in reversed(COLUMNS):
        cast = 'json' if isinstance(plain, sa.JSON) else f'varchar({plain.length})'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=plain, existing_nullable=nullable, postgresql_using=f'{column}::{cast}')
