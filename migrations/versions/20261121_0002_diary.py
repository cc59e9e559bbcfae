"""diary: entries, symptom ratings, activity blocks, revisions, tracked symptoms, caregiver observations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 18:24:44.111102+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('diary_entries',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('client_entry_id', sa.Uuid(), nullable=False),
    sa.Column('mode', sa.Enum('quick', 'full', name='diary_entry_mode', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('overall_symptoms', sa.SmallInteger(), nullable=True),
    sa.Column('mood', sa.SmallInteger(), nullable=True),
    sa.Column('stress', sa.SmallInteger(), nullable=True),
    sa.Column('energy', sa.SmallInteger(), nullable=True),
    sa.Column('bedtime', sa.Time(), nullable=True),
    sa.Column('wake_time', sa.Time(), nullable=True),
    sa.Column('sleep_minutes', sa.SmallInteger(), nullable=True),
    sa.Column('sleep_quality', sa.SmallInteger(), nullable=True),
    sa.Column('night_awakenings', sa.SmallInteger(), nullable=True),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('custom_triggers', sa.JSON(), nullable=False),
    sa.Column('rest_breaks', sa.SmallInteger(), nullable=True),
    sa.Column('within_limits', sa.SmallInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('energy IS NULL OR (energy BETWEEN 0 AND 10)', name=op.f('ck_diary_entries_energy')),
    sa.CheckConstraint('mood IS NULL OR (mood BETWEEN 0 AND 10)', name=op.f('ck_diary_entries_mood')),
    sa.CheckConstraint('night_awakenings IS NULL OR (night_awakenings BETWEEN 0 AND 30)', name=op.f('ck_diary_entries_night_awakenings')),
    sa.CheckConstraint('notes IS NULL OR length(notes) <= 2000', name=op.f('ck_diary_entries_notes_length')),
    sa.CheckConstraint('overall_symptoms IS NULL OR (overall_symptoms BETWEEN 0 AND 10)', name=op.f('ck_diary_entries_overall_symptoms')),
    sa.CheckConstraint('rest_breaks IS NULL OR (rest_breaks BETWEEN 0 AND 50)', name=op.f('ck_diary_entries_rest_breaks')),
    sa.CheckConstraint('sleep_minutes IS NULL OR (sleep_minutes BETWEEN 0 AND 1440)', name=op.f('ck_diary_entries_sleep_minutes')),
    sa.CheckConstraint('sleep_quality IS NULL OR (sleep_quality BETWEEN 1 AND 5)', name=op.f('ck_diary_entries_sleep_quality')),
    sa.CheckConstraint('stress IS NULL OR (stress BETWEEN 0 AND 10)', name=op.f('ck_diary_entries_stress')),
    sa.CheckConstraint('within_limits IS NULL OR (within_limits BETWEEN 1 AND 5)', name=op.f('ck_diary_entries_within_limits')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_diary_entries_created_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_diary_entries_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_entries')),
    sa.UniqueConstraint('client_entry_id', name=op.f('uq_diary_entries_client_entry_id')),
    sa.UniqueConstraint('patient_id', 'local_date', name=op.f('uq_diary_entries_patient_id'))
    )
    op.create_table('diary_observations',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('observer_id', sa.Uuid(), nullable=False),
    sa.Column('observer_role', sa.String(length=24), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('symptom_level', sa.SmallInteger(), nullable=True),
    sa.Column('activity_level', sa.SmallInteger(), nullable=True),
    sa.Column('sleep_disturbance', sa.SmallInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('activity_level IS NULL OR (activity_level BETWEEN 0 AND 10)', name=op.f('ck_diary_observations_activity_level')),
    sa.CheckConstraint('note IS NULL OR length(note) <= 2000', name=op.f('ck_diary_observations_note_length')),
    sa.CheckConstraint('sleep_disturbance IS NULL OR (sleep_disturbance BETWEEN 0 AND 10)', name=op.f('ck_diary_observations_sleep_disturbance')),
    sa.CheckConstraint('symptom_level IS NULL OR (symptom_level BETWEEN 0 AND 10)', name=op.f('ck_diary_observations_symptom_level')),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_diary_observations_observer_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_diary_observations_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_observations')),
    sa.UniqueConstraint('client_id', name=op.f('uq_diary_observations_client_id'))
    )
    with op.batch_alter_table('diary_observations', schema=None) as batch_op:
        batch_op.create_index('ix_diary_observations_patient_id_local_date', ['patient_id', 'local_date'], unique=False)

    op.create_table('diary_tracked_symptoms',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('custom_label', sa.String(length=60), nullable=True),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_diary_tracked_symptoms_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_tracked_symptoms')),
    sa.UniqueConstraint('patient_id', 'key', name=op.f('uq_diary_tracked_symptoms_patient_id'))
    )
    with op.batch_alter_table('diary_tracked_symptoms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diary_tracked_symptoms_patient_id'), ['patient_id'], unique=False)

    op.create_table('diary_activity_blocks',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('physical', 'cognitive', 'social', 'rest', name='diary_activity_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('planned_minutes', sa.SmallInteger(), nullable=True),
    sa.Column('done_minutes', sa.SmallInteger(), nullable=True),
    sa.Column('exertion', sa.SmallInteger(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('done_minutes IS NULL OR (done_minutes BETWEEN 0 AND 1440)', name=op.f('ck_diary_activity_blocks_done_minutes')),
    sa.CheckConstraint('exertion IS NULL OR (exertion BETWEEN 0 AND 10)', name=op.f('ck_diary_activity_blocks_exertion')),
    sa.CheckConstraint('planned_minutes IS NULL OR (planned_minutes BETWEEN 0 AND 1440)', name=op.f('ck_diary_activity_blocks_planned_minutes')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_diary_activity_blocks_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_activity_blocks')),
    sa.UniqueConstraint('entry_id', 'kind', name=op.f('uq_diary_activity_blocks_entry_id'))
    )
    op.create_table('diary_revisions',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('submission_id', sa.Uuid(), nullable=False),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('created', 'amended', name='diary_revision_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=False),
    sa.Column('actor_role', sa.String(length=24), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_diary_revisions_actor_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_diary_revisions_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_revisions')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_diary_revisions_submission_id'))
    )
    with op.batch_alter_table('diary_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_diary_revisions_entry_id_at', ['entry_id', 'at'], unique=False)

    op.create_table('diary_symptom_ratings',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('symptom_key', sa.String(length=40), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('body_site', sa.String(length=24), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('score IS NULL OR (score BETWEEN 0 AND 10)', name=op.f('ck_diary_symptom_ratings_score')),
    sa.ForeignKeyConstraint(['entry_id'], ['diary_entries.id'], name=op.f('fk_diary_symptom_ratings_entry_id_diary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diary_symptom_ratings')),
    sa.UniqueConstraint('entry_id', 'symptom_key', name=op.f('uq_diary_symptom_ratings_entry_id'))
    )


def downgrade() -> None:
    op.drop_table('diary_symptom_ratings')
    with op.batch_alter_table('diary_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_diary_revisions_entry_id_at')

    op.drop_table('diary_revisions')
    op.drop_table('diary_activity_blocks')
    with op.batch_alter_table('diary_tracked_symptoms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diary_tracked_symptoms_patient_id'))

    op.drop_table('diary_tracked_symptoms')
    with op.batch_alter_table('diary_observations', schema=None) as batch_op:
        batch_op.drop_index('ix_diary_observations_patient_id_local_date')

    op.drop_table('diary_observations')
    op.drop_table('diary_entries')
