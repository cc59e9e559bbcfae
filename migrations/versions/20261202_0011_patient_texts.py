"""sms: texts from patients and caregivers kept (encrypted) for the care team to read

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db
import app.security


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sms_patient_texts',
        sa.Column('sid', sa.String(length=64), nullable=False),
        sa.Column('patient_id', sa.Uuid(), nullable=False),
        sa.Column('sender_id', sa.Uuid(), nullable=True),
        sa.Column('sender_role', sa.String(length=16), nullable=False),
        sa.Column('body', app.security.EncryptedText(), nullable=False),
        sa.Column('received_at', app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('replied', sa.Boolean(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_sms_patient_texts_patient_id_patients'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_sms_patient_texts_sender_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_patient_texts')),
        sa.UniqueConstraint('sid', 'patient_id', name='uq_sms_patient_texts_sid'),
    )
    with op.batch_alter_table('sms_patient_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_patient_texts_patient_id'), ['patient_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sms_patient_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_patient_texts_patient_id'))
    op.drop_table('sms_patient_texts')
