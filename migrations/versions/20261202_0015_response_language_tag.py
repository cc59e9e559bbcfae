"""instruments: the language and country version each response was answered in

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 04:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language_tag', sa.String(length=16), nullable=True))
    # Until now only English texts shipped, so every stored answer was given in its locale's
    # only version.
    op.execute('UPDATE instrument_responses SET language_tag = locale')


def downgrade() -> None:
    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.drop_column('language_tag')
