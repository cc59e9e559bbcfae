"""education: lesson recommendations, care-plan lesson attachments, openings, practice log

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}')
    )


def upgrade() -> None:
    op.create_table('lesson_recommendations',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('lesson_key', sa.String(length=40), nullable=False),
    sa.Column('recommended_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    _fk('lesson_recommendations', 'patient_id', 'patients'),
    _fk('lesson_recommendations', 'recommended_by_id', 'users'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_recommendations')),
    sa.UniqueConstraint('patient_id', 'lesson_key', name='uq_lesson_recommendations_patient'),
    )
    op.create_index('ix_lesson_recommendations_created_at', 'lesson_recommendations', ['created_at'])
    op.create_table('plan_lessons',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('plan_item_id', sa.String(length=36), nullable=False),
    sa.Column('lesson_key', sa.String(length=40), nullable=False),
    sa.Column('attached_by_id', sa.Uuid(), nullable=True),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    _fk('plan_lessons', 'patient_id', 'patients'),
    _fk('plan_lessons', 'attached_by_id', 'users'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_lessons')),
    sa.UniqueConstraint('patient_id', 'plan_item_id', 'lesson_key', name='uq_plan_lessons_item'),
    )
    op.create_table('lesson_openings',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('lesson_key', sa.String(length=40), nullable=False),
    sa.Column('first_opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    _fk('lesson_openings', 'patient_id', 'patients'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_openings')),
    sa.UniqueConstraint('patient_id', 'lesson_key', name='uq_lesson_openings_patient'),
    )
    op.create_index('ix_lesson_openings_first_opened_at', 'lesson_openings', ['first_opened_at'])
    op.create_table('practice_days',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('lesson_key', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    _fk('practice_days', 'patient_id', 'patients'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_days')),
    sa.UniqueConstraint('patient_id', 'local_date', 'lesson_key', name='uq_practice_days_day'),
    )
    op.create_index('ix_practice_days_recorded_at', 'practice_days', ['recorded_at'])


def downgrade() -> None:
    op.drop_index('ix_practice_days_recorded_at', table_name='practice_days')
    op.drop_table('practice_days')
    op.drop_index('ix_lesson_openings_first_opened_at', table_name='lesson_openings')
    op.drop_table('lesson_openings')
    op.drop_table('plan_lessons')
    op.drop_index('ix_lesson_recommendations_created_at', table_name='lesson_recommendations')
    op.drop_table('lesson_recommendations')
