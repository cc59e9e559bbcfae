"""enrollment: sms consent, team history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 18:23:50.971252+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db
import app.security


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sms_consents',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.Enum('web', 'verbal', 'paper', 'sms', name='consent_channel', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('granted_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_source', sa.Enum('settings', 'stop', 'staff', 'erasure', name='withdrawal_source', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_sms_consents_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sms_consents_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_consents'))
    )
    with op.batch_alter_table('sms_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_consents_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('care_team_memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('ended_by_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_care_team_memberships_ended_by_id_users'), 'users', ['ended_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_care_team_memberships_added_by_id_users'), 'users', ['added_by_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('care_team_memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_care_team_memberships_added_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_care_team_memberships_ended_by_id_users'), type_='foreignkey')
        batch_op.drop_column('ended_by_id')
        batch_op.drop_column('added_by_id')

    with op.batch_alter_table('sms_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_consents_user_id'))

    op.drop_table('sms_consents')
