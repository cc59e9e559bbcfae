"""careplan: versioned living care plans and patient comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 18:26:29.819156+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('care_plan_comments',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('plan_version', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_care_plan_comments_author_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_care_plan_comments_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_comments'))
    )
    with op.batch_alter_table('care_plan_comments', schema=None) as batch_op:
        batch_op.create_index('ix_care_plan_comments_patient_created', ['patient_id', 'created_at'], unique=False)

    op.create_table('care_plan_versions',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_care_plan_versions_version_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_care_plan_versions_author_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_care_plan_versions_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_versions')),
    sa.UniqueConstraint('patient_id', 'version', name='uq_care_plan_versions_patient_version')
    )


def downgrade() -> None:
    op.drop_table('care_plan_versions')
    with op.batch_alter_table('care_plan_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_care_plan_comments_patient_created')

    op.drop_table('care_plan_comments')
