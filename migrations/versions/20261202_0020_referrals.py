"""referrals: the directory of outside services, referrals (ServiceRequest + Task), their
status history and one-time links for outside services; the "referral_checkback" prompt purpose

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0020"
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_PURPOSES = (
    "diary_reminder",
    "questionnaire_due",
    "questionnaire_closing",
    "previsit_checkin",
    "caregiver_checkin",
)
NEW_PURPOSES = (*OLD_PURPOSES, "referral_checkback")
STATUS = (
    "draft",
    "requested",
    "accepted",
    "rejected",
    "in_progress",
    "completed",
    "failed",
    "cancelled",
)
DISCIPLINES = (
    "primary_care",
    "psychology",
    "psychiatry",
    "social_work",
    "physiotherapy",
    "occupational_therapy",
    "nutrition",
    "nursing",
)


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _purposes(values: Sequence[str]) -> None:
    allowed = ", ".join(f"'{v}'" for v in values)
    for table in ("sms_magic_links", "sms_outbox"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_prompt_purpose"), type_="check")
            batch_op.create_check_constraint("prompt_purpose", f"purpose IN ({allowed})")


def upgrade() -> None:
    op.create_table(
        "referral_services",
        sa.Column("clinic_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("help_kinds", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("accepts", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_referral_services_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_services")),
    )
    with op.batch_alter_table("referral_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_services_clinic_id"), ["clinic_id"], unique=False
        )

    op.create_table(
        "referrals",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("clinic_id", sa.Uuid(), nullable=False),
        sa.Column("requester_id", sa.Uuid(), nullable=False),
        sa.Column(
            "target_kind",
            _enum(("discipline", "clinician", "service"), "referral_target_kind"),
            nullable=False,
        ),
        sa.Column("target_discipline", _enum(DISCIPLINES, "referral_discipline"), nullable=True),
        sa.Column("target_user_id", sa.Uuid(), nullable=True),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("need", sa.String(length=24), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column(
            "urgency", _enum(("routine", "soon", "urgent"), "referral_urgency"), nullable=False
        ),
        sa.Column("shared", sa.JSON(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("status", _enum(STATUS, "referral_status"), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("rerouted_from_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "patient_answer",
            _enum(("got_help", "no_help"), "referral_patient_answer"),
            nullable=True,
        ),
        sa.Column("patient_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(target_kind = 'discipline' AND target_discipline IS NOT NULL) OR (target_kind = 'clinician' AND target_user_id IS NOT NULL) OR (target_kind = 'service' AND service_id IS NOT NULL)",
            name=op.f("ck_referrals_target_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_referrals_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["consent_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_referrals_consent_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_referrals_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_referrals_requester_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["rerouted_from_id"],
            ["referrals.id"],
            name=op.f("fk_referrals_rerouted_from_id_referrals"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["referral_services.id"],
            name=op.f("fk_referrals_service_id_referral_services"),
        ),
        sa.ForeignKeyConstraint(
            ["target_user_id"], ["users.id"], name=op.f("fk_referrals_target_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referrals_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referrals_service_id"), ["service_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referrals_target_user_id"), ["target_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_referrals_status_requested", ["status", "requested_at"], unique=False
        )

    op.create_table(
        "referral_events",
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", _enum(STATUS, "referral_from_status"), nullable=True),
        sa.Column("to_status", _enum(STATUS, "referral_to_status"), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("by_service", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_referral_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_events_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_events")),
    )
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_events_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "referral_links",
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("step", _enum(("respond", "outcome"), "referral_link_step"), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_links_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_links")),
        sa.UniqueConstraint("digest", name=op.f("uq_referral_links_digest")),
    )
    with op.batch_alter_table("referral_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_links_referral_id"), ["referral_id"], unique=False
        )

    _purposes(NEW_PURPOSES)


def downgrade() -> None:
    op.execute("DELETE FROM sms_outbox WHERE purpose = 'referral_checkback'")
    op.execute("DELETE FROM sms_magic_links WHERE purpose = 'referral_checkback'")
    _purposes(OLD_PURPOSES)
    op.drop_table("referral_links")
    op.drop_table("referral_events")
    op.drop_table("referrals")
    op.drop_table("referral_services")
