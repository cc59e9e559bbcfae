"""consent: versioned consent documents, consent records, content-addressed PDFs;
existing SMS agreements and caregiver grants become records "recorded before versioned consent"

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 07:00:00.000000+00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSE = sa.Enum('care', 'sms', 'caregiver', 'research', name='consent_purpose', native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table('consent_versions',
    sa.Column('clinic_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', PURPOSE, nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'retired', name='consent_version_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Uuid(), nullable=True),
    sa.Column('material_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_consent_versions_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consent_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_consent_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_versions')),
    sa.UniqueConstraint('clinic_id', 'purpose', 'locale', 'number', name=op.f('uq_consent_versions_clinic_id')),
    )
    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_versions_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_index('uq_consent_versions_published', ['clinic_id', 'purpose', 'locale'], unique=True, sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))

    op.create_table('consent_pdfs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_consent_pdfs')),
    )
    op.create_table('consent_records',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', PURPOSE, nullable=False),
    sa.Column('decision', sa.Enum('given', 'withdrawn', name='consent_decision', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('method', sa.Enum('self', 'verbal', 'paper', 'legacy', 'text', name='consent_method', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=True),
    sa.Column('caregiver_link_id', sa.Uuid(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('signed_name', sa.String(length=200), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['caregiver_link_id'], ['caregiver_links.id'], name=op.f('fk_consent_records_caregiver_link_id_caregiver_links')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_consent_records_patient_id_patients')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consent_records_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['consent_versions.id'], name=op.f('fk_consent_records_version_id_consent_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records')),
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_pdf_sha256'), ['pdf_sha256'], unique=False)
    _legacy_records()


def _legacy_records() -> None:
    """Every SMS agreement and caregiver link so far becomes given (and, where it ended,
    withdrawn) records with method "legacy": recorded before versioned consent."""
    bind = op.get_bind()
    dt = sa.DateTime(timezone=True)
    records = sa.table(
        'consent_records',
        *(sa.column(n, sa.Uuid()) for n in ('id', 'patient_id', 'caregiver_link_id', 'recorded_by_id')),
        *(sa.column(n, sa.String()) for n in ('purpose', 'decision', 'method', 'locale')),
        sa.column('recorded_at', dt),
    )
    rows = []

    def add(patient_id, purpose, decision, locale, at, link_id=None, by=None):
        rows.append({
            'id': uuid.uuid4(), 'patient_id': patient_id, 'caregiver_link_id': link_id,
            'recorded_by_id': by, 'purpose': purpose, 'decision': decision, 'method': 'legacy',
            'locale': locale, 'recorded_at': at,
        })

    sms = bind.execute(sa.text(
        'SELECT p.id, s.locale, s.granted_at, s.withdrawn_at, s.recorded_by_id'
        ' FROM sms_consents s JOIN patients p ON p.user_id = s.user_id'
    ).columns(
        sa.column('id', sa.Uuid()), sa.column('locale', sa.String()),
        sa.column('granted_at', dt), sa.column('withdrawn_at', dt),
        sa.column('recorded_by_id', sa.Uuid()),
    ))
    for patient_id, locale, granted_at, withdrawn_at, by in sms:
        add(patient_id, 'sms', 'given', locale, granted_at, by=by)
        if withdrawn_at is not None:
            add(patient_id, 'sms', 'withdrawn', locale, withdrawn_at)
    links = bind.execute(sa.text(
        'SELECT l.id, l.patient_id, u.locale, MIN(g.granted_at), MAX(g.revoked_at),'
        ' SUM(CASE WHEN g.revoked_at IS NULL THEN 1 ELSE 0 END)'
        ' FROM caregiver_links l JOIN consent_grants g ON g.link_id = l.id'
        ' JOIN patients p ON p.id = l.patient_id JOIN users u ON u.id = p.user_id'
        ' GROUP BY l.id, l.patient_id, u.locale'
    ).columns(
        sa.column('link_id', sa.Uuid()), sa.column('patient_id', sa.Uuid()),
        sa.column('locale', sa.String()), sa.column('first', dt), sa.column('last', dt),
        sa.column('active', sa.Integer()),
    ))
    for link_id, patient_id, locale, first, last_revoked, active in links:
        add(patient_id, 'caregiver', 'given', locale, first, link_id=link_id)
        if not active and last_revoked is not None:
            add(patient_id, 'caregiver', 'withdrawn', locale, last_revoked, link_id=link_id)
    if rows:
        op.bulk_insert(records, rows)


def downgrade() -> None:
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_pdf_sha256'))
        batch_op.drop_index(batch_op.f('ix_consent_records_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_consent_records_patient_id'))
    op.drop_table('consent_records')
    op.drop_table('consent_pdfs')
    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_consent_versions_published', sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))
        batch_op.drop_index(batch_op.f('ix_consent_versions_clinic_id'))
    op.drop_table('consent_versions')
