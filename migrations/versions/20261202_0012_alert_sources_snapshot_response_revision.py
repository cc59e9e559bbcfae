"""alerts keep what raised them: the source's values and revision then, and as changed later

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alert_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('latest', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('changed_at', app.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('alert_sources', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
        batch_op.drop_column('latest')
        batch_op.drop_column('snapshot')
