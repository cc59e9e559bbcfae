"""alert routing: one open alert per rule, sources, thresholds, escalation

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 18:45:20.136588+00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db
import app.security


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_settings',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('no_diary_days', sa.Integer(), nullable=False),
    sa.Column('symptom_rise_points', sa.Integer(), nullable=False),
    sa.Column('worsening_alerts', sa.Boolean(), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('no_diary_days BETWEEN 1 AND 60', name=op.f('ck_alert_settings_no_diary_days_range')),
    sa.CheckConstraint('symptom_rise_points BETWEEN 1 AND 10', name=op.f('ck_alert_settings_symptom_rise_range')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_alert_settings_patient_id_patients')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_alert_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_alert_settings'))
    )
    op.create_table('alert_sources',
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('source_type', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('raised_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_sources_alert_id_alerts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_sources')),
    sa.UniqueConstraint('rule_code', 'source_type', 'source_id', name='uq_alert_sources_source')
    )
    with op.batch_alter_table('alert_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_sources_alert_id'), ['alert_id'], unique=False)

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_raised_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('repeat_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('escalated_at', app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_alerts_source'), type_='unique')
        batch_op.create_check_constraint(op.f('ck_alerts_repeat_count_non_negative'), 'repeat_count >= 0')
        batch_op.create_index('uq_alerts_one_open_per_rule', ['patient_id', 'rule_code'], unique=True, sqlite_where=sa.text('acknowledged_at IS NULL'), postgresql_where=sa.text('acknowledged_at IS NULL'))

    _backfill_sources()


def _backfill_sources() -> None:
    """Every existing alert gets its first source recorded."""
    bind = op.get_bind()
    alerts = sa.table(
        'alerts', sa.column('id', sa.Uuid()), sa.column('rule_code', sa.String()),
        sa.column('source_type', sa.String()), sa.column('source_id', sa.Uuid()),
        sa.column('created_at', app.db.UTCDateTime()),
    )
    sources = sa.table(
        'alert_sources', sa.column('id', sa.Uuid()), sa.column('alert_id', sa.Uuid()),
        sa.column('rule_code', sa.String()), sa.column('source_type', sa.String()),
        sa.column('source_id', sa.Uuid()), sa.column('raised_at', app.db.UTCDateTime()),
    )
    rows = [
        {'id': uuid.uuid4(), 'alert_id': r.id, 'rule_code': r.rule_code, 'source_type': r.source_type,
         'source_id': r.source_id, 'raised_at': r.created_at}
        for r in bind.execute(sa.select(alerts))
    ]
    if rows:
        op.bulk_insert(sources, rows)


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_alerts_one_open_per_rule', sqlite_where=sa.text('acknowledged_at IS NULL'), postgresql_where=sa.text('acknowledged_at IS NULL'))
        batch_op.drop_constraint(op.f('ck_alerts_repeat_count_non_negative'), type_='check')
        batch_op.create_unique_constraint(batch_op.f('uq_alerts_source'), ['rule_code', 'source_type', 'source_id'])
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('repeat_count')
        batch_op.drop_column('last_raised_at')

    with op.batch_alter_table('alert_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_sources_alert_id'))

    op.drop_table('alert_sources')
    op.drop_table('alert_settings')
