"""api: the diary entry's version (the API's ETag) and personal access tokens

Revision ID: 0024
Revises: 0018
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0024'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_column('version')
