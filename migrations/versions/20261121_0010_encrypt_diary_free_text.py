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

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app import migration_crypto


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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
    migration_crypto.convert(op.get_bind(), FREE_TEXT, direction=direction, revision=revision, what='the diary text')
