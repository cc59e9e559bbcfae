"""instruments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 18:24:31.251284+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crisis_resources',
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_crisis_resources_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_resources')),
    sa.UniqueConstraint('clinic_id', 'locale', 'label', name='uq_crisis_resources_entry')
    )
    with op.batch_alter_table('crisis_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_resources_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('alerts',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.Enum('urgent', 'normal', name='alert_severity', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source_type', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(acknowledged_at IS NULL) = (acknowledged_by_id IS NULL)', name=op.f('ck_alerts_ack_complete')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_alerts_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('rule_code', 'source_type', 'source_id', name='uq_alerts_source')
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_patient_id'), ['patient_id'], unique=False)

    op.create_table('appointments',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('clinician_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('modality', sa.Enum('in_person', 'telehealth', name='appointment_modality', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('status', sa.Enum('planned', 'done', 'missed', 'cancelled', name='appointment_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], name=op.f('fk_appointments_clinician_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_appointments_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_clinician_id'), ['clinician_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_patient_id'), ['patient_id'], unique=False)

    op.create_table('caregiver_checkins',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('caregiver_id', sa.Uuid(), nullable=False),
    sa.Column('observed_function', sa.Integer(), nullable=False),
    sa.Column('observed_activity', sa.Integer(), nullable=False),
    sa.Column('own_strain', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.Uuid(), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('observed_activity BETWEEN 0 AND 10', name=op.f('ck_caregiver_checkins_observed_activity_range')),
    sa.CheckConstraint('observed_function BETWEEN 0 AND 10', name=op.f('ck_caregiver_checkins_observed_function_range')),
    sa.CheckConstraint('own_strain BETWEEN 0 AND 10', name=op.f('ck_caregiver_checkins_own_strain_range')),
    sa.ForeignKeyConstraint(['caregiver_id'], ['users.id'], name=op.f('fk_caregiver_checkins_caregiver_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_caregiver_checkins_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caregiver_checkins')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_caregiver_checkins_submission_key'))
    )
    with op.batch_alter_table('caregiver_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caregiver_checkins_caregiver_id'), ['caregiver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caregiver_checkins_patient_id'), ['patient_id'], unique=False)

    op.create_table('instrument_assignments',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('assigned_by_id', sa.Uuid(), nullable=False),
    sa.Column('schedule_kind', sa.Enum('once', 'every_n_days', 'weekly', 'before_followup', name='schedule_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('schedule_from', sa.Date(), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=True),
    sa.Column('weekdays', sa.String(length=20), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=True),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', 'ended', name='assignment_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("schedule_kind <> 'before_followup' OR days_before BETWEEN 0 AND 60", name=op.f('ck_instrument_assignments_days_before_for_followups')),
    sa.CheckConstraint("schedule_kind <> 'every_n_days' OR interval_days BETWEEN 1 AND 365", name=op.f('ck_instrument_assignments_interval_for_every_n_days')),
    sa.CheckConstraint("schedule_kind <> 'weekly' OR weekdays <> ''", name=op.f('ck_instrument_assignments_weekdays_for_weekly')),
    sa.CheckConstraint('window_days BETWEEN 1 AND 60', name=op.f('ck_instrument_assignments_window_days_range')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_instrument_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_instrument_assignments_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_assignments'))
    )
    with op.batch_alter_table('instrument_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_assignments_patient_id'), ['patient_id'], unique=False)

    op.create_table('instrument_occurrences',
    sa.Column('assignment_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('opens_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_instrument_occurrences_window_positive')),
    sa.ForeignKeyConstraint(['assignment_id'], ['instrument_assignments.id'], name=op.f('fk_instrument_occurrences_assignment_id_instrument_assignments')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_instrument_occurrences_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_occurrences')),
    sa.UniqueConstraint('assignment_id', 'due_date', name='uq_occurrence_assignment_due')
    )
    with op.batch_alter_table('instrument_occurrences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_occurrences_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_instrument_occurrences_patient_id'), ['patient_id'], unique=False)

    op.create_table('instrument_responses',
    sa.Column('occurrence_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('instrument_version', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('preferred_locale', sa.String(length=8), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submission_key', sa.Uuid(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('max_total', sa.Integer(), nullable=True),
    sa.Column('band', sa.String(length=40), nullable=True),
    sa.Column('subscales', sa.JSON(), nullable=False),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(submitted_at IS NULL) = (submission_key IS NULL)', name=op.f('ck_instrument_responses_submitted_with_key')),
    sa.ForeignKeyConstraint(['occurrence_id'], ['instrument_occurrences.id'], name=op.f('fk_instrument_responses_occurrence_id_instrument_occurrences')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_instrument_responses_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_responses')),
    sa.UniqueConstraint('occurrence_id', name=op.f('uq_instrument_responses_occurrence_id')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_instrument_responses_submission_key'))
    )
    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_responses_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('menstruates', sa.Boolean(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.drop_column('menstruates')

    with op.batch_alter_table('instrument_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_responses_patient_id'))

    op.drop_table('instrument_responses')
    with op.batch_alter_table('instrument_occurrences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_occurrences_patient_id'))
        batch_op.drop_index(batch_op.f('ix_instrument_occurrences_assignment_id'))

    op.drop_table('instrument_occurrences')
    with op.batch_alter_table('instrument_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_assignments_patient_id'))

    op.drop_table('instrument_assignments')
    with op.batch_alter_table('caregiver_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caregiver_checkins_patient_id'))
        batch_op.drop_index(batch_op.f('ix_caregiver_checkins_caregiver_id'))

    op.drop_table('caregiver_checkins')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_patient_id'))
        batch_op.drop_index(batch_op.f('ix_appointments_clinician_id'))

    op.drop_table('appointments')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_patient_id'))

    op.drop_table('alerts')
    with op.batch_alter_table('crisis_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_resources_clinic_id'))

    op.drop_table('crisis_resources')
