"""alerts: when the urgent-alert email and the escalation email went out

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 22:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalation_notified_at', app.db.UTCDateTime(timezone=True), nullable=True))
    # Alerts that existed before emails were sent are not emailed now, long after the fact.
    op.execute('UPDATE alerts SET notified_at = created_at')
    op.execute('UPDATE alerts SET escalation_notified_at = escalated_at WHERE escalated_at IS NOT NULL')


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('escalation_notified_at')
        batch_op.drop_column('notified_at')
