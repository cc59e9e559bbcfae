"""auth: second factors (TOTP authenticator apps, passkeys, recovery codes)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 07:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _counter() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'mfa_totp',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_step', _counter(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_mfa_totp_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mfa_totp')),
    )
    op.create_table(
        'mfa_passkeys',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('credential_id', sa.LargeBinary(length=1024), nullable=False),
        sa.Column('public_key', sa.LargeBinary(length=2048), nullable=False),
        sa.Column('sign_count', _counter(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('transports', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['users.id'],
            name=op.f('fk_mfa_passkeys_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_passkeys')),
        sa.UniqueConstraint('credential_id', name=op.f('uq_mfa_passkeys_credential_id')),
    )
    op.create_index(op.f('ix_mfa_passkeys_user_id'), 'mfa_passkeys', ['user_id'])
    op.create_table(
        'mfa_recovery_codes',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['users.id'],
            name=op.f('fk_mfa_recovery_codes_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_recovery_codes')),
    )
    op.create_index(op.f('ix_mfa_recovery_codes_user_id'), 'mfa_recovery_codes', ['user_id'])
    op.create_table(
        'mfa_resets',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('reset_by_id', sa.Uuid(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_mfa_resets_user_id_users'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['reset_by_id'],
            ['users.id'],
            name=op.f('fk_mfa_resets_reset_by_id_users'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_resets')),
    )
    op.create_index(op.f('ix_mfa_resets_user_id'), 'mfa_resets', ['user_id'])
    op.create_table(
        'mfa_used_challenges',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_mfa_used_challenges')),
    )
    op.create_index(
        op.f('ix_mfa_used_challenges_used_at'), 'mfa_used_challenges', ['used_at']
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_mfa_used_challenges_used_at'), table_name='mfa_used_challenges')
    op.drop_table('mfa_used_challenges')
    op.drop_index(op.f('ix_mfa_resets_user_id'), table_name='mfa_resets')
    op.drop_table('mfa_resets')
    op.drop_index(op.f('ix_mfa_recovery_codes_user_id'), table_name='mfa_recovery_codes')
    op.drop_table('mfa_recovery_codes')
    op.drop_index(op.f('ix_mfa_passkeys_user_id'), table_name='mfa_passkeys')
    op.drop_table('mfa_passkeys')
    op.drop_table('mfa_totp')
