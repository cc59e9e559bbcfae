"""Closed-loop referrals (FHIR SDOH Clinical Care: ServiceRequest + Task) and the clinic's
directory of outside services.

A referral goes to a discipline of the clinic, a named clinician, or a directory service. Its
status follows `machine.py`; every change is a `ReferralEvent` (the history, and what the
referrer is notified of). An outside service without an account acts through a
`ReferralLink`: single purpose, expiring, one use, only its SHA-256 digest stored.
Free text (reason, question, outcome, notes) is encrypted at rest.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.models import Discipline
from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.security import EncryptedText

TEXT_MAX = 1000
"""Length limit of each free-text field (checked by the forms and the services)."""


class Status(StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Urgency(StrEnum):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


class TargetKind(StrEnum):
    DISCIPLINE = "discipline"
    CLINICIAN = "clinician"
    SERVICE = "service"


class PatientAnswer(StrEnum):
    GOT_HELP = "got_help"
    NO_HELP = "no_help"


class LinkStep(StrEnum):
    RESPOND = "respond"  # accept or decline
    OUTCOME = "outcome"  # in progress, completed or failed


class CommunityService(UUIDPrimaryKey, Base):
    """An outside service of the clinic's directory (kept by coordinators)."""

    __tablename__ = "referral_services"

    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    help_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    accepts: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Referral(UUIDPrimaryKey, Base):
    """One referral (ServiceRequest) and its current task state (Task)."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(
            "(target_kind = 'discipline' AND target_discipline IS NOT NULL)"
            " OR (target_kind = 'clinician' AND target_user_id IS NOT NULL)"
            " OR (target_kind = 'service' AND service_id IS NOT NULL)",
            name="target_complete",
        ),
        Index("ix_referrals_status_requested", "status", "requested_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id"), index=True)
    clinic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinics.id"), index=True)
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    target_kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind, "referral_target_kind"))
    target_discipline: Mapped[Discipline | None] = mapped_column(
        str_enum(Discipline, "referral_discipline")
    )
    target_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referral_services.id"), index=True
    )
    need: Mapped[str | None] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(EncryptedText())
    question: Mapped[str | None] = mapped_column(EncryptedText())
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "referral_urgency"))
    # What the receiver may see: "contact", "reason", "question" (the patient agreed to each).
    shared: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_at: Mapped[datetime | None]
    consent_recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[Status] = mapped_column(str_enum(Status, "referral_status"))
    status_reason: Mapped[str | None] = mapped_column(EncryptedText())
    outcome: Mapped[str | None] = mapped_column(EncryptedText())
    rerouted_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    overdue_alerted_at: Mapped[datetime | None]
    patient_answer: Mapped[PatientAnswer | None] = mapped_column(
        str_enum(PatientAnswer, "referral_patient_answer")
    )
    patient_answered_at: Mapped[datetime | None]


class ReferralEvent(UUIDPrimaryKey, Base):
    """One status change (the history the referrer is told about)."""

    __tablename__ = "referral_events"

    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(str_enum(Status, "referral_from_status"))
    to_status: Mapped[Status] = mapped_column(str_enum(Status, "referral_to_status"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    by_service: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]


class ReferralLink(UUIDPrimaryKey, Base):
    """A one-time link for an outside service: one referral, one step, expiring."""

    __tablename__ = "referral_links"

    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[LinkStep] = mapped_column(str_enum(LinkStep, "referral_link_step"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
