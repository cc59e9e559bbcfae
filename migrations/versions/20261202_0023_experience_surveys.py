"""prems: experience surveys (CollaboRATE after a completed follow-up) and the
"experience_survey" prompt purpose

Revision ID: 0023
Revises: 0018
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_PURPOSES = ('diary_reminder', 'questionnaire_due', 'questionnaire_closing', 'previsit_checkin', 'caregiver_checkin', 'referral_checkback')
NEW_PURPOSES = (*OLD_PURPOSES, 'experience_survey')
PROMPT_TABLES = ('sms_outbox', 'sms_magic_links')


def _purpose(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='prompt_purpose', native_enum=False, create_constraint=True, length=24)


def _alter_purpose(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    for table in PROMPT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('purpose', existing_type=_purpose(old), type_=_purpose(new), existing_nullable=False)


def upgrade() -> None:
    op.create_table('prem_surveys',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('appointment_id', sa.Uuid(), nullable=True),
    sa.Column('clinician_id', sa.Uuid(), nullable=True),
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('discipline', sa.String(length=24), nullable=True),
    sa.Column('instrument', sa.String(length=24), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('language_tag', sa.String(length=35), nullable=True),
    sa.Column('substituted', sa.Boolean(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('top_score', sa.Boolean(), nullable=True),
    sa.Column('mean_score', sa.Double(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('(answered_at IS NULL) = (answers IS NULL)', name=op.f('ck_prem_surveys_answered_has_answers')),
    sa.CheckConstraint('expires_at > invited_at', name=op.f('ck_prem_surveys_window_not_inverted')),
    sa.CheckConstraint('mean_score IS NULL OR (mean_score >= 0 AND mean_score <= 4)', name=op.f('ck_prem_surveys_mean_range')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_prem_surveys_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_prem_surveys_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], name=op.f('fk_prem_surveys_clinician_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_prem_surveys_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prem_surveys')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_prem_surveys_appointment_id')),
    )
    with op.batch_alter_table('prem_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prem_surveys_clinician_id'), ['clinician_id'], unique=False)
        batch_op.create_index('ix_prem_surveys_clinic_id_answered_at', ['clinic_id', 'answered_at'], unique=False)
        batch_op.create_index('ix_prem_surveys_patient_id_invited_at', ['patient_id', 'invited_at'], unique=False)
    _alter_purpose(OLD_PURPOSES, NEW_PURPOSES)


def downgrade() -> None:
    for table in PROMPT_TABLES:
        op.execute(sa.text(f"DELETE FROM {table} WHERE purpose = 'experience_survey'"))
    _alter_purpose(NEW_PURPOSES, OLD_PURPOSES)
    with op.batch_alter_table('prem_surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_prem_surveys_patient_id_invited_at')
        batch_op.drop_index('ix_prem_surveys_clinic_id_answered_at')
        batch_op.drop_index(batch_op.f('ix_prem_surveys_clinician_id'))
    op.drop_table('prem_surveys')
