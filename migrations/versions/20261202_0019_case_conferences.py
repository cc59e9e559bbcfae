"""conferences: case conferences, invited members and attendance, agenda items with summary snapshots and notes, typed decisions

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 10:44:49.505572+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    
    op.create_table('case_conferences',
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('scheduled_by_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modality', sa.Enum('in_person', 'video', name='conference_modality', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_case_conferences_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_case_conferences_scheduled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_conferences'))
    )
    with op.batch_alter_table('case_conferences', schema=None) as batch_op:
        batch_op.create_index('ix_case_conferences_clinic_starts', ['clinic_id', 'starts_at'], unique=False)

    op.create_table('conference_agenda_items',
    sa.Column('conference_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('nominated_by_id', sa.Uuid(), nullable=True),
    sa.Column('nomination', sa.Text(), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Uuid(), nullable=True),
    sa.Column('removal', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=True),
    sa.Column('snapshot_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('discussed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note_by_id', sa.Uuid(), nullable=True),
    sa.Column('discussed', sa.Text(), nullable=True),
    sa.Column('hypotheses', sa.Text(), nullable=True),
    sa.Column('disagreements', sa.Text(), nullable=True),
    sa.Column('uncertainty', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['case_conferences.id'], name=op.f('fk_conference_agenda_items_conference_id_case_conferences')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['users.id'], name=op.f('fk_conference_agenda_items_nominated_by_id_users')),
    sa.ForeignKeyConstraint(['note_by_id'], ['users.id'], name=op.f('fk_conference_agenda_items_note_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_conference_agenda_items_patient_id_patients')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_conference_agenda_items_removed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_agenda_items')),
    sa.UniqueConstraint('conference_id', 'patient_id', name=op.f('uq_conference_agenda_items_conference_id'))
    )
    with op.batch_alter_table('conference_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_agenda_items_patient_id'), ['patient_id'], unique=False)

    op.create_table('conference_members',
    sa.Column('conference_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('attendance', sa.Enum('invited', 'present', 'absent', 'apologies', name='conference_attendance', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['case_conferences.id'], name=op.f('fk_conference_members_conference_id_case_conferences')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_conference_members_member_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_members')),
    sa.UniqueConstraint('conference_id', 'member_id', name=op.f('uq_conference_members_conference_id'))
    )
    with op.batch_alter_table('conference_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_members_member_id'), ['member_id'], unique=False)

    op.create_table('conference_actions',
    sa.Column('conference_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('care_plan', 'recommendation', 'followup', 'questionnaire', 'psychiatric_consultation', name='conference_action_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'declined', name='conference_action_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('care_plan_version_id', sa.Uuid(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['case_conferences.id'], name=op.f('fk_conference_actions_conference_id_case_conferences')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_conference_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['conference_agenda_items.id'], name=op.f('fk_conference_actions_item_id_conference_agenda_items')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_conference_actions_owner_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_conference_actions_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_actions'))
    )
    with op.batch_alter_table('conference_actions', schema=None) as batch_op:
        batch_op.create_index('ix_conference_actions_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_actions_patient_id'), ['patient_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('conference_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_actions_patient_id'))
        batch_op.drop_index('ix_conference_actions_owner_status')

    op.drop_table('conference_actions')
    with op.batch_alter_table('conference_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_members_member_id'))

    op.drop_table('conference_members')
    with op.batch_alter_table('conference_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_agenda_items_patient_id'))

    op.drop_table('conference_agenda_items')
    with op.batch_alter_table('case_conferences', schema=None) as batch_op:
        batch_op.drop_index('ix_case_conferences_clinic_starts')

    op.drop_table('case_conferences')
    
