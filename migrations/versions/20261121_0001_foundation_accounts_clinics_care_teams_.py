"""foundation: accounts, clinics, care teams, consent, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-21 18:12:28.372315+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db
import app.security

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('occurred_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_role', sa.String(length=24), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('outcome', sa.Enum('allowed', 'denied', name='audit_outcome', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_patient_id'), ['patient_id'], unique=False)

    op.create_table('clinics',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics')),
    sa.UniqueConstraint('name', name=op.f('uq_clinics_name'))
    )
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    op.create_table('users',
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('patient', 'caregiver', 'clinician', 'coordinator', 'admin', name='role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('discipline', sa.Enum('primary_care', 'psychology', 'psychiatry', 'social_work', 'physiotherapy', 'occupational_therapy', 'nutrition', 'nursing', name='discipline', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('clinic_id', sa.Uuid(), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('phone', app.security.EncryptedText(), nullable=True),
    sa.Column('phone_index', sa.String(length=64), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(role = 'clinician' AND discipline IS NOT NULL) OR (role <> 'clinician' AND discipline IS NULL)", name=op.f('ck_users_discipline_only_for_clinicians')),
    sa.CheckConstraint('session_version >= 1', name=op.f('ck_users_session_version_positive')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_users_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_phone_index', ['phone_index'], unique=False)

    op.create_table('one_time_tokens',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.Enum('password_reset', 'invitation', name='token_purpose', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_one_time_tokens_digest'))
    )
    with op.batch_alter_table('one_time_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('patients',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('readable_locales', sa.JSON(), nullable=False),
    sa.Column('enrolled_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_patients_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_patients_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patients')),
    sa.UniqueConstraint('user_id', name=op.f('uq_patients_user_id'))
    )
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patients_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('break_glass_grants',
    sa.Column('admin_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['admin_id'], ['users.id'], name=op.f('fk_break_glass_grants_admin_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_break_glass_grants_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_break_glass_grants'))
    )
    with op.batch_alter_table('break_glass_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_break_glass_grants_admin_id'), ['admin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_break_glass_grants_patient_id'), ['patient_id'], unique=False)

    op.create_table('care_team_memberships',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.Column('started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_care_team_memberships_member_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_care_team_memberships_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_team_memberships'))
    )
    with op.batch_alter_table('care_team_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_team_memberships_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_team_memberships_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('uq_care_team_active_member', ['patient_id', 'member_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('caregiver_links',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('caregiver_id', sa.Uuid(), nullable=False),
    sa.Column('relationship_label', sa.String(length=60), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['caregiver_id'], ['users.id'], name=op.f('fk_caregiver_links_caregiver_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_caregiver_links_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caregiver_links'))
    )
    with op.batch_alter_table('caregiver_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caregiver_links_caregiver_id'), ['caregiver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_caregiver_links_patient_id'), ['patient_id'], unique=False)

    op.create_table('consent_grants',
    sa.Column('link_id', sa.Uuid(), nullable=False),
    sa.Column('scope', sa.Enum('receive_checkins', 'submit_observations', 'view_diary_summary', 'view_scores', name='consent_scope', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('granted_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Uuid(), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_consent_grants_granted_by_id_users')),
    sa.ForeignKeyConstraint(['link_id'], ['caregiver_links.id'], name=op.f('fk_consent_grants_link_id_caregiver_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_grants'))
    )
    with op.batch_alter_table('consent_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_grants_link_id'), ['link_id'], unique=False)

    _make_audit_append_only()


def _make_audit_append_only() -> None:
    """The database itself refuses UPDATE and DELETE on audit events."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    with op.batch_alter_table('consent_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_grants_link_id'))

    op.drop_table('consent_grants')
    with op.batch_alter_table('caregiver_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caregiver_links_patient_id'))
        batch_op.drop_index(batch_op.f('ix_caregiver_links_caregiver_id'))

    op.drop_table('caregiver_links')
    with op.batch_alter_table('care_team_memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_care_team_active_member', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_care_team_memberships_patient_id'))
        batch_op.drop_index(batch_op.f('ix_care_team_memberships_member_id'))

    op.drop_table('care_team_memberships')
    with op.batch_alter_table('break_glass_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_break_glass_grants_patient_id'))
        batch_op.drop_index(batch_op.f('ix_break_glass_grants_admin_id'))

    op.drop_table('break_glass_grants')
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patients_clinic_id'))

    op.drop_table('patients')
    with op.batch_alter_table('one_time_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_one_time_tokens_user_id'))

    op.drop_table('one_time_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_phone_index')

    op.drop_table('users')
    op.drop_table('login_throttles')
    op.drop_table('clinics')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_patient_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
