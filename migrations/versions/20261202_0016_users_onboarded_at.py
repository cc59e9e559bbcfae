"""auth: when a patient or caregiver finished or skipped the introduction shown at first sign-in

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 07:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('onboarded_at', sa.DateTime(timezone=True), nullable=True))
    # People who have signed in before know Heed already: the introduction is for a first
    # sign-in, so it is not shown to them.
    op.execute('UPDATE users SET onboarded_at = last_login_at WHERE last_login_at IS NOT NULL')


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('onboarded_at')
