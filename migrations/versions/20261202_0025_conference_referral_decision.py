"""case conferences: the "referral" decision kind and the referral a decision produced

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 15:30:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "care_plan",
    "recommendation",
    "followup",
    "questionnaire",
    "psychiatric_consultation",
)
NEW_KINDS = (*OLD_KINDS, "referral")
CHECK = "ck_conference_actions_conference_action_kind"


def _kinds(values: Sequence[str]) -> None:
    allowed = ", ".join(f"'{v}'" for v in values)
    with op.batch_alter_table("conference_actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint("conference_action_kind", f"kind IN ({allowed})")


def upgrade() -> None:
    _kinds(NEW_KINDS)
    with op.batch_alter_table("conference_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referral_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    # The old constraint has no place for a referral decision: downgrading deletes them.
    op.execute("DELETE FROM conference_actions WHERE kind = 'referral'")
    with op.batch_alter_table("conference_actions", schema=None) as batch_op:
        batch_op.drop_column("referral_id")
    _kinds(OLD_KINDS)
