"""instruments: social_need_reviews (a clinician confirms a screened social need, or not)

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('social_need_reviews',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('domain', sa.String(length=20), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("domain IN ('food', 'housing', 'transportation', 'utilities')", name=op.f('ck_social_need_reviews_social_need_domain')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_social_need_reviews_patient_id_patients')),
    sa.ForeignKeyConstraint(['response_id'], ['instrument_responses.id'], name=op.f('fk_social_need_reviews_response_id_instrument_responses')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_social_need_reviews_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_need_reviews')),
    sa.UniqueConstraint('response_id', 'domain', name='uq_social_need_review_domain')
    )
    with op.batch_alter_table('social_need_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_need_reviews_patient_id'), ['patient_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('social_need_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_need_reviews_patient_id'))
    op.drop_table('social_need_reviews')
