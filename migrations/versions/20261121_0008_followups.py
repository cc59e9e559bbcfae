"""followups: telehealth link, who scheduled, last change, clinician/time index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 20:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('telehealth_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appointments_created_by_id_users'), 'users', ['created_by_id'], ['id'])
        batch_op.create_index('ix_appointments_clinician_id_starts_at', ['clinician_id', 'starts_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_clinician_id_starts_at')
        batch_op.drop_constraint(batch_op.f('fk_appointments_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('telehealth_url')
